package io.tokencast.refresher.service;

import io.tokencast.refresher.service.config.SettingsProblems;
import io.tokencast.refresher.service.config.TokencastProperties;
import java.net.URI;
import java.util.Locale;

/**
 * Checks a WeChat API host ({@code tokencast.wechat.*} or {@code tokencast.wecom.*}), which
 * {@link WeChatConfiguration} wires: AppSecrets go out to it and tokens come back, so plain HTTP is for the
 * sandbox only.
 */
final class WeChatHostsCheck {

    private WeChatHostsCheck() {}

    static void check(String path, TokencastProperties.Api api, SettingsProblems problems) {
        if (api == null) {
            return;
        }
        URI url = api.apiBaseUrl();
        if (url != null) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                problems.add(
                        path + ".api-base-url",
                        "'" + url + "' is not an absolute http(s) URL, e.g. https://api.weixin.qq.com"
                                + " or the sandbox's http://127.0.0.1:8081");
            } else if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
                problems.add(
                        path + ".api-base-url",
                        "must be scheme://host[:port][/path], without user info, query or fragment");
            } else if (scheme.equals("http") && !api.allowInsecureBaseUrl()) {
                problems.add(
                        path + ".api-base-url",
                        "'" + url + "' is plain http: AppSecrets and tokens would cross the network unencrypted;"
                                + " use https, or set " + path + ".allow-insecure-base-url=true for a local"
                                + " sandbox (tests and the demo do)");
            }
        }
        problems.positive(path + ".timeout", api.timeout());
    }
}

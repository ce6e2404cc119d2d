package io.tokencast.testkit.wechat;

import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The accounts the sandbox knows: apps, WeCom apps, open-platform components and their authorizers. */
final class Accounts {

    private static final Pattern AES_KEY = Pattern.compile("[A-Za-z0-9]{43}");

    record App(String appid, String secret) {
        @Override
        public String toString() {
            return "App[" + appid + ", secret=" + Secrets.fingerprint(secret) + "]";
        }
    }

    record WeComApp(String corpid, String agentId, String secret) {
        /** tokencast names WeCom credentials {@code corpid.agentid}; the sandbox accounts them the same way. */
        String account() {
            return corpid + "." + agentId;
        }

        @Override
        public String toString() {
            return "WeComApp[" + account() + ", secret=" + Secrets.fingerprint(secret) + "]";
        }
    }

    record Component(String appid, String secret, byte[] aesKey, String callbackToken, URI callbackUrl) {
        @Override
        public String toString() {
            return "Component[" + appid + ", secret=" + Secrets.fingerprint(secret) + ", callbackUrl=" + callbackUrl
                    + "]";
        }
    }

    static final class Authorizer {
        final String componentAppid;
        final String appid;
        String refreshToken;
        boolean authorized = true;

        Authorizer(String componentAppid, String appid, String refreshToken) {
            this.componentAppid = componentAppid;
            this.appid = appid;
            this.refreshToken = refreshToken;
        }
    }

    private final Map<String, App> apps = new HashMap<>();
    private final Map<String, WeComApp> wecomBySecret = new HashMap<>();
    private final Map<String, Component> components = new HashMap<>();
    private final Map<String, Authorizer> authorizers = new HashMap<>();
    private final Map<String, Set<String>> ipWhitelists = new HashMap<>();

    void addApp(String appid, String secret) {
        requireFree(appid);
        apps.put(appid, new App(appid, nonBlank(secret, "secret")));
    }

    void addWeComApp(String corpid, String agentId, String secret) {
        nonBlank(corpid, "corpid");
        nonBlank(agentId, "agentId");
        wecomBySecret.put(corpid + '\u0000' + nonBlank(secret, "corpsecret"), new WeComApp(corpid, agentId, secret));
    }

    void addComponent(String appid, String secret, String encodingAesKey, String callbackToken, URI callbackUrl) {
        requireFree(appid);
        if (encodingAesKey == null || !AES_KEY.matcher(encodingAesKey).matches()) {
            throw new IllegalArgumentException("EncodingAESKey of component " + appid
                    + " must be 43 characters [A-Za-z0-9] (WeChat's format); got "
                    + (encodingAesKey == null ? "null" : encodingAesKey.length() + " characters"));
        }
        byte[] key = Base64.getDecoder().decode(encodingAesKey + "=");
        components.put(
                appid,
                new Component(
                        appid, nonBlank(secret, "secret"), key, nonBlank(callbackToken, "callbackToken"), callbackUrl));
    }

    Authorizer addAuthorizer(String componentAppid, String authorizerAppid, String refreshToken) {
        component(componentAppid)
                .orElseThrow(() -> new IllegalArgumentException(
                        "register component " + componentAppid + " before its authorizer " + authorizerAppid));
        Authorizer a = new Authorizer(componentAppid, nonBlank(authorizerAppid, "authorizerAppid"), refreshToken);
        authorizers.put(authorizerKey(componentAppid, authorizerAppid), a);
        return a;
    }

    Optional<App> app(String appid) {
        return Optional.ofNullable(appid).map(apps::get);
    }

    boolean isWeComCorp(String corpid) {
        return wecomBySecret.values().stream().anyMatch(a -> a.corpid().equals(corpid));
    }

    Optional<WeComApp> wecomApp(String corpid, String secret) {
        return Optional.ofNullable(wecomBySecret.get(corpid + '\u0000' + secret));
    }

    Optional<Component> component(String appid) {
        return Optional.ofNullable(appid).map(components::get);
    }

    void setCallbackUrl(String componentAppid, URI url) {
        Component c = component(componentAppid)
                .orElseThrow(() -> new IllegalArgumentException("unknown component " + componentAppid));
        components.put(componentAppid, new Component(c.appid(), c.secret(), c.aesKey(), c.callbackToken(), url));
    }

    Iterable<Component> components() {
        return components.values();
    }

    Optional<Authorizer> authorizer(String componentAppid, String authorizerAppid) {
        return Optional.ofNullable(authorizers.get(authorizerKey(componentAppid, authorizerAppid)));
    }

    void setIpWhitelist(String appid, Set<String> ips) {
        if (ips.isEmpty()) {
            ipWhitelists.remove(appid);
        } else {
            ipWhitelists.put(appid, Set.copyOf(ips));
        }
    }

    boolean ipAllowed(String appid, String ip) {
        Set<String> allowed = ipWhitelists.get(appid);
        return allowed == null || allowed.contains(ip);
    }

    private void requireFree(String appid) {
        nonBlank(appid, "appid");
        if (apps.containsKey(appid) || components.containsKey(appid)) {
            throw new IllegalArgumentException("appid " + appid + " is already registered in this sandbox");
        }
    }

    private static String authorizerKey(String componentAppid, String authorizerAppid) {
        return componentAppid + "." + authorizerAppid;
    }

    private static String nonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}

package io.tokencast.demo;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.List;

/** The three demo apps: two on stable tokens, one on classic. Secrets are sandbox-only values. */
record DemoApps(List<App> apps) {

    record App(String appid, String secret, String api) {
        TokenKey key() {
            return TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid);
        }
    }

    static DemoApps standard() {
        return new DemoApps(List.of(
                new App("wxdemo0000000001", "sandbox-only-secret-one", "stable"),
                new App("wxdemo0000000002", "sandbox-only-secret-two", "stable"),
                new App("wxdemo0000000003", "sandbox-only-secret-three", "classic")));
    }
}

package io.tokencast.refresher.service;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** An app configured in a test refresher and registered in the sandbox. */
record TestApp(String appid, String secret, String api) {

    TokenKey key() {
        return TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid);
    }

    WeChatEndpoint endpoint() {
        return "classic".equals(api) ? WeChatEndpoint.TOKEN : WeChatEndpoint.STABLE_TOKEN;
    }

    /** {@code count} apps, alternating stable and classic, with appids unique to {@code seed}. */
    static List<TestApp> many(int seed, int count) {
        List<TestApp> apps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            apps.add(of(seed, i, i % 2 == 0 ? "stable" : "classic"));
        }
        return apps;
    }

    static TestApp of(int seed, int index, String api) {
        String appid = "wx" + HexFormat.of().toHexDigits(seed) + HexFormat.of().toHexDigits(index);
        return new TestApp(appid, "secret-" + UUID.randomUUID().toString().replace("-", ""), api);
    }

    @Override
    public String toString() {
        return "TestApp[" + appid + ", " + api + "]";
    }
}

package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code tokencast.open-platform.*} and names the credentials it configures: one component token per
 * component and one authorizer token per configured authorizer. Collects every problem, like the catalog's
 * own check, and never puts a secret, key or token into one.
 *
 * @param credentials the component and authorizer credentials, in configuration order
 * @param problems each as {@code <property path>: <what is wrong>}
 */
public record OpenPlatformCredentials(List<ManagedCredential> credentials, List<String> problems) {

    public OpenPlatformCredentials {
        credentials = List.copyOf(credentials);
        problems = List.copyOf(problems);
    }

    /** Checks the properties; never throws for a configuration mistake, it lists it. */
    public static OpenPlatformCredentials check(OpenPlatformProperties properties) {
        List<ManagedCredential> credentials = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> components = new HashSet<>();
        for (int i = 0; i < properties.components().size(); i++) {
            String path = "tokencast.open-platform.components[" + i + "]";
            OpenPlatformProperties.Component c = properties.components().get(i);
            TokenKey key = key(path + ".appid", TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, c.appid(), problems);
            boolean ok = key != null;
            ok &= text(path + ".secret", c.secret(), problems);
            ok &= text(path + ".callback-token", c.callbackToken(), problems);
            ok &= aesKey(path + ".encoding-aes-key", c.encodingAesKey(), true, problems);
            ok &= aesKey(path + ".previous-encoding-aes-key", c.previousEncodingAesKey(), false, problems);
            if (key != null && !components.add(c.appid())) {
                problems.add(path + ".appid: duplicate component " + c.appid() + "; list each component once");
            } else if (ok) {
                credentials.add(new ManagedCredential(key, WeChatApi.COMPONENT, c.secret()));
            }
        }
        Set<String> authorizers = new HashSet<>();
        for (int i = 0; i < properties.authorizers().size(); i++) {
            String path = "tokencast.open-platform.authorizers[" + i + "]";
            OpenPlatformProperties.Authorizer a = properties.authorizers().get(i);
            boolean ok = text(path + ".component-appid", a.componentAppid(), problems);
            ok &= text(path + ".authorizer-appid", a.authorizerAppid(), problems);
            ok &= text(path + ".refresh-token", a.refreshToken(), problems);
            if (!ok) {
                continue;
            }
            if (!components.contains(a.componentAppid())) {
                problems.add(path + ".component-appid: " + a.componentAppid()
                        + " is not in tokencast.open-platform.components");
                continue;
            }
            TokenKey key = key(
                    path + ".authorizer-appid",
                    TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN,
                    Authorizers.account(a.componentAppid(), a.authorizerAppid()),
                    problems);
            if (key == null) {
                continue;
            }
            if (!authorizers.add(key.account())) {
                problems.add(path + ": duplicate authorizer " + key.account() + "; list each authorizer once");
            } else {
                credentials.add(new ManagedCredential(key, WeChatApi.AUTHORIZER, null));
            }
        }
        positive("tokencast.open-platform.verify-ticket-max-age", properties.verifyTicketMaxAge(), problems);
        positive("tokencast.open-platform.start-push-interval", properties.startPushInterval(), problems);
        positive(
                "tokencast.open-platform.callback.replay-window",
                properties.callback().replayWindow(),
                problems);
        if (properties.callback().maxBodySize().toBytes() < 1024) {
            problems.add("tokencast.open-platform.callback.max-body-size: must be at least 1KB; WeChat's pushes are"
                    + " about 1KB");
        }
        return new OpenPlatformCredentials(credentials, problems);
    }

    private static TokenKey key(String path, TokenKind kind, String account, List<String> problems) {
        if (account == null || account.isBlank()) {
            problems.add(path + ": missing");
            return null;
        }
        try {
            return TokenKey.of(kind, account);
        } catch (InvalidTokenKeyException e) {
            problems.add(path + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean text(String path, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(path + ": missing");
            return false;
        }
        if (!value.equals(value.strip())) {
            problems.add(path + ": has leading or trailing whitespace (a copy-paste slip?)");
            return false;
        }
        return true;
    }

    private static boolean aesKey(String path, String value, boolean required, List<String> problems) {
        if (value == null || value.isEmpty()) {
            if (required) {
                problems.add(path + ": missing; copy the EncodingAESKey from the open platform console");
            }
            return !required;
        }
        if (!MessageCrypto.isEncodingAesKey(value)) {
            problems.add(path + ": must be 43 characters [A-Za-z0-9], was " + value.length() + " characters");
            return false;
        }
        return true;
    }

    private static void positive(String path, java.time.Duration value, List<String> problems) {
        if (value == null || value.isZero() || value.isNegative()) {
            problems.add(path + ": must be a positive duration, was " + value);
        }
    }
}

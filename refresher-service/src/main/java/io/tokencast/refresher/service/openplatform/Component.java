package io.tokencast.refresher.service.openplatform;

import java.util.Objects;

/**
 * A configured third-party platform: its appid, secret and the crypto of its callback. {@link #toString()}
 * prints neither secret nor keys.
 */
record Component(String appid, String secret, MessageCrypto crypto) {

    Component {
        Objects.requireNonNull(appid, "appid");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(crypto, "crypto");
    }

    @Override
    public String toString() {
        return "Component[appid=" + appid + ", secret=<redacted>]";
    }
}

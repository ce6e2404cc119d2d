package io.tokencast.benchmarks;

import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Benchmark data that looks like the real thing: appids of WeChat's shape, tokens of WeChat's length. */
final class TokenEvents {

    static final String REFRESHER = "bench-refresher";
    private static final Duration LIFE = Duration.ofHours(2);

    private TokenEvents() {}

    /** The {@code i}-th benchmark key, {@code wechat-access-token/wx} + 16 hex digits. */
    static TokenKey key(int i) {
        return TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx" + HexFormat.of().toHexDigits((long) i));
    }

    /** A new version of {@code key} issued now, valid for two hours. */
    static TokenRefreshed refreshed(TokenKey key, long version, Instant now) {
        return TokenRefreshed.of(
                key,
                version,
                accessToken(),
                now,
                now.plus(LIFE),
                now.plus(LIFE.multipliedBy(3).dividedBy(4)),
                RefreshReason.SCHEDULED,
                REFRESHER,
                null);
    }

    /** A random token of WeChat's usual length (about 136 characters). */
    static String accessToken() {
        byte[] bytes = new byte[68];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

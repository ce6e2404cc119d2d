package io.tokencast.consumer;

import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.time.Instant;

/** Token events for tests: version {@code v} of a key, issued at a fixed start plus {@code v} hours. */
final class Events {

    static final Instant START = Instant.parse("2026-11-26T00:00:00Z");

    private Events() {}

    static TokenKey key(String appid) {
        return TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid);
    }

    static TokenRefreshed version(TokenKey key, long version) {
        return version(key, version, START.plus(Duration.ofHours(version)));
    }

    /** Lives two hours from {@code issuedAt}; the refresher plans the next one 90 minutes in. */
    static TokenRefreshed version(TokenKey key, long version, Instant issuedAt) {
        return TokenRefreshed.of(
                key,
                version,
                "token-" + key.account() + "-v" + version,
                issuedAt,
                issuedAt.plus(Duration.ofHours(2)),
                issuedAt.plus(Duration.ofMinutes(90)),
                RefreshReason.SCHEDULED,
                "test-refresher",
                null);
    }
}

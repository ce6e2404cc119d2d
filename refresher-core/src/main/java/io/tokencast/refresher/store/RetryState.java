package io.tokencast.refresher.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a key is waiting: its consecutive failures and when it may be tried again.
 *
 * @param failures consecutive failed attempts; 0 when the key only waits (e.g. WeChat returned the same
 *     stable token early)
 * @param notBefore the earliest next attempt
 * @param errorCode the last error (a WeChat errcode or a tokencast code)
 * @param stopped true when retrying soon cannot help (wrong secret, IP not whitelisted, daily quota spent):
 *     the key rests, its alert is raised, and an operator should act
 */
public record RetryState(int failures, Instant notBefore, String errorCode, boolean stopped) {

    public RetryState {
        if (failures < 0) {
            throw new IllegalArgumentException("failures must be >= 0, was " + failures);
        }
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(errorCode, "errorCode");
    }

    /** Whether the key must not be tried at {@code now}. */
    public boolean waitsAt(Instant now) {
        return now.isBefore(notBefore);
    }
}

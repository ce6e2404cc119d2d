package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.Instant;

/**
 * One credential the sandbox handed out. It works until {@code expiresAt} (then 42001) unless it was
 * superseded, in which case it stops at {@code deadAfter} (then 40001). Guarded by the sandbox lock.
 */
final class IssuedToken {

    final String value;
    final MintedKind kind;
    final String account;
    final WeChatEndpoint issuedBy;
    final Instant issuedAt;
    final Instant expiresAt;
    private Instant deadAfter;

    IssuedToken(
            String value,
            MintedKind kind,
            String account,
            WeChatEndpoint issuedBy,
            Instant issuedAt,
            Duration lifetime) {
        this.value = value;
        this.kind = kind;
        this.account = account;
        this.issuedBy = issuedBy;
        this.issuedAt = issuedAt;
        this.expiresAt = issuedAt.plus(lifetime);
    }

    /** Makes the token stop working at {@code instant}, or earlier if it was already doomed earlier. */
    void dieAt(Instant instant) {
        if (deadAfter == null || instant.isBefore(deadAfter)) {
            deadAfter = instant;
        }
    }

    /** 0 when usable at {@code now}, 42001 past its lifetime, 40001 when superseded past its overlap. */
    int errcodeAt(Instant now) {
        if (!now.isBefore(expiresAt)) {
            return 42001;
        }
        if (deadAfter != null && !now.isBefore(deadAfter)) {
            return 40001;
        }
        return 0;
    }

    boolean validAt(Instant now) {
        return errcodeAt(now) == 0;
    }

    long remainingSeconds(Instant now) {
        return Math.max(0, Duration.between(now, expiresAt).toSeconds());
    }

    String fingerprint() {
        return Secrets.fingerprint(value);
    }

    @Override
    public String toString() {
        return "IssuedToken[" + kind + " " + account + " " + fingerprint() + "]";
    }
}

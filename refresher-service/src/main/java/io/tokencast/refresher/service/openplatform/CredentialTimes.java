package io.tokencast.refresher.service.openplatform;

import io.tokencast.schema.CredentialStored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The time rules for a credential read from the credentials topic or Redis, where anyone with write access
 * could have put it (issue 14): received no later than now plus the clock skew, not past its life, not expiring
 * before it was received. A forged {@code receivedAt} in the future would otherwise win every "newer" comparison
 * and shadow each genuine ticket pushed after it.
 */
final class CredentialTimes {

    /** Default tolerance between the refresher's clock and whoever wrote the record. */
    static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

    private final Clock clock;
    private final Duration skew;

    /** The refresher's now. */
    Instant now() {
        return clock.instant();
    }

    CredentialTimes(Clock clock, Duration skew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skew = Objects.requireNonNull(skew, "skew");
    }

    /** Why the credential may not be believed now, or empty when it may. */
    Optional<String> problem(CredentialStored credential) {
        Instant now = clock.instant();
        if (credential.receivedAt().isAfter(now.plus(skew))) {
            return Optional.of("receivedAt " + credential.receivedAt() + " is more than " + skew + " ahead of now");
        }
        Instant expiresAt = credential.expiresAt();
        if (expiresAt != null && expiresAt.isBefore(credential.receivedAt())) {
            return Optional.of("expiresAt " + expiresAt + " is before receivedAt " + credential.receivedAt());
        }
        if (expiresAt != null && !expiresAt.isAfter(now.minus(skew))) {
            return Optional.of("it expired at " + expiresAt);
        }
        return Optional.empty();
    }

    /** The latest {@code receivedAt} believed now, in epoch millis: a stored one past it counts as absent. */
    long latestReceivedMillis() {
        return clock.instant().plus(skew).toEpochMilli();
    }
}

package io.tokencast.refresher.service.fleet;

import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who holds one token key, as the live heartbeats tell it: how many instances hold the newest version, and
 * which hold an older one, since when.
 *
 * @param newestVersion the version the refresher holds now; 0 when it holds none
 * @param current live instances holding {@code newestVersion} (or, briefly, a newer one the refresher has not
 *     read back yet)
 * @param behind live instances holding an older version, longest behind first
 */
public record KeyFleet(TokenKey tokenKey, long newestVersion, int current, List<Laggard> behind) {

    public KeyFleet {
        Objects.requireNonNull(tokenKey, "tokenKey");
        behind = List.copyOf(behind);
    }

    /**
     * One instance holding an older version of the key.
     *
     * @param behindSince when the first version newer than {@code heldVersion} was issued, as far as this
     *     refresher has seen; the newest version's issue time when it saw none older
     * @param behindFor how long that is before now; zero when unknown
     */
    public record Laggard(
            String instanceId,
            String service,
            String host,
            long heldVersion,
            String heldFingerprint,
            Instant behindSince,
            Duration behindFor) {}
}

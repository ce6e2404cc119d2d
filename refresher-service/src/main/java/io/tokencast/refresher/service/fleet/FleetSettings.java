package io.tokencast.refresher.service.fleet;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The fleet view's bounds ({@code tokencast.fleet.*}).
 *
 * @param enabled whether this refresher reads the consumers topic at all
 * @param liveWithin an instance whose last heartbeat is older than this is silent: not counted as holding or
 *     lagging (three heartbeats at the consumers' default 30 s)
 * @param forgetAfter a silent instance is forgotten after this (a crashed one sends no tombstone)
 * @param maxInstances most instances held; the stalest make room for fresher ones
 * @param maxKeys most token keys whose version history is kept to time laggards
 */
@ConfigurationProperties("tokencast.fleet")
public record FleetSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("90s") Duration liveWithin,
        @DefaultValue("1h") Duration forgetAfter,
        @DefaultValue("10000") int maxInstances,
        @DefaultValue("100000") int maxKeys) {

    public FleetSettings {
        if (liveWithin == null || liveWithin.isNegative() || liveWithin.isZero()) {
            throw new IllegalArgumentException("tokencast.fleet.live-within must be positive, was " + liveWithin);
        }
        if (forgetAfter == null || forgetAfter.compareTo(liveWithin) < 0) {
            throw new IllegalArgumentException(
                    "tokencast.fleet.forget-after must be at least live-within, was " + forgetAfter);
        }
        if (maxInstances < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("tokencast.fleet.max-instances and max-keys must be positive");
        }
    }
}

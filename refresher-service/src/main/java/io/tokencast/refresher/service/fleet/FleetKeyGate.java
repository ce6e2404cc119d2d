package io.tokencast.refresher.service.fleet;

import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.trust.encryption.InvalidKeyringException;
import io.tokencast.trust.encryption.ScopePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The key gate over the fleet view: a consumer blocks a kid for a key when its last heartbeat is live (within
 * {@code tokencast.fleet.live-within}, three heartbeat intervals by default), one of its key patterns covers
 * the key, and it does not hold the kid. Until the consumers topic has been read to its end the answer is not
 * known, and the gate stays shut.
 */
final class FleetKeyGate implements KeyGate {

    /** Most instance ids one answer names: enough for a log line, bounded whatever the fleet's size. */
    static final int MAX_NAMED = 10;

    private final FleetView fleet;
    private final BooleanSupplier caughtUp;

    FleetKeyGate(FleetView fleet, BooleanSupplier caughtUp) {
        this.fleet = fleet;
        this.caughtUp = caughtUp;
    }

    @Override
    public List<String> unableToRead(String recordKey, String kid) {
        if (!caughtUp.getAsBoolean()) {
            return List.of("the fleet view has not read the consumers topic to its end yet");
        }
        List<String> unable = new ArrayList<>();
        int more = 0;
        for (FleetInstance instance : fleet.instances()) {
            ConsumerHeartbeat heartbeat = instance.heartbeat();
            if (!instance.live() || heartbeat.kids().contains(kid) || !covers(heartbeat.scopes(), recordKey)) {
                continue;
            }
            if (unable.size() < MAX_NAMED) {
                unable.add(heartbeat.instanceId());
            } else {
                more++;
            }
        }
        if (more > 0) {
            unable.add("and " + more + " more");
        }
        return unable;
    }

    private static boolean covers(List<String> patterns, String recordKey) {
        for (String pattern : patterns) {
            try {
                if (ScopePattern.of(pattern).matches(recordKey)) {
                    return true;
                }
            } catch (InvalidKeyringException e) {
                // A pattern the refresher cannot parse tells nothing about this key; the heartbeat was bounded
                // and checked by the codec already.
            }
        }
        return false;
    }
}

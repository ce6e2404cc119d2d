package io.tokencast.refresher.service.fleet;

import io.tokencast.schema.ConsumerHeartbeat;
import java.time.Instant;

/**
 * One consumer instance as its last heartbeat described it.
 *
 * @param lastSeen the heartbeat's {@code sentAt}, never later than when this refresher read it (a consumer's
 *     clock running ahead must not keep it "live")
 * @param live whether it was seen within the fleet view's live window
 */
public record FleetInstance(ConsumerHeartbeat heartbeat, Instant lastSeen, boolean live) {}

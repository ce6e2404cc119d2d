package io.tokencast.refresher.service.admin;

import java.util.UUID;

/**
 * The command ids seen recently, shared by all replicas, so a command delivered twice (a producer retry, a
 * redelivery after a crash, an operator pressing enter twice) has one outcome.
 */
interface CommandLedger {

    /** Records the id; false when it was already recorded within the window, i.e. the command is a duplicate. */
    boolean firstSighting(UUID commandId);

    /** Forgets the id again, so a command whose handling failed is served when it is delivered again. */
    void forget(UUID commandId);
}

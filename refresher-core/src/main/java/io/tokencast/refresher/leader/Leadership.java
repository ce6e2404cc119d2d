package io.tokencast.refresher.leader;

import java.util.Optional;

/**
 * Which replica plans the refreshes: the one holding the leader lock in Redis. The leader renews the lock
 * every tick; when it stops renewing (closed, crashed, cut off from Redis) another replica takes over.
 */
public interface Leadership {

    /** What {@link #renew()} found. */
    enum Status {
        /** This replica just became the leader: it must recover before it plans. */
        ACQUIRED,
        /** This replica was and still is the leader. */
        HELD,
        /** Another replica leads, or nobody could take the lock. */
        FOLLOWER
    }

    /** Keeps or tries to take the leader lock; called once per tick. */
    Status renew();

    /** Whether this replica held the lock at its last renewal. */
    boolean isLeader();

    /** The instance id of the current leader as recorded in Redis, if any replica leads. */
    Optional<String> leaderId();

    /** Gives the lock up at once, so another replica leads from its next tick. */
    void release();
}

package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.leader.Leadership;
import java.util.Optional;

/** Leadership that replica-a always holds: for tests of what the leader does, not of who leads. */
final class AlwaysLeader implements Leadership {
    @Override
    public Status renew() {
        return Status.HELD;
    }

    @Override
    public boolean isLeader() {
        return true;
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.of("replica-a");
    }

    @Override
    public void release() {}
}

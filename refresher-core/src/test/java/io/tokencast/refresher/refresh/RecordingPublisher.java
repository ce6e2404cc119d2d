package io.tokencast.refresher.refresh;

import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link EventPublisher} that keeps what it was given; can be told to refuse token events. */
final class RecordingPublisher implements EventPublisher {

    final List<TokenRefreshed> tokens = new CopyOnWriteArrayList<>();
    /** The token events as given: the event with the very bytes sent. */
    final List<SignedEvent<TokenRefreshed>> signedTokens = new CopyOnWriteArrayList<>();

    final List<RefreshAttempted> audit = new CopyOnWriteArrayList<>();
    final List<TokenRetired> retired = new CopyOnWriteArrayList<>();
    final List<TokenKey> tombstones = new CopyOnWriteArrayList<>();
    volatile boolean brokerDown;

    @Override
    public void publish(SignedEvent<TokenRefreshed> event) {
        if (brokerDown) {
            throw new PublishException("broker down (test)", null);
        }
        tokens.add(event.event());
        signedTokens.add(event);
    }

    @Override
    public void retire(SignedEvent<TokenRetired> event) {
        if (brokerDown) {
            throw new PublishException("broker down (test)", null);
        }
        retired.add(event.event());
        tombstones.add(event.event().tokenKey());
    }

    @Override
    public void audit(RefreshAttempted attempt) {
        audit.add(attempt);
    }

    RefreshAttempted lastAudit() {
        return audit.get(audit.size() - 1);
    }
}

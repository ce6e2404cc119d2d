package io.tokencast.refresher.publish;

import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;

/** Publishes the refresher's events to Kafka, synchronously: a return means the broker acknowledged. */
public interface EventPublisher {

    /**
     * Publishes a new version on the tokens topic, keyed by its token key.
     *
     * @throws PublishException when the broker did not acknowledge in time
     */
    void publish(TokenRefreshed event);

    /**
     * Publishes a tombstone for the key on the tokens topic: the credential is removed, consumers drop it.
     *
     * @throws PublishException when the broker did not acknowledge in time
     */
    void remove(TokenKey key);

    /**
     * Records an attempt on the audit topic, keyed by its token key.
     *
     * @throws PublishException when the broker did not acknowledge in time
     */
    void audit(RefreshAttempted attempt);
}

package io.tokencast.refresher.publish;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;

/**
 * Publishes the refresher's events to Kafka, synchronously: a return means the broker acknowledged. Every record
 * goes out signed when signing is on: a new version as the very bytes Redis holds, an audit record signed here.
 */
public interface EventPublisher {

    /**
     * Publishes a new version on the tokens topic, keyed by its token key: exactly {@code event}'s bytes.
     *
     * @throws PublishException when the broker did not acknowledge in time
     */
    void publish(SignedEvent<TokenRefreshed> event);

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

package io.tokencast.refresher.publish;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;

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
     * Publishes the retirement of a key on the tokens topic, then a tombstone so compaction can forget the key:
     * consumers drop the key on the verified retirement, never on a bare tombstone (docs/design.md §5).
     *
     * @throws PublishException when the broker did not acknowledge either in time
     */
    void retire(SignedEvent<TokenRetired> retired);

    /**
     * Records an attempt on the audit topic, keyed by its token key.
     *
     * @throws PublishException when the broker did not acknowledge in time
     */
    void audit(RefreshAttempted attempt);
}

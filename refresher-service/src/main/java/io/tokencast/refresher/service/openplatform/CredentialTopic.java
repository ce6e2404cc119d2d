package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.TokenRetired;
import java.util.Map;

/** The compacted credentials topic: durable copies of verify tickets and refresh tokens, keyed by credential key. */
interface CredentialTopic {

    /**
     * Publishes the credential keyed by its credential key, as exactly the bytes Redis got; returns once the
     * broker acknowledged.
     *
     * @throws CredentialVaultException when the broker did not acknowledge in time
     */
    void publish(SignedEvent<CredentialStored> credential);

    /**
     * Publishes the retirement of a credential key, then a tombstone so compaction can forget the key; returns
     * once the broker acknowledged both. A restore drops a key whose last record is a verified retirement.
     *
     * @throws CredentialVaultException when the broker did not acknowledge in time
     */
    void retire(SignedEvent<TokenRetired> retired);

    /**
     * Reads the topic from the beginning to the end offsets taken when the call starts; the credential with
     * the newest {@code receivedAt} per key with its bytes as read (keys whose last record is a tombstone are
     * left out; records that fail verification are rejected, counted and skipped).
     *
     * @throws CredentialVaultException when the topic cannot be read to its end in time
     */
    Map<String, SignedEvent<CredentialStored>> readToEnd();
}

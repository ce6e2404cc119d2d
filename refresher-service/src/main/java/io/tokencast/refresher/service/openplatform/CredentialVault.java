package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialStored;
import java.util.List;
import java.util.Optional;

/**
 * The durable home of what WeChat hands out only once: component verify tickets and authorizer refresh
 * tokens. Every credential lives in Redis for fast reads and on the compacted credentials topic, from
 * which Redis is rebuilt after it lost its data. For one key, the credential with the newest
 * {@code receivedAt} wins everywhere.
 */
interface CredentialVault {

    /**
     * Keeps the credential in Redis (unless Redis holds a newer one) and publishes it on the credentials topic.
     *
     * @throws CredentialVaultException when Redis or the broker did not take it
     */
    void store(CredentialStored credential);

    /** {@link #store}, but only when the vault holds nothing for the key (after a restore from the topic). */
    boolean storeIfAbsent(CredentialStored credential);

    /**
     * The newest credential for the key, from Redis; when Redis lost its data, it is first rebuilt from the
     * topic.
     */
    Optional<CredentialStored> find(String credentialKey);

    /**
     * The keys of every credential of this kind the vault holds, sorted; when Redis lost its data, it is
     * first rebuilt from the topic.
     */
    List<String> keys(CredentialKind kind);

    /**
     * Forgets the credential: deletes it from Redis and publishes a tombstone for it on the topic, so no
     * restore brings it back. The tombstone is published even when Redis held nothing (a retry after a
     * failure). Returns whether Redis held it.
     *
     * @throws CredentialVaultException when Redis or the broker did not take it
     */
    boolean remove(String credentialKey);

    /**
     * Key rotation: stores the credential again, as its key's next version, when it is not yet encrypted
     * under the newest kid of its scope or not signed with the refresher's signing key. Returns whether it did.
     *
     * @throws CredentialVaultException when Redis or the broker did not take it
     */
    boolean rekey(String credentialKey);

    /**
     * The key's record as Redis holds it, verified and signed (not revealed), to publish again when the topic's
     * last record of the key is bad; empty when Redis holds nothing trustworthy for it.
     */
    Optional<SignedEvent<CredentialStored>> held(String credentialKey);

    /** Reads the topic to its end and puts back into Redis what Redis lacks. Returns how many it restored. */
    int restoreFromTopic();
}

package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.signing.RecordRejectedException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.RecordSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.trust.encryption.EncryptionException;
import io.tokencast.trust.encryption.RecordEncryption;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Redis holds for a credential key, judged: the credential when its signature verifies, it decrypts and its
 * times are believable, or none; {@code untrustedJson} when it failed verification (for a restore from the topic
 * to replace); {@code unsigned}, the record as stored, when it was taken without a signature in the upgrade
 * window (to be signed again). Apart from {@link RedisCredentialVault} because Redis is not trusted: every
 * read goes through these checks, and the outcome decides whether the topic is asked.
 */
record CredentialRead(Optional<CredentialStored> credential, String untrustedJson, CredentialStored unsigned) {

    private static final Logger log = LoggerFactory.getLogger(CredentialRead.class);

    static final CredentialRead NONE = new CredentialRead(Optional.empty(), null, null);

    /**
     * Judges {@code json}, what Redis holds for {@code credentialKey} (null: nothing).
     *
     * @param times what receivedAt and expiresAt are believable now
     */
    static CredentialRead of(
            Object json,
            String credentialKey,
            RecordSigning signing,
            RecordEncryption encryption,
            CredentialTimes times) {
        if (json == null) {
            return NONE;
        }
        RecordSigning.Checked<CredentialStored> checked;
        try {
            checked = signing.check(
                    json.toString(), credentialKey, CredentialStored.class, RecordSource.REDIS_CREDENTIALS);
        } catch (RecordRejectedException e) {
            return new CredentialRead(Optional.empty(), json.toString(), null);
        } catch (EventDecodingException e) {
            log.warn("unreadable credential in redis key={} problem={}", credentialKey, e.getMessage());
            return new CredentialRead(Optional.empty(), json.toString(), null);
        }
        CredentialStored stored = checked.event();
        try {
            CredentialStored credential = encryption.revealed(stored);
            Optional<String> problem = times.problem(credential);
            if (problem.isPresent()) {
                log.warn("credential in redis not believed key={} problem=\"{}\"", credentialKey, problem.get());
                return NONE;
            }
            return new CredentialRead(Optional.of(credential), null, checked.unsigned() ? stored : null);
        } catch (EncryptionException e) {
            // Unreadable means unusable; the topic's copy (or the next push) replaces it.
            log.warn("unreadable credential in redis key={} problem={}", credentialKey, e.getMessage());
            return NONE;
        }
    }

    /** Whether a restore from the topic may replace it: untrusted, and not already tried for this record. */
    boolean repairable(Set<Integer> tried) {
        if (untrustedJson == null) {
            return false;
        }
        if (tried.size() > 10_000) {
            tried.clear();
        }
        return tried.add(untrustedJson.hashCode());
    }
}

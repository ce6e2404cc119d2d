package io.tokencast.trust.records;

import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.Ranges;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.trust.records.Interpretation.Reason;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Tombstone;
import io.tokencast.trust.records.Interpretation.Version;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.Verification;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one reading of a record of the tokens or credentials topic (docs/design.md §5), shared by the consumer
 * library, the refresher and the CLI so that no reader applies a record another would refuse. Two steps, the same
 * rules for everyone: {@link #decode} checks the record key, decodes with the one {@link EventCodec} and rejects a
 * record filed under another key than the one it names; {@link #verify} checks the signature. A reader restoring a
 * topic may decode now and verify later (the consumer library at cold start); one that takes records one at a time
 * calls {@link #read}. Thread-safe; never throws for bad input.
 *
 * @param <K> the topic's key
 * @param <T> the topic's version record
 */
public final class RecordInterpreter<K, T extends TokencastEvent> {

    private final EventCodec codec = EventCodec.json();
    private final Class<T> versionType;
    private final Function<String, K> keys;
    private final Function<K, String> keyText;
    private final Function<TokencastEvent, K> named;
    private final RecordVerifier verifier;

    /**
     * @param keys parses a record key, throwing {@link IllegalArgumentException} for one that names no key
     * @param named the key a version or a retirement names
     */
    private RecordInterpreter(
            Class<T> versionType,
            Function<String, K> keys,
            Function<K, String> keyText,
            Function<TokencastEvent, K> named,
            RecordVerifier verifier) {
        this.versionType = versionType;
        this.keys = keys;
        this.keyText = keyText;
        this.named = named;
        this.verifier = verifier;
    }

    /**
     * Reads {@code tokencast.tokens}: {@code TokenRefreshed} and {@code TokenRetired} under a token key.
     *
     * @param verifier the refresher key set; null where signatures are not checked (turned off explicitly)
     */
    public static RecordInterpreter<TokenKey, TokenRefreshed> tokens(RecordVerifier verifier) {
        // Keys compared as keys, not as text: a cold start decodes every record of the topic.
        return new RecordInterpreter<>(
                TokenRefreshed.class,
                TokenKey::parse,
                TokenKey::asString,
                event -> event instanceof TokenRefreshed token ? token.tokenKey() : ((TokenRetired) event).tokenKey(),
                verifier);
    }

    /**
     * Reads {@code tokencast.credentials}: {@code CredentialStored} and {@code TokenRetired} under a credential key.
     *
     * @param verifier the refresher key set; null where signatures are not checked
     */
    public static RecordInterpreter<String, CredentialStored> credentials(RecordVerifier verifier) {
        return new RecordInterpreter<>(
                CredentialStored.class,
                RecordInterpreter::credentialKey,
                Function.identity(),
                event -> event instanceof CredentialStored credential
                        ? credential.credentialKey()
                        : ((TokenRetired) event).credentialKey(),
                verifier);
    }

    /** Whether {@link #verify} checks signatures. */
    public boolean verifies() {
        return verifier != null;
    }

    /** The key {@code recordKey} names on this topic; empty when it names none. */
    public Optional<K> key(String recordKey) {
        try {
            return Optional.of(keys.apply(recordKey));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@link #verify} after {@link #decode}: the reading of a record taken as it arrives. */
    public Interpretation<K, T> read(String recordKey, byte[] value, int partition, long offset) {
        return verify(decode(recordKey, value, partition, offset));
    }

    /**
     * The record as the contract reads it, its signature not checked yet: the key first, so a record under a key
     * that is none is never decoded; then the value (null: a tombstone); then the key the record names, which must
     * be the one it is filed under, or it would put one key's token under another's name.
     */
    public Interpretation<K, T> decode(String recordKey, byte[] value, int partition, long offset) {
        K key;
        try {
            key = keys.apply(recordKey);
        } catch (IllegalArgumentException e) { // InvalidTokenKeyException, or a credential key's
            return rejected(recordKey, value, partition, offset, Reason.INVALID_KEY, null, null, e.getMessage());
        }
        if (value == null) {
            return new Tombstone<>(key, partition, offset);
        }
        try {
            T event = codec.decode(value, versionType);
            if (!key.equals(named.apply(event))) {
                return mismatch(recordKey, value, partition, offset, versionType.getSimpleName());
            }
            return new Version<>(key, event, value, partition, offset, null);
        } catch (EventDecodingException e) {
            if (e.problem() != EventDecodingException.Problem.WRONG_TYPE) {
                return undecodable(recordKey, value, partition, offset, e);
            }
            return retirement(key, recordKey, value, partition, offset, e);
        }
    }

    private Interpretation<K, T> retirement(
            K key, String recordKey, byte[] value, int partition, long offset, EventDecodingException first) {
        TokenRetired retired;
        try {
            retired = codec.decode(value, TokenRetired.class);
        } catch (EventDecodingException e) {
            // Neither type: the version type's complaint says what this topic expects.
            EventDecodingException reported = e.problem() == EventDecodingException.Problem.WRONG_TYPE ? first : e;
            return undecodable(recordKey, value, partition, offset, reported);
        }
        if (!key.equals(named.apply(retired))) {
            return mismatch(recordKey, value, partition, offset, "TokenRetired");
        }
        return new Retired<>(key, retired, value, partition, offset, null);
    }

    /**
     * Checks the signature of a decoded record against the refresher key set (the record key before anything
     * else): a {@link Version} or {@link Retired} comes back with its {@link Verification}, or as {@link
     * Rejected} with reason {@link Reason#UNVERIFIED}. A record the codec or the key match refused is checked too
     * and, if its signature fails as well, rejected as unverified: a forgery is named as one, whatever else is
     * wrong with it. Tombstones and invalid keys have nothing to check; without a verifier, nothing changes.
     */
    public Interpretation<K, T> verify(Interpretation<K, T> decoded) {
        if (verifier == null) {
            return decoded;
        }
        if (decoded instanceof Version<K, T> version) {
            if (version.verification() != null) {
                return decoded;
            }
            Verification verification = verifier.verify(version.raw(), keyText.apply(version.key()));
            return verification.isVerified()
                    ? new Version<>(
                            version.key(),
                            version.event(),
                            version.raw(),
                            version.partition(),
                            version.offset(),
                            verification)
                    : unverified(
                            keyText.apply(version.key()),
                            version.raw(),
                            version.partition(),
                            version.offset(),
                            verification);
        }
        if (decoded instanceof Retired<K, T> retired) {
            if (retired.verification() != null) {
                return decoded;
            }
            Verification verification = verifier.verify(retired.raw(), keyText.apply(retired.key()));
            return verification.isVerified()
                    ? new Retired<>(
                            retired.key(),
                            retired.event(),
                            retired.raw(),
                            retired.partition(),
                            retired.offset(),
                            verification)
                    : unverified(
                            keyText.apply(retired.key()),
                            retired.raw(),
                            retired.partition(),
                            retired.offset(),
                            verification);
        }
        if (decoded instanceof Rejected<K, T> rejected
                && rejected.raw() != null
                && rejected.verification() == null
                && (rejected.reason() == Reason.UNDECODABLE || rejected.reason() == Reason.KEY_MISMATCH)) {
            Verification verification = verifier.verify(rejected.raw(), rejected.recordKey());
            if (!verification.isVerified()) {
                return unverified(
                        rejected.recordKey(), rejected.raw(), rejected.partition(), rejected.offset(), verification);
            }
            return rejected(
                    rejected.recordKey(),
                    rejected.raw(),
                    rejected.partition(),
                    rejected.offset(),
                    rejected.reason(),
                    rejected.problem(),
                    verification,
                    rejected.detail());
        }
        return decoded;
    }

    private Interpretation<K, T> mismatch(String recordKey, byte[] value, int partition, long offset, String type) {
        String member = versionType == TokenRefreshed.class ? "tokenKey" : "credentialKey";
        return rejected(
                recordKey,
                value,
                partition,
                offset,
                Reason.KEY_MISMATCH,
                null,
                null,
                "the record key differs from the " + type + "'s " + member);
    }

    private Interpretation<K, T> undecodable(
            String recordKey, byte[] value, int partition, long offset, EventDecodingException e) {
        return rejected(recordKey, value, partition, offset, Reason.UNDECODABLE, e.problem(), null, e.getMessage());
    }

    private Interpretation<K, T> unverified(
            String recordKey, byte[] value, int partition, long offset, Verification verification) {
        return rejected(
                recordKey, value, partition, offset, Reason.UNVERIFIED, null, verification, verification.detail());
    }

    private Interpretation<K, T> rejected(
            String recordKey,
            byte[] value,
            int partition,
            long offset,
            Reason reason,
            EventDecodingException.Problem problem,
            Verification verification,
            String detail) {
        return new Rejected<>(recordKey, value, partition, offset, reason, problem, verification, detail);
    }

    /** A credential key is any text up to the key cap; its form is the codec's to check, in the record it names. */
    private static String credentialKey(String recordKey) {
        if (recordKey == null) {
            throw new IllegalArgumentException("credential key is missing");
        }
        if (recordKey.length() > Ranges.MAX_KEY_CHARS) {
            throw new IllegalArgumentException(
                    "credential key is " + recordKey.length() + " chars long; the limit is " + Ranges.MAX_KEY_CHARS);
        }
        return recordKey;
    }
}

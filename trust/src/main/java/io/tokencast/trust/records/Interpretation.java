package io.tokencast.trust.records;

import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.trust.signing.Verification;
import java.util.Objects;

/**
 * What one record of the tokens or credentials topic is, as {@link RecordInterpreter} reads it: a version, a
 * retirement, a bare tombstone, or a rejection naming the rule it broke. A value, never an exception, so that no
 * record can end a reader; what to do with each is the reader's own policy.
 *
 * @param <K> the topic's key: a {@code TokenKey} on the tokens topic, the credential key on the credentials topic
 * @param <T> the topic's version record: {@code TokenRefreshed} or {@code CredentialStored}
 */
public sealed interface Interpretation<K, T extends TokencastEvent>
        permits Interpretation.Version, Interpretation.Retired, Interpretation.Tombstone, Interpretation.Rejected {

    /** Where the record was read. */
    int partition();

    /** Where the record was read. */
    long offset();

    /**
     * A version of {@code key}, its key checked against the record key.
     *
     * @param raw the exact bytes read, which the signature covers
     * @param verification the signature check it passed; null while it is not checked (deferred, or signatures off)
     */
    record Version<K, T extends TokencastEvent>(
            K key, T event, byte[] raw, int partition, long offset, Verification verification)
            implements Interpretation<K, T> {

        public Version {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(raw, "raw");
        }

        /** Whether its signature was checked and verified. */
        public boolean verified() {
            return verification != null && verification.isVerified();
        }
    }

    /**
     * The removal of {@code key} ({@code TokenRetired}), its key checked against the record key.
     *
     * @param raw the exact bytes read, which the signature covers
     * @param verification the signature check it passed; null while it is not checked (deferred, or signatures off)
     */
    record Retired<K, T extends TokencastEvent>(
            K key, TokenRetired event, byte[] raw, int partition, long offset, Verification verification)
            implements Interpretation<K, T> {

        public Retired {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(raw, "raw");
        }

        /** Whether its signature was checked and verified. */
        public boolean verified() {
            return verification != null && verification.isVerified();
        }
    }

    /** A null value under a valid key: unsigned, so where signatures are checked it removes nothing by itself. */
    record Tombstone<K, T extends TokencastEvent>(K key, int partition, long offset) implements Interpretation<K, T> {

        public Tombstone {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * A record no reader may take.
     *
     * @param recordKey the Kafka key as read (any text, or null): quote it only through {@code LogText}
     * @param raw the bytes read, so a reader may still check their signature; null for a tombstone's
     * @param problem the codec's rule, for {@link Reason#UNDECODABLE}
     * @param verification the failed check, for {@link Reason#UNVERIFIED}; for another reason the passed one when
     *     the signature was checked (a genuine record the contract refuses still names its signer), else null
     * @param detail names the rule broken, never a value of the record
     */
    record Rejected<K, T extends TokencastEvent>(
            String recordKey,
            byte[] raw,
            int partition,
            long offset,
            Reason reason,
            EventDecodingException.Problem problem,
            Verification verification,
            String detail)
            implements Interpretation<K, T> {

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            if ((reason == Reason.UNDECODABLE) != (problem != null)) {
                throw new IllegalArgumentException("a codec problem goes with UNDECODABLE, and only there");
            }
            if ((reason == Reason.UNVERIFIED) != (verification != null && !verification.isVerified())) {
                throw new IllegalArgumentException("a failed verification goes with UNVERIFIED, and only there");
            }
        }

        /**
         * The specific code for logs, meters and dead letters: {@code INVALID_KEY}, {@code KEY_MISMATCH}, the
         * codec's problem (e.g. {@code OUT_OF_RANGE}) or the verification's verdict (e.g. {@code BAD_SIGNATURE}).
         */
        public String code() {
            return switch (reason) {
                case UNDECODABLE -> problem.name();
                case UNVERIFIED -> verification.verdict().name();
                default -> reason.name();
            };
        }
    }

    /** Why a record was rejected; {@link Rejected#code()} is the finer code. */
    enum Reason {
        /** The record key names no key of this topic (missing, too long, not {@code <kind>/<account>}). */
        INVALID_KEY,
        /** The record names another key than the one it is filed under (docs/design.md §5.3). */
        KEY_MISMATCH,
        /** The codec refused the bytes, or they are no record of this topic's types. */
        UNDECODABLE,
        /** The signature check failed. */
        UNVERIFIED
    }
}

package io.tokencast.refresher.signing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.RecordInterpreter;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.Verdict;
import io.tokencast.trust.signing.Verification;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresher's records as bytes, both ways: what it writes is encoded once and signed once with the refresher
 * key ({@link #sign}), and what it reads back is verified against the refresher key set: from Redis before it is
 * decoded ({@link #read}), from its topics by the {@link RecordInterpreter} every reader shares ({@link
 * #tokenRecord}). A rejection is logged and counted in {@code tokencast.records.rejected{source,reason}} (reason:
 * the {@link io.tokencast.trust.signing.Verdict}) the first time this reader meets that record, and never applied:
 * thrown by {@link #read}, returned by {@link #tokenRecord}. With signing off, records go out unsigned and come back
 * unverified. Thread-safe.
 */
public final class RecordSigning {

    private static final Logger log = LoggerFactory.getLogger(RecordSigning.class);

    private final EventCodec codec = EventCodec.json();
    private final RecordSigner signer;
    private final RecordVerifier verifier;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Instant acceptUnsignedUntil;
    private final RecordInterpreter<TokenKey, TokenRefreshed> tokens;
    private final RecordInterpreter<String, CredentialStored> credentials;
    private final AtomicLong rejected = new AtomicLong();
    // Records already counted, by source, key and content: Redis is read every tick, a topic at every restart,
    // and one forged record must count (and log) once, not once per read. Bounded: cleared when full.
    private final Set<Long> counted = ConcurrentHashMap.newKeySet();

    private RecordSigning(
            RecordSigner signer,
            RecordVerifier verifier,
            MeterRegistry meters,
            Clock clock,
            Instant acceptUnsignedUntil) {
        this.signer = signer;
        this.verifier = verifier;
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = clock;
        this.acceptUnsignedUntil = acceptUnsignedUntil;
        this.tokens = RecordInterpreter.tokens(verifier);
        this.credentials = RecordInterpreter.credentials(verifier);
    }

    /** Signs with {@code key}; reads back only what {@code trusted} verifies. */
    public static RecordSigning on(SigningKey key, VerificationKeys trusted, MeterRegistry meters) {
        return on(key, trusted, meters, Clock.systemUTC(), null);
    }

    /**
     * {@link #on(SigningKey, VerificationKeys, MeterRegistry)} that, until {@code acceptUnsignedUntil} (null:
     * never), still takes records without any signature: the upgrade window from unsigned records.
     */
    public static RecordSigning on(
            SigningKey key, VerificationKeys trusted, MeterRegistry meters, Clock clock, Instant acceptUnsignedUntil) {
        return new RecordSigning(
                new RecordSigner(key), new RecordVerifier(trusted), meters, clock, acceptUnsignedUntil);
    }

    /** Unsigned records out, unverified records in (development only). */
    public static RecordSigning off(MeterRegistry meters) {
        return new RecordSigning(null, null, meters, Clock.systemUTC(), null);
    }

    /**
     * A record read back: the event, whether it was taken unsigned in the upgrade window, and the kid that signed
     * it (null when unsigned, or with signing off).
     */
    public record Checked<T extends TokencastEvent>(T event, boolean unsigned, String signedBy) {}

    public boolean enabled() {
        return signer != null;
    }

    /** The kid records are signed with, when signing is on. */
    public Optional<String> kid() {
        return Optional.ofNullable(signer).map(s -> s.key().kid());
    }

    /**
     * Whether a record read back signed by {@code signedBy} (null: unsigned) should be written again to carry
     * this refresher's signing key: a signing-key rotation re-publishes such records (docs/operations.md §3.3).
     */
    public boolean needsResigning(String signedBy) {
        return signer != null && !signer.key().kid().equals(signedBy);
    }

    /** The JWS {@code alg} records are signed with, when signing is on. */
    public Optional<String> algorithm() {
        return Optional.ofNullable(signer).map(s -> s.key().algorithm());
    }

    /** The kids of the refresher key set this refresher's readers trust; empty with signing off. */
    public java.util.Set<String> trustedKids() {
        return verifier == null ? java.util.Set.of() : verifier.keys().kids();
    }

    /** How many records read back were rejected since start. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** The event encoded by the one codec and, with signing on, signed: the bytes for Redis and Kafka alike. */
    public <T extends TokencastEvent> SignedEvent<T> sign(T event) {
        byte[] json = codec.encode(event);
        return new SignedEvent<>(event, signer == null ? json : signer.sign(json));
    }

    /**
     * The record in {@code json}, read back from {@code source} under {@code recordKey} (the Kafka key, or the
     * key a Redis key names): verified first when signing is on (the record key before anything else), then
     * decoded.
     *
     * @throws RecordRejectedException when verification fails (logged and counted here)
     * @throws io.tokencast.schema.EventDecodingException when the record verifies but does not decode
     */
    public <T extends TokencastEvent> T read(byte[] json, String recordKey, Class<T> type, RecordSource source) {
        return check(json, recordKey, type, source).event();
    }

    /** {@link #read(byte[], String, Class, RecordSource)}, saying whether the record was taken unsigned. */
    public <T extends TokencastEvent> Checked<T> check(
            byte[] json, String recordKey, Class<T> type, RecordSource source) {
        boolean unsigned = false;
        String signedBy = null;
        if (verifier != null) {
            Verification verification = verifier.verify(json, recordKey);
            signedBy = verification.isVerified() ? verification.kid() : null;
            if (!verification.isVerified()) {
                if (!inUpgradeWindow(verification)) {
                    throw reject(source, recordKey, json, verification);
                }
                unsigned = true;
                if (firstSight(source, recordKey, json)) {
                    Counter.builder("tokencast.records.unsigned.accepted")
                            .tag("source", source.tag())
                            .description("Unsigned records taken during tokencast.signing.accept-unsigned-until")
                            .register(meters)
                            .increment();
                }
            }
        }
        return new Checked<>(codec.decode(json, type), unsigned, signedBy);
    }

    /**
     * One record of the tokens topic, read by the {@link RecordInterpreter} the consumer library and the CLI share,
     * against this refresher's key set and upgrade window; a failed signature is logged and counted as {@link
     * #read} does. Never throws for a bad record.
     */
    public Interpretation<TokenKey, TokenRefreshed> tokenRecord(
            String recordKey, byte[] value, int partition, long offset) {
        return interpret(tokens, recordKey, value, partition, offset, RecordSource.TOKENS_TOPIC);
    }

    /** {@link #tokenRecord} for the credentials topic. */
    public Interpretation<String, CredentialStored> credentialRecord(
            String recordKey, byte[] value, int partition, long offset) {
        return interpret(credentials, recordKey, value, partition, offset, RecordSource.CREDENTIALS_TOPIC);
    }

    private <K, T extends TokencastEvent> Interpretation<K, T> interpret(
            RecordInterpreter<K, T> interpreter,
            String recordKey,
            byte[] value,
            int partition,
            long offset,
            RecordSource source) {
        Interpretation<K, T> decoded = interpreter.decode(recordKey, value, partition, offset);
        Interpretation<K, T> checked = interpreter.verify(decoded);
        if (checked instanceof Interpretation.Rejected<K, T> rejected
                && rejected.reason() == Interpretation.Reason.UNVERIFIED) {
            if (inUpgradeWindow(rejected.verification())) {
                return decoded;
            }
            reject(source, recordKey, value, rejected.verification());
        }
        return checked;
    }

    /** {@link #check(byte[], String, Class, RecordSource)} for text from Redis. */
    public <T extends TokencastEvent> Checked<T> check(
            String json, String recordKey, Class<T> type, RecordSource source) {
        return check(json == null ? null : json.getBytes(StandardCharsets.UTF_8), recordKey, type, source);
    }

    // Only a record with no signature at all: a bad or foreign signature is a forgery, window or not.
    private boolean inUpgradeWindow(Verification verification) {
        return verification.verdict() == Verdict.UNSIGNED
                && acceptUnsignedUntil != null
                && clock.instant().isBefore(acceptUnsignedUntil);
    }

    /** {@link #read(byte[], String, Class, RecordSource)} for text from Redis. */
    public <T extends TokencastEvent> T read(String json, String recordKey, Class<T> type, RecordSource source) {
        return read(json == null ? null : json.getBytes(StandardCharsets.UTF_8), recordKey, type, source);
    }

    private RecordRejectedException reject(
            RecordSource source, String recordKey, byte[] json, Verification verification) {
        // The key may be anyone's text on a topic: escaped and capped. The detail names a rule, never a value.
        String key = LogText.of(recordKey, 120);
        if (!firstSight(source, recordKey, json)) {
            log.debug(
                    "record rejected again source={} key=\"{}\" verdict={}", source.tag(), key, verification.verdict());
            return new RecordRejectedException(source, key, verification.verdict(), verification.detail());
        }
        rejected.incrementAndGet();
        Counter.builder("tokencast.records.rejected")
                .tag("source", source.tag())
                .tag("reason", verification.verdict().name())
                .description("Records read back from Redis or a topic that failed verification and were not applied")
                .register(meters)
                .increment();
        log.warn(
                "record rejected source={} key=\"{}\" verdict={} kid={} detail=\"{}\"",
                source.tag(),
                key,
                verification.verdict(),
                verification.kid() == null ? null : LogText.of(verification.kid(), 80),
                verification.detail());
        return new RecordRejectedException(source, key, verification.verdict(), verification.detail());
    }

    private boolean firstSight(RecordSource source, String recordKey, byte[] json) {
        if (counted.size() > 10_000) {
            counted.clear();
        }
        long id = 31L * (31L * source.ordinal() + Objects.hashCode(recordKey)) + Arrays.hashCode(json);
        return counted.add(id * 0x9E3779B97F4A7C15L + (json == null ? 0 : json.length));
    }

    @Override
    public String toString() {
        return enabled()
                ? "RecordSigning[kid=" + kid().orElseThrow() + ", trusted=" + trustedKids() + "]"
                : "RecordSigning[off]";
    }
}

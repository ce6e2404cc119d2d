package io.tokencast.schema;

import java.time.Instant;
import java.util.List;

/**
 * A consumer's periodic "I am here, and this is what I hold", on the compacted {@code tokencast.consumers}
 * topic keyed by {@code instanceId}. Advisory: the fleet view shows who holds which version of each token, so
 * an operator can see laggards and whether the fleet is ready for a change. It never holds a token, only
 * versions and fingerprints. A tombstone (null value) says the instance closed.
 *
 * @param instanceId this running instance, unique across restarts; the Kafka record key
 * @param service the service the instance belongs to (its client id)
 * @param libraryVersion the tokencast library version the instance runs
 * @param startedAt when the instance's view started
 * @param sentAt when this heartbeat was written, by the instance's clock
 * @param brokerContact how recently the broker answered the instance's view
 * @param scopes the token-key patterns the instance reads (empty when it reads every key)
 * @param kids the encryption key ids the instance holds
 * @param held what the instance holds, at most {@value #MAX_HELD} keys in key order
 * @param signatures whether the instance verifies records' signatures, and against which refresher kids; absent
 *     from libraries older than signing, so absent means "not known to verify"
 */
public record ConsumerHeartbeat(
        String instanceId,
        String service,
        String host,
        String libraryVersion,
        Instant startedAt,
        Instant sentAt,
        Contact brokerContact,
        List<String> scopes,
        List<String> kids,
        List<HeldVersion> held,
        Signatures signatures)
        implements TokencastEvent {

    /** Most keys one heartbeat lists; about 100 bytes each keeps a heartbeat far below the codec's limit. */
    public static final int MAX_HELD = 256;
    /** Most scopes or kids one heartbeat lists. */
    public static final int MAX_NAMES = 64;
    /** Longest instance id, service, host, scope or kid. */
    public static final int MAX_TEXT = 200;

    private static final String EVENT = "ConsumerHeartbeat";

    public ConsumerHeartbeat {
        Require.text(instanceId, EVENT, "instanceId");
        Require.maxLength(instanceId, MAX_TEXT, EVENT, "instanceId");
        Require.text(service, EVENT, "service");
        Require.maxLength(service, MAX_TEXT, EVENT, "service");
        Require.text(host, EVENT, "host");
        Require.maxLength(host, MAX_TEXT, EVENT, "host");
        Require.text(libraryVersion, EVENT, "libraryVersion");
        Require.maxLength(libraryVersion, MAX_TEXT, EVENT, "libraryVersion");
        Require.present(startedAt, EVENT, "startedAt");
        Require.present(sentAt, EVENT, "sentAt");
        scopes = names(scopes, "scopes");
        kids = names(kids, "kids");
        if (held == null) {
            held = List.of();
        }
        if (held.size() > MAX_HELD) {
            throw new InvalidEventException(EVENT, "held", "lists more than " + MAX_HELD + " keys");
        }
        for (HeldVersion entry : held) {
            Require.present(entry, EVENT, "held");
        }
        held = List.copyOf(held);
    }

    /** A heartbeat that says nothing about signatures, as libraries older than signing send it. */
    public ConsumerHeartbeat(
            String instanceId,
            String service,
            String host,
            String libraryVersion,
            Instant startedAt,
            Instant sentAt,
            Contact brokerContact,
            List<String> scopes,
            List<String> kids,
            List<HeldVersion> held) {
        this(instanceId, service, host, libraryVersion, startedAt, sentAt, brokerContact, scopes, kids, held, null);
    }

    private static List<String> names(List<String> names, String field) {
        if (names == null) {
            return List.of();
        }
        if (names.size() > MAX_NAMES) {
            throw new InvalidEventException(EVENT, field, "lists more than " + MAX_NAMES + " entries");
        }
        for (String name : names) {
            Require.text(name, EVENT, field);
            Require.maxLength(name, MAX_TEXT, EVENT, field);
        }
        return List.copyOf(names);
    }

    /**
     * The version of one key an instance holds.
     *
     * @param version in [1, 2^53-1], like every version
     */
    public record HeldVersion(TokenKey tokenKey, long version, String fingerprint) {

        /** Largest version: the largest integer every JSON reader holds exactly. */
        public static final long MAX_VERSION = (1L << 53) - 1;

        public HeldVersion {
            Require.present(tokenKey, EVENT, "held.tokenKey");
            if (version < 1 || version > MAX_VERSION) {
                throw new InvalidEventException(EVENT, "held.version", "must be in [1, 2^53-1]");
            }
            Require.present(fingerprint, EVENT, "held.fingerprint");
            Require.fingerprint(fingerprint, EVENT, "held.fingerprint");
        }
    }

    /**
     * How recently the broker answered the instance's view.
     *
     * @param lastContactAt when the broker last answered; absent until it first did
     * @param lost whether the view considers contact lost
     * @param recordsBehind offsets between what the view has read and the end of the topic, if known
     */
    public record Contact(Instant lastContactAt, boolean lost, Long recordsBehind) {

        public Contact {
            if (recordsBehind != null && recordsBehind < 0) {
                throw new InvalidEventException(EVENT, "brokerContact.recordsBehind", "must not be negative");
            }
        }
    }

    /**
     * Whether an instance verifies the records it reads against the refresher's public keys.
     *
     * @param verified whether it does; false where verification was turned off explicitly
     * @param kids the refresher key ids it trusts, at most {@value #MAX_NAMES}; empty when it does not verify
     * @param provider the crypto provider it verifies with, if it says
     */
    public record Signatures(boolean verified, List<String> kids, String provider) {

        public Signatures {
            kids = names(kids, "signatures.kids");
            if (provider != null) {
                Require.text(provider, EVENT, "signatures.provider");
                Require.maxLength(provider, MAX_TEXT, EVENT, "signatures.provider");
            }
        }
    }
}

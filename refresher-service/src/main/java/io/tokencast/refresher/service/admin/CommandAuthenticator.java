package io.tokencast.refresher.service.admin;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.LogText;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.Verdict;
import io.tokencast.trust.signing.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides who sent an admin-topic record (docs/security.md §6): only a
 * command signed with a key of the operators' JWK set counts, credited to that key's {@code name}, and only while
 * its signed {@code requestedAt} is fresh. It runs before anything else looks at the record, the command ledger
 * included, so a forged command can never take a genuine command's id. Thread-safe; never throws for bad input.
 */
final class CommandAuthenticator {

    static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    static final String STALE_COMMAND = "STALE_COMMAND";
    static final String KEY_MISMATCH = "KEY_MISMATCH";

    /** Whom the audit credits a command whose signature did not verify. */
    static final String NOBODY = "unauthenticated";

    private static final int MAX_CLAIM_CHARS = 100;
    private static final JsonMapper LENIENT = JsonMapper.builder().build();

    private final RecordVerifier verifier;
    private final Duration freshness;
    private final Clock clock;

    /** @param verifier the operators' keys; null when none are configured, so every command is refused */
    CommandAuthenticator(RecordVerifier verifier, Duration freshness, Clock clock) {
        this.verifier = verifier;
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Who signed a record, or why nobody did. */
    record Signer(String operator, Refusal refusal) {

        static Signer verified(String operator) {
            return new Signer(operator, null);
        }

        static Signer refused(String code, String message) {
            return new Signer(null, new Refusal(code, message));
        }

        boolean isVerified() {
            return operator != null;
        }
    }

    /** Why a command is refused: an audit error code and a message that quotes nothing unescaped. */
    record Refusal(String code, String message) {}

    /** Whether any operator key is configured; without one the admin topic refuses everything. */
    boolean hasKeys() {
        return verifier != null;
    }

    /**
     * Verifies the record's signature with the operators' keys.
     *
     * @param recordKey the Kafka record key as text, or null when it had none
     */
    Signer signer(byte[] value, String recordKey) {
        if (verifier == null) {
            return Signer.refused(
                    UNAUTHENTICATED,
                    "no operator keys are configured (tokencast.admin.operator-keys-file), so the admin topic"
                            + " refuses every command; " + claims(value));
        }
        // A record without a key cannot match any tokenKey; the verifier says so as a key mismatch.
        Verification verification = verifier.verify(value, recordKey == null ? "" : recordKey);
        if (verification.isVerified()) {
            if (verification.signer() == null) {
                return Signer.refused(UNAUTHENTICATED, "the signing key has no name; " + claims(value));
            }
            return Signer.verified(verification.signer());
        }
        String code = verification.verdict() == Verdict.KEY_MISMATCH ? KEY_MISMATCH : UNAUTHENTICATED;
        return Signer.refused(
                code,
                verification.verdict() + ": " + verification.detail()
                        + (verification.kid() == null ? "" : " (kid \"" + LogText.of(verification.kid(), 64) + "\")")
                        + "; " + claims(value));
    }

    /**
     * The checks of a decoded command signed by {@code operator}: it must name that operator as
     * {@code requestedBy}, and its {@code requestedAt} must lie within the freshness window of this clock.
     */
    Optional<Refusal> check(RefreshRequested command, String operator) {
        if (!operator.equals(command.requestedBy())) {
            return Optional.of(new Refusal(
                    UNAUTHENTICATED,
                    "signed by operator key \"" + LogText.of(operator, MAX_CLAIM_CHARS)
                            + "\" but requestedBy names another; it claimed requestedBy=\""
                            + LogText.of(command.requestedBy(), MAX_CLAIM_CHARS) + "\""));
        }
        Instant now = clock.instant();
        if (command.requestedAt().isBefore(now.minus(freshness))
                || command.requestedAt().isAfter(now.plus(freshness))) {
            return Optional.of(new Refusal(
                    STALE_COMMAND,
                    "requested at " + command.requestedAt() + ", more than " + freshness + " from this refresher's"
                            + " clock (" + now + "); a command is served only while fresh, so a recorded one cannot"
                            + " be replayed. Check the sender's clock, or send it again"));
        }
        return Optional.empty();
    }

    /** How far from now a command's {@code requestedAt} may lie. */
    Duration freshness() {
        return freshness;
    }

    /**
     * What an unverified record claimed, escaped and cut, for the audit's {@code errorMessage}: never an identity,
     * only what it said.
     */
    static String claims(byte[] value) {
        if (value == null || value.length == 0) {
            return "the record is empty";
        }
        if (value.length > EventCodec.MAX_PAYLOAD_BYTES) {
            return "the record is " + value.length + " bytes, too large to read";
        }
        JsonNode tree;
        try {
            tree = LENIENT.readTree(value);
        } catch (JacksonException e) {
            return "the record is not JSON";
        }
        if (tree == null || !tree.isObject()) {
            return "the record is not a JSON object";
        }
        List<String> claims = new ArrayList<>();
        for (String member : List.of("requestedBy", "onBehalfOf", "reason", "force", "commandId")) {
            JsonNode claimed = tree.get(member);
            if (claimed != null) {
                String text = claimed.isString() ? claimed.asString() : claimed.toString();
                claims.add(member + "=\"" + LogText.of(text, MAX_CLAIM_CHARS) + "\"");
            }
        }
        return claims.isEmpty() ? "it claimed nothing" : "it claimed " + String.join(", ", claims);
    }
}

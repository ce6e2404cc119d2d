package io.tokencast.refresher.admin;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.refresh.Admission;
import io.tokencast.refresher.refresh.RefreshCommand;
import io.tokencast.refresher.refresh.RefreshOutcome;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshRequested;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one admin-topic record (docs/design.md §4.3): decode and validate it, drop a command id seen before, then
 * let the {@link Refresher} decide under the key's lock, with {@link ManualFetchLimits} as the last check
 * before WeChat. Every command gets exactly one audit record: the refresher writes it for what reaches it, this
 * class for what does not; a duplicate gets none, its first delivery already has one. Records that are not
 * valid commands are audited {@code REJECTED}, counted and kept on the dead-letter topic; no payload can make
 * this class throw, only a failing Redis or broker can.
 */
final class AdminCommands {

    private static final Logger log = LoggerFactory.getLogger(AdminCommands.class);

    static final String UNKNOWN_KEY = "UNKNOWN_KEY";
    static final String COMMAND_EXPIRED = "COMMAND_EXPIRED";
    static final String PROCESSING_FAILED = "PROCESSING_FAILED";
    static final String DUPLICATE = "DUPLICATE";
    static final String KEY_MISMATCH = "KEY_MISMATCH";
    static final String TOKEN_STILL_VALID = "TOKEN_STILL_VALID";
    static final String REPORT_LIMITED = "REPORT_LIMITED";
    static final String OUT_OF_RANGE = "OUT_OF_RANGE";

    /** How far ahead of this refresher's clock a command's {@code requestedAt} may be. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** The audit record's key for a record without one. */
    static final String NO_KEY = "<none>";

    static final int MAX_AUDITED_KEY_CHARS = 200;
    static final int MAX_AUDITED_MESSAGE_CHARS = 1000;

    private final EventCodec codec = EventCodec.json();
    private final CredentialCatalog catalog;
    private final Refresher refresher;
    private final ManualFetchLimits limits;
    private final ReportVerifier reports;
    private final CommandLedger ledger;
    private final DeadLetters deadLetters;
    private final EventPublisher publisher;
    private final AdminMetrics metrics;
    private final Clock clock;
    private final Duration dedupWindow;
    private final String instanceId;

    AdminCommands(
            CredentialCatalog catalog,
            Refresher refresher,
            ManualFetchLimits limits,
            ReportVerifier reports,
            CommandLedger ledger,
            DeadLetters deadLetters,
            EventPublisher publisher,
            AdminMetrics metrics,
            Clock clock,
            Duration dedupWindow,
            String instanceId) {
        this.catalog = catalog;
        this.refresher = refresher;
        this.limits = limits;
        this.reports = reports;
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.dedupWindow = dedupWindow;
        this.instanceId = instanceId;
    }

    /**
     * Serves one record of the admin topic.
     *
     * @throws RuntimeException only when Redis or the broker failed; the record may be delivered again
     */
    void handle(ConsumerRecord<byte[], byte[]> record) {
        RefreshRequested request;
        try {
            request = codec.decode(record.value(), RefreshRequested.class);
        } catch (EventDecodingException e) {
            poison(record, e.problem().name(), printable(e.getMessage(), MAX_AUDITED_MESSAGE_CHARS));
            return;
        }
        if (!valid(record, request)) {
            return;
        }
        // Only a command that passed every check takes its id: a garbage record carrying a real command's id
        // must not shadow the real one (issue 14).
        if (!ledger.firstSighting(request.commandId())) {
            log.info(
                    "admin command dropped commandId={} key={} cause=duplicate partition={} offset={}",
                    request.commandId(),
                    request.tokenKey(),
                    record.partition(),
                    record.offset());
            metrics.handled(DUPLICATE);
            return;
        }
        try {
            serve(request);
        } catch (RuntimeException e) {
            // Forget the id, or the redelivery of a command that was never served would be dropped as a duplicate.
            ledger.forget(request.commandId());
            throw e;
        }
    }

    /** The checks a decoded command must pass before its id counts; false when it was rejected (and audited). */
    private boolean valid(ConsumerRecord<byte[], byte[]> record, RefreshRequested request) {
        String recordKey = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!request.tokenKey().asString().equals(recordKey)) {
            // docs/design.md §5.3: the record key is checked before anything else the value says.
            String message = "the record key \"" + LogText.of(recordKey, MAX_AUDITED_KEY_CHARS)
                    + "\" differs from the command's tokenKey";
            deadLetter(record, KEY_MISMATCH, message);
            reject(request, KEY_MISMATCH, message);
            return false;
        }
        if (catalog.find(request.tokenKey()).isEmpty()) {
            deadLetter(record, UNKNOWN_KEY, "no credential with key " + request.tokenKey() + " is configured");
            reject(request, UNKNOWN_KEY, "no credential with this key is configured in tokencast.apps");
            return false;
        }
        Instant now = clock.instant();
        if (request.requestedAt().isBefore(now.minus(dedupWindow))) {
            // Older than the ledger remembers: it may have been served already, so it must not run again.
            reject(
                    request,
                    COMMAND_EXPIRED,
                    "requested at " + request.requestedAt() + ", longer ago than the " + dedupWindow
                            + " within which commands are de-duplicated; ask again");
            return false;
        }
        if (request.requestedAt().isAfter(now.plus(CLOCK_SKEW))) {
            // From the future, it would outlive the ledger's memory of it and could be replayed once forgotten.
            reject(
                    request,
                    OUT_OF_RANGE,
                    "requested at " + request.requestedAt() + ", more than " + CLOCK_SKEW + " ahead of this"
                            + " refresher's clock");
            return false;
        }
        return true;
    }

    /**
     * Gives up on a record whose handling kept failing: it is dead-lettered and audited {@code REJECTED}, so
     * it blocks the partition no longer. Never throws.
     */
    void giveUp(ConsumerRecord<byte[], byte[]> record, Exception failure) {
        // Class names only: a message of a client library may quote a URL or a value.
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        String message = "handling failed repeatedly: " + cause.getClass().getName();
        log.error(
                "admin record given up partition={} offset={} key={} error={} action=inspect-the-dead-letter-topic",
                record.partition(),
                record.offset(),
                keyText(record),
                cause.getClass().getName());
        try {
            deadLetter(record, PROCESSING_FAILED, message);
        } catch (RuntimeException e) {
            log.error(
                    "admin record not dead-lettered partition={} offset={} key={} error={}",
                    record.partition(),
                    record.offset(),
                    keyText(record),
                    e.getMessage());
        }
        RefreshRequested request = decodable(record);
        // With the command's id in the record, whoever waits for its outcome (refresh --wait) learns of it.
        audit(request == null ? keyText(record) : request.tokenKey().asString(), request, PROCESSING_FAILED, message);
        metrics.handled(AttemptOutcome.REJECTED.name());
        metrics.rejected(PROCESSING_FAILED);
    }

    private RefreshRequested decodable(ConsumerRecord<byte[], byte[]> record) {
        try {
            return codec.decode(record.value(), RefreshRequested.class);
        } catch (EventDecodingException e) {
            return null;
        }
    }

    private void serve(RefreshRequested request) {
        Admission admission = limits;
        if (ReportVerifier.isReport(request)) {
            switch (reports.decide(catalog.find(request.tokenKey()).orElseThrow(), request)) {
                case STILL_VALID -> {
                    reject(
                            request,
                            TOKEN_STILL_VALID,
                            "WeChat accepts the reported token (getcallbackip); asked again" + " at most every "
                                    + reports.interval().toSeconds() + " s");
                    return;
                }
                case LIMITED -> {
                    reject(
                            request,
                            REPORT_LIMITED,
                            "this kind has no liveness probe; a token is refreshed for" + " reports once, and a key "
                                    + ReportVerifier.UNPROBED_PER_HOUR + " times an hour");
                    return;
                }
                case CONFIRMED_DEAD -> admission = limits.necessity();
                case UNVERIFIED -> admission = limits;
            }
        }
        RefreshOutcome outcome =
                refresher.refresh(request.tokenKey(), request.reason(), RefreshCommand.of(request), admission);
        metrics.handled(outcome.result().name());
        if (outcome.result() == RefreshOutcome.Result.REJECTED) {
            metrics.rejected(outcome.errorCode());
        }
        log.info(
                "admin command served commandId={} key={} reason={} outcome={} errorCode={} version={} requestedBy={}",
                request.commandId(),
                request.tokenKey(),
                request.reason(),
                outcome.result(),
                outcome.errorCode(),
                outcome.version(),
                printable(request.requestedBy(), MAX_AUDITED_KEY_CHARS));
    }

    /** A record that is no command at all: dead-letter, audit under the record's key, count. */
    private void poison(ConsumerRecord<byte[], byte[]> record, String problem, String message) {
        deadLetter(record, problem, message);
        String key = keyText(record);
        log.warn(
                "admin record rejected partition={} offset={} key={} problem={} message={}",
                record.partition(),
                record.offset(),
                key,
                problem,
                message);
        audit(key, null, problem, message);
        metrics.handled(AttemptOutcome.REJECTED.name());
        metrics.rejected(problem);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String problem, String message) {
        deadLetters.keep(record, problem, message);
        metrics.deadLettered();
    }

    private void reject(RefreshRequested request, String code, String message) {
        log.warn(
                "admin command rejected commandId={} key={} reason={} errorCode={} requestedBy={}",
                request.commandId(),
                request.tokenKey(),
                request.reason(),
                code,
                printable(request.requestedBy(), MAX_AUDITED_KEY_CHARS));
        audit(request.tokenKey().asString(), request, code, message);
        metrics.handled(AttemptOutcome.REJECTED.name());
        metrics.rejected(code);
    }

    private void audit(String key, RefreshRequested request, String code, String message) {
        RefreshAttempted attempt = new RefreshAttempted(
                UUID.randomUUID(),
                key,
                AttemptOutcome.REJECTED,
                null,
                null,
                null,
                request == null ? null : request.reason(),
                request == null ? null : request.commandId(),
                request == null ? null : request.requestedBy(),
                code,
                truncate(message, MAX_AUDITED_MESSAGE_CHARS),
                null,
                instanceId,
                clock.instant(),
                null);
        try {
            publisher.audit(attempt);
        } catch (PublishException e) {
            // The refusal stands; only its record is missing. Same stance as the refresher's own audit trail.
            log.warn("audit record lost key={} outcome=REJECTED errorCode={} error={}", key, code, e.getMessage());
        }
    }

    /** The record's key as text for the audit topic and logs: at most 200 chars, {@value #NO_KEY} if none. */
    static String keyText(ConsumerRecord<byte[], byte[]> record) {
        byte[] key = record.key();
        if (key == null || key.length == 0) {
            return NO_KEY;
        }
        return printable(new String(key, StandardCharsets.UTF_8), MAX_AUDITED_KEY_CHARS);
    }

    /** Cut to {@code max} chars, control characters escaped: a forged key must not start a fake log line. */
    private static String printable(String text, int max) {
        return text == null ? null : LogText.of(text, max);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }
}

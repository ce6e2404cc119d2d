package io.tokencast.refresher.admin;

import io.tokencast.refresher.admin.CommandAuthenticator.Refusal;
import io.tokencast.refresher.admin.CommandAuthenticator.Signer;
import io.tokencast.refresher.admin.Rejections.Subject;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.refresh.Admission;
import io.tokencast.refresher.refresh.CommandContext;
import io.tokencast.refresher.refresh.RefreshOutcome;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.RefreshRequested;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one record of the admin topic or the reports topic (docs/design.md §4.3, docs/security.md §6). On the
 * admin topic only a command signed with an operator key counts, checked before anything else ({@link
 * CommandAuthenticator}); on the reports topic a record is an invalid-token report ({@code ifFingerprint} required,
 * no {@code force}) whose {@code requestedBy} is a hint, never an identity. What passes is de-duplicated by command
 * id (reports and commands apart, so a report can never shadow a command) and handed to the {@link Refresher}, with
 * {@link ManualFetchLimits} as the last check before WeChat. Every record gets exactly one audit record; a
 * duplicate gets none, its first delivery already has one. No payload can make this class throw, only a failing
 * Redis or broker can.
 */
final class AdminCommands {

    private static final Logger log = LoggerFactory.getLogger(AdminCommands.class);

    static final String UNKNOWN_KEY = "UNKNOWN_KEY";
    static final String PROCESSING_FAILED = "PROCESSING_FAILED";
    static final String DUPLICATE = "DUPLICATE";
    static final String TOKEN_STILL_VALID = "TOKEN_STILL_VALID";
    static final String REPORT_LIMITED = "REPORT_LIMITED";

    /** Marks a report's {@code requestedBy} in the audit: what the service said, not who it is. */
    static final String REPORTED_BY = "report:";

    private final EventCodec codec = EventCodec.json();
    private final CredentialCatalog catalog;
    private final Refresher refresher;
    private final ManualFetchLimits limits;
    private final ReportVerifier reports;
    private final CommandAuthenticator authenticator;
    private final CommandLedger commandLedger;
    private final CommandLedger reportLedger;
    private final Rejections rejections;
    private final AdminMetrics metrics;
    private final Clock clock;
    private final Duration dedupWindow;
    private final String reportsTopic;

    AdminCommands(
            CredentialCatalog catalog,
            Refresher refresher,
            ManualFetchLimits limits,
            ReportVerifier reports,
            CommandAuthenticator authenticator,
            CommandLedger commandLedger,
            CommandLedger reportLedger,
            Rejections rejections,
            AdminMetrics metrics,
            Clock clock,
            Duration dedupWindow,
            String reportsTopic) {
        this.catalog = catalog;
        this.refresher = refresher;
        this.limits = limits;
        this.reports = reports;
        this.authenticator = authenticator;
        this.commandLedger = commandLedger;
        this.reportLedger = reportLedger;
        this.rejections = rejections;
        this.metrics = metrics;
        this.clock = clock;
        this.dedupWindow = dedupWindow;
        this.reportsTopic = reportsTopic;
    }

    /** A command that passed its topic's checks, with whom the audit credits it. */
    private record Accepted(RefreshRequested request, String requestedBy, String onBehalfOf, CommandLedger ledger) {}

    /**
     * Serves one record of either topic.
     *
     * @throws RuntimeException only when Redis or the broker failed; the record may be delivered again
     */
    void handle(ConsumerRecord<byte[], byte[]> record) {
        Optional<Accepted> accepted = reportsTopic.equals(record.topic()) ? report(record) : command(record);
        accepted.ifPresent(this::serveOnce);
    }

    /** An admin-topic record: signature first, then the command's own checks. */
    private Optional<Accepted> command(ConsumerRecord<byte[], byte[]> record) {
        Signer signer = authenticator.signer(record.value(), recordKey(record));
        if (!signer.isVerified()) {
            reject(record, Subject.of(record, CommandAuthenticator.NOBODY), signer.refusal(), true);
            return Optional.empty();
        }
        String operator = signer.operator();
        RefreshRequested command = decode(record, operator);
        if (command == null) {
            return Optional.empty();
        }
        Optional<Refusal> refusal = authenticator.check(command, operator);
        if (refusal.isPresent()) {
            boolean forged = refusal.get().code().equals(CommandAuthenticator.UNAUTHENTICATED);
            // Signed in another's name: credited to nobody, and its id is not the audit's to answer for.
            Subject subject = forged
                    ? Subject.of(record, CommandAuthenticator.NOBODY)
                    : subject(command, operator, command.onBehalfOf());
            reject(record, subject, refusal.get(), forged);
            return Optional.empty();
        }
        Accepted accepted = new Accepted(command, operator, command.onBehalfOf(), commandLedger);
        return known(record, accepted) ? Optional.of(accepted) : Optional.empty();
    }

    /** A reports-topic record: an invalid-token report, or refused. */
    private Optional<Accepted> report(ConsumerRecord<byte[], byte[]> record) {
        RefreshRequested report = decode(record, null);
        if (report == null) {
            return Optional.empty();
        }
        Accepted accepted = new Accepted(report, REPORTED_BY + report.requestedBy(), null, reportLedger);
        Subject subject = subject(report, accepted.requestedBy(), null);
        String recordKey = recordKey(record);
        if (!report.tokenKey().asString().equals(recordKey)) {
            // docs/design.md §5.3: the record key is checked before anything else the value says.
            reject(
                    record,
                    subject,
                    new Refusal(
                            CommandAuthenticator.KEY_MISMATCH,
                            "the record key \"" + LogText.of(recordKey, Rejections.MAX_AUDITED_KEY_CHARS)
                                    + "\" differs from the report's tokenKey"),
                    true);
            return Optional.empty();
        }
        Optional<Refusal> refusal = ReportRules.check(report, clock.instant(), dedupWindow);
        if (refusal.isPresent()) {
            reject(record, subject, refusal.get(), false);
            return Optional.empty();
        }
        return known(record, accepted) ? Optional.of(accepted) : Optional.empty();
    }

    /** Whether the key is one this refresher manages; refused (and dead-lettered) when not. */
    private boolean known(ConsumerRecord<byte[], byte[]> record, Accepted accepted) {
        RefreshRequested request = accepted.request();
        if (catalog.find(request.tokenKey()).isPresent()) {
            return true;
        }
        rejections.deadLetter(record, UNKNOWN_KEY, "no credential with key " + request.tokenKey() + " is configured");
        rejections.refuse(
                record,
                subject(request, accepted.requestedBy(), accepted.onBehalfOf()),
                UNKNOWN_KEY,
                "no credential with this key is configured in tokencast.apps");
        return false;
    }

    /**
     * Serves a command once: only a command that passed every check takes its id, so a garbage or forged record
     * carrying a real command's id never shadows the real one (issue 14).
     */
    private void serveOnce(Accepted accepted) {
        RefreshRequested request = accepted.request();
        if (!accepted.ledger().firstSighting(request.commandId())) {
            log.info(
                    "command dropped commandId={} key={} cause=duplicate requestedBy={}",
                    request.commandId(),
                    request.tokenKey(),
                    Rejections.printable(accepted.requestedBy()));
            metrics.handled(DUPLICATE);
            return;
        }
        try {
            serve(accepted);
        } catch (RuntimeException e) {
            // Forget the id, or the redelivery of a command that was never served would be dropped as a duplicate.
            accepted.ledger().forget(request.commandId());
            throw e;
        }
    }

    private void serve(Accepted accepted) {
        RefreshRequested request = accepted.request();
        Admission admission = limits;
        if (ReportVerifier.isReport(request)) {
            Subject subject = subject(request, accepted.requestedBy(), accepted.onBehalfOf());
            switch (reports.decide(catalog.find(request.tokenKey()).orElseThrow(), request)) {
                case STILL_VALID -> {
                    rejections.audit(
                            subject,
                            TOKEN_STILL_VALID,
                            "WeChat accepts the reported token (getcallbackip); asked again at most every "
                                    + reports.interval().toSeconds() + " s");
                    counted(TOKEN_STILL_VALID);
                    return;
                }
                case LIMITED -> {
                    rejections.audit(
                            subject,
                            REPORT_LIMITED,
                            "this kind has no liveness probe; a token is refreshed for reports once, and a key "
                                    + ReportVerifier.UNPROBED_PER_HOUR + " times an hour");
                    counted(REPORT_LIMITED);
                    return;
                }
                case CONFIRMED_DEAD -> admission = limits.necessity();
                case UNVERIFIED -> admission = limits;
            }
        }
        CommandContext command = new CommandContext(
                request.commandId(),
                request.ifFingerprint(),
                request.force(),
                accepted.requestedBy(),
                accepted.onBehalfOf());
        RefreshOutcome outcome = refresher.refresh(request.tokenKey(), request.reason(), command, admission);
        metrics.handled(outcome.result().name());
        if (outcome.result() == RefreshOutcome.Result.REJECTED) {
            metrics.rejected(outcome.errorCode());
        }
        log.info(
                "command served commandId={} key={} reason={} outcome={} errorCode={} version={} requestedBy={}"
                        + " onBehalfOf={}",
                request.commandId(),
                request.tokenKey(),
                request.reason(),
                outcome.result(),
                outcome.errorCode(),
                outcome.version(),
                Rejections.printable(accepted.requestedBy()),
                Rejections.printable(accepted.onBehalfOf()));
    }

    private void counted(String code) {
        metrics.handled(AttemptOutcome.REJECTED.name());
        metrics.rejected(code);
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
                "command given up topic={} partition={} offset={} key={} error={}"
                        + " action=inspect-the-dead-letter-topic",
                record.topic(),
                record.partition(),
                record.offset(),
                Rejections.keyText(record),
                cause.getClass().getName());
        try {
            rejections.deadLetter(record, PROCESSING_FAILED, message);
        } catch (RuntimeException e) {
            log.error(
                    "command not dead-lettered partition={} offset={} key={} error={}",
                    record.partition(),
                    record.offset(),
                    Rejections.keyText(record),
                    e.getMessage());
        }
        // With the command's id in the record, whoever waits for its outcome (refresh --wait) learns of it.
        rejections.audit(subjectOf(record), PROCESSING_FAILED, message);
        counted(PROCESSING_FAILED);
    }

    /** Whom a record's audit credits, as far as it can be told without serving it. */
    private Subject subjectOf(ConsumerRecord<byte[], byte[]> record) {
        String operator = null;
        if (!reportsTopic.equals(record.topic())) {
            Signer signer = authenticator.signer(record.value(), recordKey(record));
            if (!signer.isVerified()) {
                return Subject.of(record, CommandAuthenticator.NOBODY);
            }
            operator = signer.operator();
        }
        try {
            RefreshRequested request = codec.decode(record.value(), RefreshRequested.class);
            return operator == null
                    ? subject(request, REPORTED_BY + request.requestedBy(), null)
                    : subject(request, operator, request.onBehalfOf());
        } catch (EventDecodingException e) {
            return Subject.of(record, operator);
        }
    }

    /** The record as a command, or null once it was refused as no command at all. */
    private RefreshRequested decode(ConsumerRecord<byte[], byte[]> record, String creditedTo) {
        try {
            return codec.decode(record.value(), RefreshRequested.class);
        } catch (EventDecodingException e) {
            reject(
                    record,
                    Subject.of(record, creditedTo),
                    new Refusal(e.problem().name(), LogText.of(e.getMessage(), Rejections.MAX_AUDITED_MESSAGE_CHARS)),
                    true);
            return null;
        }
    }

    private void reject(ConsumerRecord<byte[], byte[]> record, Subject subject, Refusal refusal, boolean deadLetter) {
        if (deadLetter) {
            rejections.deadLettered(record, subject, refusal.code(), refusal.message());
        } else {
            rejections.refuse(record, subject, refusal.code(), refusal.message());
        }
    }

    private static Subject subject(RefreshRequested request, String requestedBy, String onBehalfOf) {
        return new Subject(
                request.tokenKey().asString(), request.commandId(), request.reason(), requestedBy, onBehalfOf);
    }

    private static String recordKey(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }
}

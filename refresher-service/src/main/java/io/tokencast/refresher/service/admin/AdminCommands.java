package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.refresh.Admission;
import io.tokencast.refresher.refresh.CommandContext;
import io.tokencast.refresher.refresh.RefreshOutcome;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.refresher.service.admin.CommandIntake.Accepted;
import io.tokencast.refresher.service.admin.Rejections.Subject;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshRequested;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one record of the admin topic or the reports topic (docs/design.md §4.3, docs/security.md §6). The
 * record's checks are {@link CommandIntake}'s (an operator's signature on the admin topic; a report's rules on the
 * reports topic, where {@code requestedBy} is a hint, never an identity). What passes is de-duplicated by command
 * id (reports and commands apart, so a report can never shadow a command), a report is weighed by the {@link
 * ReportVerifier}, and the command is handed to the {@link Refresher}, with {@link ManualFetchLimits} as the last
 * check before WeChat. Every record gets exactly one audit record; a
 * duplicate gets none, its first delivery already has one. No payload can make this class throw, only a failing
 * Redis or broker can.
 */
final class AdminCommands {

    private static final Logger log = LoggerFactory.getLogger(AdminCommands.class);

    static final String PROCESSING_FAILED = "PROCESSING_FAILED";
    static final String DUPLICATE = "DUPLICATE";
    static final String TOKEN_STILL_VALID = "TOKEN_STILL_VALID";
    static final String REPORT_LIMITED = "REPORT_LIMITED";

    private final CommandIntake intake;
    private final CredentialCatalog catalog;
    private final Refresher refresher;
    private final ManualFetchLimits limits;
    private final ReportVerifier reports;
    private final Rejections rejections;
    private final AdminMetrics metrics;

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
        this.intake = new CommandIntake(
                catalog, authenticator, commandLedger, reportLedger, rejections, clock, dedupWindow, reportsTopic);
        this.catalog = catalog;
        this.refresher = refresher;
        this.limits = limits;
        this.reports = reports;
        this.rejections = rejections;
        this.metrics = metrics;
    }

    /**
     * Serves one record of either topic.
     *
     * @throws RuntimeException only when Redis or the broker failed; the record may be delivered again
     */
    void handle(ConsumerRecord<byte[], byte[]> record) {
        intake.take(record).ifPresent(this::serveOnce);
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
            Subject subject = accepted.subject();
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
        rejections.audit(intake.subjectOf(record), PROCESSING_FAILED, message);
        counted(PROCESSING_FAILED);
    }
}

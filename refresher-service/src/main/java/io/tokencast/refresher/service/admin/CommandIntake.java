package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.admin.CommandAuthenticator.Refusal;
import io.tokencast.refresher.service.admin.CommandAuthenticator.Signer;
import io.tokencast.refresher.service.admin.Rejections.Subject;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.RefreshRequested;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The checks a record of the admin topic or the reports topic passes before it is served (docs/design.md §4.3,
 * docs/security.md §6): on the admin topic the operator signature first ({@link CommandAuthenticator}), then the
 * command's own rules; on the reports topic the record key, then the report rules ({@link ReportRules}); on both,
 * a key this refresher manages. A record that fails is refused here, audited once and, where it is no command at
 * all, dead-lettered; what passes is an {@link Accepted} command with whom the audit credits it. Never throws for a
 * payload, only for a failing Redis or broker.
 */
final class CommandIntake {

    static final String UNKNOWN_KEY = "UNKNOWN_KEY";

    /** Marks a report's {@code requestedBy} in the audit: what the service said, not who it is. */
    static final String REPORTED_BY = "report:";

    /** A command that passed its topic's checks, with whom the audit credits it and the ledger of its ids. */
    record Accepted(RefreshRequested request, String requestedBy, String onBehalfOf, CommandLedger ledger) {

        Subject subject() {
            return CommandIntake.subject(request, requestedBy, onBehalfOf);
        }
    }

    private final EventCodec codec = EventCodec.json();
    private final CredentialCatalog catalog;
    private final CommandAuthenticator authenticator;
    private final CommandLedger commandLedger;
    private final CommandLedger reportLedger;
    private final Rejections rejections;
    private final Clock clock;
    private final Duration dedupWindow;
    private final String reportsTopic;

    CommandIntake(
            CredentialCatalog catalog,
            CommandAuthenticator authenticator,
            CommandLedger commandLedger,
            CommandLedger reportLedger,
            Rejections rejections,
            Clock clock,
            Duration dedupWindow,
            String reportsTopic) {
        this.catalog = catalog;
        this.authenticator = authenticator;
        this.commandLedger = commandLedger;
        this.reportLedger = reportLedger;
        this.rejections = rejections;
        this.clock = clock;
        this.dedupWindow = dedupWindow;
        this.reportsTopic = reportsTopic;
    }

    /** The record as a command to serve, or empty once it was refused (audited, and dead-lettered where due). */
    Optional<Accepted> take(ConsumerRecord<byte[], byte[]> record) {
        return reportsTopic.equals(record.topic()) ? report(record) : command(record);
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

    /** Whom a record's audit credits, as far as it can be told without serving it. */
    Subject subjectOf(ConsumerRecord<byte[], byte[]> record) {
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

    static Subject subject(RefreshRequested request, String requestedBy, String onBehalfOf) {
        return new Subject(
                request.tokenKey().asString(), request.commandId(), request.reason(), requestedBy, onBehalfOf);
    }

    private static String recordKey(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }
}

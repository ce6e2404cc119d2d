package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.service.publish.DeadLetters;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.LogText;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses admin-topic and reports-topic records: one {@code REJECTED} audit record each, a counter, a log line
 * and, for what is no valid command at all, a copy on the dead-letter topic. Whom the audit credits is decided by
 * the caller: a verified operator's name, {@code unauthenticated}, or a report's hint marked as such.
 */
final class Rejections {

    private static final Logger log = LoggerFactory.getLogger(Rejections.class);

    /** The audit record's key for a record without one. */
    static final String NO_KEY = "<none>";

    static final int MAX_AUDITED_KEY_CHARS = 200;
    static final int MAX_AUDITED_MESSAGE_CHARS = 1000;

    private final DeadLetters deadLetters;
    private final EventPublisher publisher;
    private final AdminMetrics metrics;
    private final Clock clock;
    private final String instanceId;

    Rejections(
            DeadLetters deadLetters, EventPublisher publisher, AdminMetrics metrics, Clock clock, String instanceId) {
        this.deadLetters = deadLetters;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /**
     * What the audit says about a refused record: under which key, for which command, credited to whom.
     *
     * @param commandId only for a command whose sender is known (verified, or a report): an unverified record's
     *     id might be a genuine command's, and the audit must not answer for that one
     */
    record Subject(String tokenKey, UUID commandId, RefreshReason reason, String requestedBy, String onBehalfOf) {

        static Subject of(ConsumerRecord<byte[], byte[]> record, String requestedBy) {
            return new Subject(keyText(record), null, null, requestedBy, null);
        }
    }

    /** A record that is no valid command: dead-letter it, then refuse it. */
    void deadLettered(ConsumerRecord<byte[], byte[]> record, Subject subject, String code, String message) {
        deadLetter(record, code, message);
        refuse(record, subject, code, message);
    }

    /** Keeps the record on the dead-letter topic only. */
    void deadLetter(ConsumerRecord<byte[], byte[]> record, String code, String message) {
        deadLetters.keep(record, code, message);
        metrics.deadLettered();
    }

    /** Audits and counts a refusal. */
    void refuse(ConsumerRecord<byte[], byte[]> record, Subject subject, String code, String message) {
        log.warn(
                "command rejected topic={} partition={} offset={} key={} commandId={} errorCode={} requestedBy={}",
                record.topic(),
                record.partition(),
                record.offset(),
                printable(subject.tokenKey()),
                subject.commandId(),
                code,
                printable(subject.requestedBy()));
        audit(subject, code, message);
        metrics.handled(AttemptOutcome.REJECTED.name());
        metrics.rejected(code);
    }

    /** The audit record alone, for a record given up on after failing repeatedly. Never throws. */
    void audit(Subject subject, String code, String message) {
        RefreshAttempted attempt = new RefreshAttempted(
                UUID.randomUUID(),
                subject.tokenKey(),
                AttemptOutcome.REJECTED,
                null,
                null,
                null,
                subject.reason(),
                subject.commandId(),
                subject.requestedBy(),
                code,
                truncate(message, MAX_AUDITED_MESSAGE_CHARS),
                null,
                instanceId,
                clock.instant(),
                null,
                subject.onBehalfOf());
        try {
            publisher.audit(attempt);
        } catch (PublishException e) {
            // The refusal stands; only its record is missing. Same stance as the refresher's own audit trail.
            log.warn(
                    "audit record lost key={} outcome=REJECTED errorCode={} error={}",
                    printable(subject.tokenKey()),
                    code,
                    e.getMessage());
        }
    }

    /** The record's key as text for the audit topic and logs: at most 200 chars, {@value #NO_KEY} if none. */
    static String keyText(ConsumerRecord<byte[], byte[]> record) {
        byte[] key = record.key();
        if (key == null || key.length == 0) {
            return NO_KEY;
        }
        return printable(new String(key, StandardCharsets.UTF_8));
    }

    /** Cut to 200 chars, control characters escaped: a forged key must not start a fake log line. */
    static String printable(String text) {
        return text == null ? null : LogText.of(text, MAX_AUDITED_KEY_CHARS);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
    }
}

package io.tokencast.consumer;

import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Tombstone;
import io.tokencast.trust.records.Interpretation.Version;
import io.tokencast.trust.records.RecordInterpreter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records of the tokens topic into changes of a {@link TokenTable}, read by the one {@link
 * io.tokencast.trust.records.RecordInterpreter} the refresher and the CLI read them with. A record that breaks the
 * contract is skipped, counted and logged once, never fatal and never replacing a good token; the log line names the
 * offset and the rule broken (e.g. {@code OUT_OF_RANGE}), never the value. Where signatures are checked, a
 * record is verified before it can replace anything, or, while restoring, kept to be verified before its key
 * is served; a bare tombstone then removes nothing.
 */
final class TokenRecords {

    private static final Logger log = LoggerFactory.getLogger(TokenRecords.class);

    private final TokenTable table;

    TokenRecords(TokenTable table) {
        this.table = table;
    }

    /** Applies one record, or skips and counts it; never throws, so no record can end the reader thread. */
    void accept(ConsumerRecord<String, byte[]> record) {
        table.countRead();
        try {
            interpret(record);
        } catch (RuntimeException e) {
            // A bug, not a bad record: the codec rejects those above. Only the class: a message may quote input.
            skip(record, "READER_ERROR", "unexpected " + e.getClass().getName() + " while applying the record");
        }
    }

    private void interpret(ConsumerRecord<String, byte[]> record) {
        RecordInterpreter<TokenKey, TokenRefreshed> interpreter = table.interpreter();
        Interpretation<TokenKey, TokenRefreshed> read =
                interpreter.decode(record.key(), record.value(), record.partition(), record.offset());
        if (read instanceof Rejected<TokenKey, TokenRefreshed> rejected) {
            skip(record, rejected.code(), rejected.detail());
        } else if (read instanceof Tombstone<TokenKey, TokenRefreshed> tombstone) {
            if (interpreter.verifies()) {
                table.ignoreTombstone(tombstone);
            } else {
                table.remove(tombstone.key());
            }
        } else if (read instanceof Retired<TokenKey, TokenRefreshed> retired) {
            if (interpreter.verifies() && !table.isReady()) {
                table.defer(retired);
            } else {
                table.retire(retired);
            }
        } else if (read instanceof Version<TokenKey, TokenRefreshed> version) {
            apply(record, version);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record, Version<TokenKey, TokenRefreshed> version) {
        if (table.overKeyCap(version.key())) {
            skip(record, "KEY_CAP", "the view holds its most keys already; raise TokenView.Builder.maxKeys");
        } else if (!table.interpreter().verifies()) {
            table.apply(version.event());
        } else if (table.isReady()) {
            table.applyVerified(version);
        } else {
            // Restoring: reading to the end costs no signature check; the key is verified before it is served.
            table.defer(version);
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, String problem, String detail) {
        table.countMalformed();
        log.warn(
                "skipped malformed token record topic={} partition={} offset={} key=\"{}\" problem={} detail=\"{}\"",
                record.topic(),
                record.partition(),
                record.offset(),
                printable(record.key()),
                problem,
                detail);
    }

    /** Record keys are not secret, but may be anything: keep log lines one line and short. */
    private static String printable(String key) {
        return key == null ? "<none>" : LogText.of(key, TokenKey.MAX_LENGTH);
    }
}

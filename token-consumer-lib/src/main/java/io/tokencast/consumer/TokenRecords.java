package io.tokencast.consumer;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records of the tokens topic into changes of a {@link TokenTable}. A record that breaks the contract
 * is skipped, counted and logged once, never fatal and never replacing a good token; the log line names the
 * offset and the rule broken (e.g. {@code OUT_OF_RANGE}), never the value. Where signatures are checked, a
 * record is verified before it can replace anything, or, while restoring, kept to be verified before its key
 * is served; a bare tombstone then removes nothing.
 */
final class TokenRecords {

    private static final Logger log = LoggerFactory.getLogger(TokenRecords.class);

    private final TokenTable table;
    private final EventCodec codec = EventCodec.json();

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
        TokenKey key;
        try {
            key = TokenKey.parse(record.key());
        } catch (InvalidTokenKeyException e) {
            skip(record, "INVALID_KEY", e.getMessage());
            return;
        }
        if (record.value() == null) {
            if (table.verifies()) {
                table.ignoreTombstone(key, record.partition(), record.offset());
            } else {
                table.remove(key);
            }
            return;
        }
        TokenRefreshed event;
        try {
            event = codec.decode(record.value(), TokenRefreshed.class);
        } catch (EventDecodingException e) {
            if (e.problem() != EventDecodingException.Problem.WRONG_TYPE || !retirement(record, key)) {
                skip(record, e.problem().name(), e.getMessage());
            }
            return;
        }
        if (!event.tokenKey().equals(key)) {
            skip(record, "KEY_MISMATCH", "the record key differs from the event's tokenKey " + event.tokenKey());
            return;
        }
        if (table.overKeyCap(key)) {
            skip(record, "KEY_CAP", "the view holds its most keys already; raise TokenView.Builder.maxKeys");
            return;
        }
        if (!table.verifies()) {
            table.apply(event);
        } else if (table.isReady()) {
            table.applyVerified(event, record.value(), record.partition(), record.offset());
        } else {
            // Restoring: reading to the end costs no signature check; the key is verified before it is served.
            table.defer(event, record.value(), record.partition(), record.offset());
        }
    }

    /** Applies the record as a {@code TokenRetired} if it is one; false when it is not one at all. */
    private boolean retirement(ConsumerRecord<String, byte[]> record, TokenKey key) {
        TokenRetired retired;
        try {
            retired = codec.decode(record.value(), TokenRetired.class);
        } catch (EventDecodingException e) {
            if (e.problem() == EventDecodingException.Problem.WRONG_TYPE) {
                return false;
            }
            skip(record, e.problem().name(), e.getMessage());
            return true;
        }
        if (!key.equals(retired.tokenKey())) {
            skip(record, "KEY_MISMATCH", "the record key differs from the TokenRetired's tokenKey");
        } else if (table.verifies() && !table.isReady()) {
            table.deferRetirement(retired, record.value(), record.partition(), record.offset());
        } else {
            table.retire(retired, record.value(), record.partition(), record.offset());
        }
        return true;
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

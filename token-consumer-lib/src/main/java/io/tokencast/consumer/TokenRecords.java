package io.tokencast.consumer;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns records of the tokens topic into changes of a {@link TokenTable}. A record that breaks the contract
 * is skipped, counted and logged once, never fatal and never replacing a good token; the log line names the
 * offset and the rule broken, never the value.
 */
final class TokenRecords {

    private static final Logger log = LoggerFactory.getLogger(TokenRecords.class);

    private final TokenTable table;
    private final EventCodec codec = EventCodec.json();

    TokenRecords(TokenTable table) {
        this.table = table;
    }

    void accept(ConsumerRecord<String, byte[]> record) {
        table.countRead();
        TokenKey key;
        try {
            key = TokenKey.parse(record.key());
        } catch (InvalidTokenKeyException e) {
            skip(record, "INVALID_KEY", e.getMessage());
            return;
        }
        if (record.value() == null) {
            table.remove(key);
            return;
        }
        TokenRefreshed event;
        try {
            event = codec.decode(record.value(), TokenRefreshed.class);
        } catch (EventDecodingException e) {
            skip(record, e.problem().name(), e.getMessage());
            return;
        }
        if (!event.tokenKey().equals(key)) {
            skip(record, "KEY_MISMATCH", "the record key differs from the event's tokenKey " + event.tokenKey());
            return;
        }
        table.apply(event);
    }

    private void skip(ConsumerRecord<String, byte[]> record, String problem, String detail) {
        table.countMalformed();
        log.warn(
                "skipped malformed token record topic={} partition={} offset={} key={} problem={} detail=\"{}\"",
                record.topic(),
                record.partition(),
                record.offset(),
                printable(record.key()),
                problem,
                detail);
    }

    /** Record keys are not secret, but may be anything: keep log lines one line and short. */
    private static String printable(String key) {
        if (key == null) {
            return "<none>";
        }
        String cut = key.length() > TokenKey.MAX_LENGTH ? key.substring(0, TokenKey.MAX_LENGTH) + "…" : key;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

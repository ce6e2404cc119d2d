package io.tokencast.refresher.service.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The newest dead letters of the admin topic: where each came from and why it was refused, from its
 * {@code tokencast.dlt.*} headers. Never the payload: a garbage command may hold anything, a token included.
 */
final class DeadLetterLog {

    private static final String PREFIX = "tokencast.dlt.";
    private static final int MAX_TEXT = 300;

    private final int max;
    private final Deque<ConsoleView.DeadLetter> recent = new ArrayDeque<>();

    DeadLetterLog(int max) {
        this.max = max;
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        String from = header(record, "original-topic") + "-" + header(record, "original-partition") + "@"
                + header(record, "original-offset");
        ConsoleView.DeadLetter letter = new ConsoleView.DeadLetter(
                record.timestamp(),
                header(record, "problem"),
                header(record, "message"),
                from,
                header(record, "value-size"));
        synchronized (recent) {
            recent.addFirst(letter);
            while (recent.size() > max) {
                recent.removeLast();
            }
        }
    }

    List<ConsoleView.DeadLetter> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(PREFIX + name);
        if (header == null || header.value() == null) {
            return "?";
        }
        String text = new String(header.value(), StandardCharsets.UTF_8);
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}

package io.tokencast.refresher.service.console;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.RefreshAttempted;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The recent audit records of each key, newest first, read from the audit topic: bounded in keys (the least
 * recently written key is forgotten first) and in records per key.
 */
final class AuditLog {

    private final int perKey;
    private final int maxKeys;
    private final Map<String, Deque<RefreshAttempted>> byKey;

    AuditLog(int perKey, int maxKeys) {
        this.perKey = perKey;
        this.maxKeys = maxKeys;
        this.byKey = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** Takes one audit record; what is not a {@link RefreshAttempted} is skipped. */
    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        RefreshAttempted attempt;
        try {
            attempt = EventCodec.json().decode(record.value(), RefreshAttempted.class);
        } catch (EventDecodingException e) {
            return; // the refresher writes this topic; anything else on it is not history
        }
        synchronized (byKey) {
            Deque<RefreshAttempted> history = byKey.computeIfAbsent(attempt.tokenKey(), k -> new ArrayDeque<>());
            history.addFirst(attempt);
            while (history.size() > perKey) {
                history.removeLast();
            }
            if (byKey.size() > maxKeys) {
                byKey.remove(byKey.keySet().iterator().next());
            }
        }
    }

    /** The key's recent attempts, newest first. */
    List<RefreshAttempted> history(String tokenKey) {
        synchronized (byKey) {
            Deque<RefreshAttempted> history = byKey.get(tokenKey);
            return history == null ? List.of() : new ArrayList<>(history);
        }
    }

    Optional<RefreshAttempted> last(String tokenKey) {
        synchronized (byKey) {
            Deque<RefreshAttempted> history = byKey.get(tokenKey);
            return history == null || history.isEmpty() ? Optional.empty() : Optional.of(history.peekFirst());
        }
    }
}

package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Version;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records read at cold start, kept unverified so that reading the topic to its end costs no signature
 * check (docs/design.md §5, "When to verify"): per key the last {@value #WINDOW} by offset, each verified later,
 * from the highest version down, in the background or on the key's first read. The reader thread adds until the
 * view is ready; after that, entries are only settled, each under its own lock, exactly once.
 */
final class RestoredRecords {

    /** Records kept per key: enough to fall back past a forged or replayed record or two, and bounded. */
    static final int WINDOW = 3;

    private static final Logger log = LoggerFactory.getLogger(RestoredRecords.class);

    private final ConcurrentHashMap<TokenKey, Entry> entries = new ConcurrentHashMap<>();
    private volatile List<Thread> background = List.of();
    private volatile boolean stopped;

    /** One record as decoded: a {@link Version} or a {@link Retired}, with the exact bytes its signature covers. */
    record Candidate(Interpretation<TokenKey, TokenRefreshed> read) {

        Candidate {
            if (!(read instanceof Version || read instanceof Retired)) {
                throw new IllegalArgumentException("only a version or a retirement waits for its check");
            }
        }

        long version() {
            return read instanceof Version<TokenKey, TokenRefreshed> version
                    ? version.event().version()
                    : ((Retired<TokenKey, TokenRefreshed>) read).event().version();
        }

        int partition() {
            return read.partition();
        }

        long offset() {
            return read.offset();
        }
    }

    /** A key's kept records; {@link #settled} turns true once, under the entry's lock. */
    static final class Entry {
        private final ArrayDeque<Candidate> candidates = new ArrayDeque<>(WINDOW);
        boolean settled;

        /** The kept records from the highest version down (ties: the later offset first). */
        List<Candidate> byVersionDescending() {
            List<Candidate> sorted = new ArrayList<>(candidates);
            sorted.sort(Comparator.comparingLong(Candidate::version)
                    .thenComparingLong(Candidate::offset)
                    .reversed());
            return sorted;
        }
    }

    /** Keeps {@code candidate}; the oldest by offset goes when the key already has {@value #WINDOW}. Reader only. */
    void add(TokenKey key, Candidate candidate) {
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        for (Candidate kept : entry.candidates) {
            if (kept.partition() == candidate.partition() && kept.offset() == candidate.offset()) {
                return; // read again after a reader failure: already kept
            }
        }
        if (entry.candidates.size() == WINDOW) {
            entry.candidates.removeFirst();
        }
        entry.candidates.addLast(candidate);
    }

    Entry get(TokenKey key) {
        return entries.get(key);
    }

    boolean contains(TokenKey key) {
        return entries.containsKey(key);
    }

    void remove(TokenKey key, Entry entry) {
        entries.remove(key, entry);
    }

    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<TokenKey> keys() {
        return List.copyOf(entries.keySet());
    }

    /**
     * Settles every key in the background on {@code threads} daemon threads, leaving a core to readers and the
     * topic reader; a key read first is settled by its reader, and each only once.
     */
    synchronized void settleInBackground(Consumer<TokenKey> settle, int threads, String source) {
        if (entries.isEmpty() || stopped || !background.isEmpty()) {
            return;
        }
        List<TokenKey> keys = keys();
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger running = new AtomicInteger(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(
                    () -> {
                        for (int i; !stopped && (i = next.getAndIncrement()) < keys.size(); ) {
                            settle.accept(keys.get(i));
                        }
                        if (running.decrementAndGet() == 0 && !stopped) {
                            log.info(
                                    "token view verified restored keys source={} keys={} threads={} tookMs={}",
                                    source,
                                    keys.size(),
                                    threads,
                                    (System.nanoTime() - started) / 1_000_000);
                        }
                    },
                    "tokencast-view-verify-" + t);
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY - 1);
            workers.add(thread);
        }
        background = List.copyOf(workers);
        workers.forEach(Thread::start);
    }

    /** Stops the background threads after the key each is settling. */
    void stop() {
        stopped = true;
    }
}

package io.tokencast.consumer;

import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.signing.Verdict;
import io.tokencast.trust.signing.Verification;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link TokenTable} counts since it was built, read as {@link ConsumerStats}. Written by the table's one
 * writer and by whoever settles a restored key; read by anyone.
 */
final class TableCounters {

    private static final Logger log = LoggerFactory.getLogger(TokenTable.class);

    final AtomicLong recordsRead = new AtomicLong();
    final AtomicLong versionsApplied = new AtomicLong();
    final AtomicLong olderVersionsIgnored = new AtomicLong();
    final AtomicLong tombstones = new AtomicLong();
    final AtomicLong malformedSkipped = new AtomicLong();
    final AtomicLong readerFailures = new AtomicLong();
    final AtomicLong tombstonesIgnored = new AtomicLong();
    private final AtomicLongArray rejections = new AtomicLongArray(Verdict.values().length);

    /** Counts and logs a record refused by the signature check; it is never held. */
    void rejected(TokenKey key, long version, Verification verification, int partition, long offset) {
        rejections.incrementAndGet(verification.verdict().ordinal());
        log.warn(
                "refused token record key={} version={} partition={} offset={} verdict={} kid=\"{}\" detail=\"{}\"",
                key,
                version,
                partition,
                offset,
                verification.verdict(),
                verification.kid() == null ? "" : LogText.of(verification.kid(), 64),
                verification.detail());
    }

    /** Records refused by the signature check, all verdicts together. */
    long rejected() {
        long rejected = 0;
        for (int i = 0; i < rejections.length(); i++) {
            rejected += rejections.get(i);
        }
        return rejected;
    }

    ConsumerStats stats(boolean ready, int keys, boolean readerAlive, int verificationPending) {
        return new ConsumerStats(
                ready,
                keys,
                recordsRead.get(),
                versionsApplied.get(),
                olderVersionsIgnored.get(),
                tombstones.get(),
                malformedSkipped.get(),
                readerAlive,
                readerFailures.get(),
                rejections(),
                verificationPending,
                tombstonesIgnored.get());
    }

    private Map<Verdict, Long> rejections() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            long count = rejections.get(verdict.ordinal());
            if (count > 0) {
                counts.put(verdict, count);
            }
        }
        return counts;
    }
}

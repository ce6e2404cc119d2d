package io.tokencast.consumer;

import io.tokencast.trust.signing.Verdict;
import java.util.Map;

/**
 * Counters of a view since it was built, for health checks and metrics.
 *
 * @param ready whether the view has read the topic to the end offsets taken at start
 * @param keys tokens held (removed keys excluded, expired ones included); keys whose restored records still
 *     wait for their signature check are not among them, see {@code verificationPending}
 * @param recordsRead every record read, good or bad
 * @param versionsApplied records that became the held version of their key
 * @param olderVersionsIgnored records whose version was not newer than the one held
 * @param tombstones removals applied
 * @param malformedSkipped records that could not be decoded or broke the contract; never applied
 * @param readerAlive false while the reader thread is failing or being restarted: the view then serves what
 *     it holds but learns of no new version, and its health is DOWN
 * @param readerFailures times the reader thread failed and was resumed since the view was built
 * @param signatureRejections records refused by the signature check, per verdict (never {@code VERIFIED});
 *     never applied
 * @param verificationPending keys restored at start whose records are not verified yet: each is verified in
 *     the background or on its first read, whichever comes first, and is never served before
 * @param tombstonesIgnored bare tombstones (null values) left without effect because signatures are checked:
 *     only a verified {@code TokenRetired} removes a key
 */
public record ConsumerStats(
        boolean ready,
        int keys,
        long recordsRead,
        long versionsApplied,
        long olderVersionsIgnored,
        long tombstones,
        long malformedSkipped,
        boolean readerAlive,
        long readerFailures,
        Map<Verdict, Long> signatureRejections,
        int verificationPending,
        long tombstonesIgnored) {

    public ConsumerStats {
        signatureRejections = Map.copyOf(signatureRejections);
    }

    /** Counters of a view whose reader never failed and which checks no signature. */
    public ConsumerStats(
            boolean ready,
            int keys,
            long recordsRead,
            long versionsApplied,
            long olderVersionsIgnored,
            long tombstones,
            long malformedSkipped) {
        this(
                ready,
                keys,
                recordsRead,
                versionsApplied,
                olderVersionsIgnored,
                tombstones,
                malformedSkipped,
                true,
                0,
                Map.of(),
                0,
                0);
    }

    /** Records refused by the signature check, all verdicts together. */
    public long signatureRejected() {
        return signatureRejections.values().stream().mapToLong(Long::longValue).sum();
    }
}

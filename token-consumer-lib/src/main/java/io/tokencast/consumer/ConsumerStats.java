package io.tokencast.consumer;

/**
 * Counters of a view since it was built, for health checks and metrics.
 *
 * @param ready whether the view has read the topic to the end offsets taken at start
 * @param keys tokens held (removed keys excluded, expired ones included)
 * @param recordsRead every record read, good or bad
 * @param versionsApplied records that became the held version of their key
 * @param olderVersionsIgnored records whose version was not newer than the one held
 * @param tombstones removals applied
 * @param malformedSkipped records that could not be decoded or broke the contract; never applied
 * @param readerAlive false while the reader thread is failing or being restarted: the view then serves what
 *     it holds but learns of no new version, and its health is DOWN
 * @param readerFailures times the reader thread failed and was resumed since the view was built
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
        long readerFailures) {

    /** Counters of a view whose reader never failed. */
    public ConsumerStats(
            boolean ready,
            int keys,
            long recordsRead,
            long versionsApplied,
            long olderVersionsIgnored,
            long tombstones,
            long malformedSkipped) {
        this(ready, keys, recordsRead, versionsApplied, olderVersionsIgnored, tombstones, malformedSkipped, true, 0);
    }
}

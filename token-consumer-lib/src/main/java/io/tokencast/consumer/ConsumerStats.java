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
 */
public record ConsumerStats(
        boolean ready,
        int keys,
        long recordsRead,
        long versionsApplied,
        long olderVersionsIgnored,
        long tombstones,
        long malformedSkipped) {}

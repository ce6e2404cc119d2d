package io.tokencast.schema;

/** What came of one refresh attempt, as recorded on the audit topic. */
public enum AttemptOutcome {
    /** A new version was stored and published. */
    REFRESHED,
    /** WeChat (or tokencast) refused; see the error code. */
    FAILED,
    /** Answered by a refresh that already happened or is happening; no fetch of its own. */
    COALESCED,
    /** The command was invalid, a duplicate of nothing useful, rate-limited or over quota. */
    REJECTED,
    /** Nothing was done, e.g. a stale writer lost the compare-and-set. */
    SKIPPED
}

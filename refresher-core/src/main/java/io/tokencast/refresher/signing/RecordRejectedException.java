package io.tokencast.refresher.signing;

import io.tokencast.trust.signing.Verdict;

/**
 * A record read back from Redis or a topic failed verification: it is never applied. The message names the
 * source, the key and the rule broken, never a value.
 */
public final class RecordRejectedException extends RuntimeException {

    private final Verdict verdict;
    private final RecordSource source;

    RecordRejectedException(RecordSource source, String recordKey, Verdict verdict, String detail) {
        super(
                source.tag() + " record of " + recordKey + " rejected: " + verdict + " (" + detail + ")",
                null,
                false,
                false);
        this.verdict = verdict;
        this.source = source;
    }

    public Verdict verdict() {
        return verdict;
    }

    public RecordSource source() {
        return source;
    }
}

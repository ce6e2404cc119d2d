package io.tokencast.trust.signing;

/** Carries a rejection out of the parsing steps to {@link RecordVerifier}, which turns it into a result. */
final class RejectedException extends RuntimeException {

    private final Verdict verdict;

    RejectedException(Verdict verdict, String message) {
        super(message, null, false, false);
        this.verdict = verdict;
    }

    Verdict verdict() {
        return verdict;
    }
}

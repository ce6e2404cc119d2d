package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.service.admin.CommandAuthenticator.Refusal;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a record on the reports topic must be (docs/security.md §6): an invalid-token report naming the
 * fingerprint WeChat refused, never forcing, young enough for the ledger to remember and not from the future.
 * Anyone with a service's rights writes there, so nothing else a command could do is allowed.
 */
final class ReportRules {

    static final String FORCE_REFUSED = "FORCE_REFUSED";
    static final String FINGERPRINT_REQUIRED = "FINGERPRINT_REQUIRED";
    static final String NOT_A_REPORT = "NOT_A_REPORT";
    static final String COMMAND_EXPIRED = "COMMAND_EXPIRED";
    static final String OUT_OF_RANGE = "OUT_OF_RANGE";

    /** How far ahead of this refresher's clock a report's {@code requestedAt} may be. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private ReportRules() {}

    /** Why {@code report} is refused, if it is; {@code dedupWindow} is how long the ledger remembers ids. */
    static Optional<Refusal> check(RefreshRequested report, Instant now, Duration dedupWindow) {
        if (report.force()) {
            return refused(
                    FORCE_REFUSED,
                    "a report never forces a refresh; force exists only in an operator's signed command on the"
                            + " admin topic");
        }
        if (report.ifFingerprint() == null) {
            return refused(
                    FINGERPRINT_REQUIRED,
                    "a report names the fingerprint of the token WeChat refused (ifFingerprint); without one it"
                            + " could kill a working token");
        }
        if (report.reason() != RefreshReason.INVALID_REPORTED) {
            return refused(
                    NOT_A_REPORT,
                    "the reports topic takes reason INVALID_REPORTED only, was " + report.reason()
                            + "; other commands are an operator's, signed, on the admin topic");
        }
        if (report.requestedAt().isBefore(now.minus(dedupWindow))) {
            // Older than the ledger remembers: it may have been served already, so it must not run again.
            return refused(
                    COMMAND_EXPIRED,
                    "requested at " + report.requestedAt() + ", longer ago than the " + dedupWindow
                            + " within which reports are de-duplicated; report again");
        }
        if (report.requestedAt().isAfter(now.plus(CLOCK_SKEW))) {
            // From the future, it would outlive the ledger's memory of it and could be replayed once forgotten.
            return refused(
                    OUT_OF_RANGE,
                    "requested at " + report.requestedAt() + ", more than " + CLOCK_SKEW + " ahead of this"
                            + " refresher's clock");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refused(String code, String message) {
        return Optional.of(new Refusal(code, message));
    }
}

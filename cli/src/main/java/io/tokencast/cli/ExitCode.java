package io.tokencast.cli;

/** The CLI's exit codes; scripts branch on them. */
final class ExitCode {
    /** Done: the refresh happened (or was already done), the listing printed. */
    static final int OK = 0;
    /** Kafka could not be reached, or another failure outside the command's control. */
    static final int ERROR = 1;
    /** The command line was wrong (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** The refresher answered no: rejected, failed, or the token key is unknown. */
    static final int REJECTED = 3;
    /** No answer within --wait. */
    static final int TIMEOUT = 4;

    private ExitCode() {}
}

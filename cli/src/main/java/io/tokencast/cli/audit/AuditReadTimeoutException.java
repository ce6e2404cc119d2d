package io.tokencast.cli.audit;

import java.time.Duration;

/** The audit topic could not be read to its end in time; the broker is slow or unreachable. */
public class AuditReadTimeoutException extends RuntimeException {
    public AuditReadTimeoutException(String topic, Duration timeout) {
        super("could not read audit topic '" + topic + "' to its end within " + timeout.toSeconds()
                + " s; check the bootstrap servers and that the broker is up, or raise the timeout");
    }
}

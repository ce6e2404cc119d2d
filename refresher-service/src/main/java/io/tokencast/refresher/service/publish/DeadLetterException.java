package io.tokencast.refresher.service.publish;

/** A refused record could not be written to the dead-letter topic. */
public final class DeadLetterException extends RuntimeException {

    DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.tokencast.refresher.admin;

/** A rejected admin record could not be written to the dead-letter topic. */
final class DeadLetterException extends RuntimeException {

    DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}

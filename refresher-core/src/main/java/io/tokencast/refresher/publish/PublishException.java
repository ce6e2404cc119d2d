package io.tokencast.refresher.publish;

/** An event the broker did not acknowledge; the message names the topic and key, never the payload. */
public class PublishException extends RuntimeException {

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.tokencast.refresher.service.openplatform;

/** Redis or Kafka did not take (or give back) a durable credential; the message names the key, never the value. */
class CredentialVaultException extends RuntimeException {

    CredentialVaultException(String message, Throwable cause) {
        super(message, cause);
    }
}

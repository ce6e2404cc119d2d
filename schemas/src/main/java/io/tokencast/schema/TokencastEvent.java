package io.tokencast.schema;

/**
 * An event on a tokencast topic (or a value in Redis). The JSON envelope adds {@code type} and
 * {@code schemaVersion}; {@link EventCodec} writes and checks both.
 */
public sealed interface TokencastEvent
        permits TokenRefreshed, TokenRetired, RefreshAttempted, RefreshRequested, CredentialStored, ConsumerHeartbeat {

    /** The only schema version this code reads and writes. Evolution adds optional fields only. */
    int SCHEMA_VERSION = 1;

    /** The {@code type} of the JSON envelope, e.g. {@code TokenRefreshed}. */
    default String type() {
        return getClass().getSimpleName();
    }
}

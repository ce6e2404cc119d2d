package io.tokencast.schema;

import java.util.List;
import java.util.Map;

/**
 * The one list of the fields each event must carry besides its envelope ({@code type}, {@code schemaVersion}):
 * the codec checks it before binding, the streaming {@code TokenRefreshed} reader marks the same fields required,
 * and a test holds it equal to the {@code required} list of each JSON Schema.
 */
final class RequiredFields {

    private static final Map<Class<? extends TokencastEvent>, List<String>> REQUIRED = Map.of(
            TokenRefreshed.class,
            List.of(
                    "eventId",
                    "tokenKey",
                    "kind",
                    "account",
                    "version",
                    "fingerprint",
                    "issuedAt",
                    "expiresAt",
                    "nextRefreshAt",
                    "reason",
                    "refresher"),
            TokenRetired.class,
            List.of("eventId", "version", "retiredAt", "reason"),
            RefreshAttempted.class,
            List.of("eventId", "tokenKey", "outcome", "refresher", "at"),
            RefreshRequested.class,
            List.of("commandId", "tokenKey", "reason", "requestedBy", "requestedAt"),
            CredentialStored.class,
            List.of("eventId", "credentialKey", "kind", "fingerprint", "receivedAt", "source", "storedBy"),
            ConsumerHeartbeat.class,
            List.of("instanceId", "service", "host", "libraryVersion", "startedAt", "sentAt"));

    private RequiredFields() {}

    /** The fields {@code type} must carry besides its envelope, in the order of its schema. */
    static List<String> of(Class<? extends TokencastEvent> type) {
        List<String> fields = REQUIRED.get(type);
        if (fields == null) {
            throw new IllegalArgumentException("no event type " + type.getName());
        }
        return fields;
    }
}

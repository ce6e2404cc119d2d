package io.tokencast.schema;

/**
 * The contract's default Kafka topic names (docs/design.md §3), in one place: the refresher, the consumer
 * library and its starter, the sidecar, the CLI and the demo all default to these. Every one can be renamed by
 * configuration; the refresher and its readers must then be given the same names.
 */
public final class DefaultTopics {

    /** The compacted topic of {@code TokenRefreshed} events, keyed by token key. */
    public static final String TOKENS = "tokencast.tokens";

    /** The append-only topic of {@code RefreshAttempted} records. */
    public static final String AUDIT = "tokencast.token-audit";

    /** Where operators' signed {@code RefreshRequested} commands arrive. */
    public static final String ADMIN = "tokencast.token-admin";

    /** Where services' invalid-token reports ({@code RefreshRequested} with {@code ifFingerprint}) arrive. */
    public static final String REPORTS = "tokencast.token-reports";

    /** The compacted topic of consumers' heartbeats ({@code ConsumerHeartbeat}), keyed by instance id. */
    public static final String CONSUMERS = "tokencast.consumers";

    /** The compacted topic of {@code CredentialStored}: verify tickets and authorizer refresh tokens. */
    public static final String CREDENTIALS = "tokencast.credentials";

    /** What the admin topic's name gets for the topic of its dead letters, unless one is configured. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private DefaultTopics() {}
}

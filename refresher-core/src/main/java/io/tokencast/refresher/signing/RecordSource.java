package io.tokencast.refresher.signing;

/** Where a record the refresher reads back came from: the {@code source} tag of its rejection meter. */
public enum RecordSource {
    REDIS_TOKENS("redis-tokens"),
    REDIS_CREDENTIALS("redis-credentials"),
    TOKENS_TOPIC("tokens-topic"),
    CREDENTIALS_TOPIC("credentials-topic");

    private final String tag;

    RecordSource(String tag) {
        this.tag = tag;
    }

    /** The meter tag and log field value, e.g. {@code redis-tokens}. */
    public String tag() {
        return tag;
    }
}

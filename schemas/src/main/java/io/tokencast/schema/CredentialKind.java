package io.tokencast.schema;

/** Credentials WeChat hands out only once, which tokencast keeps durably. */
public enum CredentialKind {
    /** Pushed every 10 minutes to the open platform callback; valid 12 hours. */
    COMPONENT_VERIFY_TICKET("component-ticket"),
    /** Given when a merchant authorizes a third-party platform; does not expire. */
    AUTHORIZER_REFRESH_TOKEN("authorizer-refresh-token");

    private final String keyPrefix;

    CredentialKind(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** The record key prefix, e.g. {@code component-ticket} in {@code component-ticket/<appid>}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The record key for an account, e.g. {@code component-ticket/wx123}. */
    public String keyFor(String account) {
        return keyPrefix + "/" + account;
    }
}

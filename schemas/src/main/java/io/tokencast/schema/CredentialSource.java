package io.tokencast.schema;

/** Where a durable credential came from. */
public enum CredentialSource {
    CALLBACK,
    WECHAT_RESPONSE,
    ADMIN
}

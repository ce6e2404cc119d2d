package io.tokencast.refresher.wechat;

import io.tokencast.schema.TokenKey;
import java.util.Objects;

/**
 * A credential this refresher keeps fresh: its key, the API that issues it and the secret to ask with (null
 * for APIs that need none, see {@link WeChatApi#needsSecret()}). {@link #toString()} never prints the secret.
 */
public record ManagedCredential(TokenKey key, WeChatApi api, String secret) {

    public ManagedCredential {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(api, "api");
        if (api.needsSecret() && (secret == null || secret.isBlank())) {
            throw new IllegalArgumentException("credential " + key + " has no secret");
        }
    }

    @Override
    public String toString() {
        return "ManagedCredential[key=" + key + ", api=" + api + ", secret=<redacted>]";
    }
}

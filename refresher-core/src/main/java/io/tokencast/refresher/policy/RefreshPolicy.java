package io.tokencast.refresher.policy;

import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.TokenKey;
import java.time.Instant;

/**
 * When to refresh: pure, with time passed in. Classic and WeCom tokens at about 75 % of their life (never
 * later than 10 minutes before expiry), stable tokens inside their last 300 s, when WeChat issues the next
 * one; a deterministic per-key jitter spreads many apps.
 */
public interface RefreshPolicy {

    /** When the token issued at {@code issuedAt} and expiring at {@code expiresAt} should be replaced. */
    Instant nextRefreshAt(TokenKey key, WeChatApi api, Instant issuedAt, Instant expiresAt);

    /**
     * When to try again after the {@code failures}-th consecutive failure ({@code failures} ≥ 1), given the
     * current token's expiry (or null when there is none).
     */
    Instant retryAt(TokenKey key, int failures, WeChatException error, Instant now, Instant currentExpiresAt);
}

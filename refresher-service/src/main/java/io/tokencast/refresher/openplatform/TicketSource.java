package io.tokencast.refresher.openplatform;

import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.ErrorCodes;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.refresher.wechat.WeChatTransport;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Fetches {@code wechat-jsapi-ticket/<appid>} and {@code wechat-card-ticket/<appid>} with
 * {@code getticket}, using the app's current {@code wechat-access-token/<appid>} from the token store; until
 * that token exists it fails with {@link Retry#BACKOFF}, so a ticket is always published after its app's
 * token.
 *
 * <p>WeChat answers the same ticket while it is valid, always with {@code expires_in=7200} (docs/wechat-api.md
 * §6.1). Taken literally, a repeated ticket would look valid two more hours than it is, so the expiry of
 * each ticket is remembered in Redis ({@code <prefix>ticket-expiry:<key>:<fingerprint>}) when it is first
 * seen: a repeated ticket keeps that expiry, and one in its last {@link #ROTATION_WAIT} is reported as
 * {@code TICKET_NOT_ROTATED} ({@link Retry#BACKOFF}) until WeChat hands out the next.
 */
final class TicketSource implements CredentialSource {

    static final String PATH = "/cgi-bin/ticket/getticket";

    /** A repeated ticket this close to its expiry is not worth publishing again: the next one is due. */
    static final Duration ROTATION_WAIT = Duration.ofMinutes(5);

    private final TokenStore tokens;
    private final RecordEncryption encryption;
    private final WeChatTransport http;
    private final StringRedisTemplate redis;
    private final String prefix;
    private final Clock clock;

    TicketSource(
            TokenStore tokens,
            RecordEncryption encryption,
            WeChatTransport http,
            StringRedisTemplate redis,
            String prefix,
            Clock clock) {
        this.tokens = tokens;
        this.encryption = encryption;
        this.http = http;
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
    }

    @Override
    public FetchedToken fetch(ManagedCredential credential, FetchMode mode) {
        TokenKey key = credential.key();
        String what = "fetching " + key;
        String type =
                switch (key.kind()) {
                    case WECHAT_JSAPI_TICKET -> "jsapi";
                    case WECHAT_CARD_TICKET -> "wx_card";
                    default -> throw new WeChatException(
                            "UNSUPPORTED_KIND", Retry.STOP, what + " failed: not a ticket kind");
                };
        Instant now = clock.instant();
        TokenKey appKey = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, key.account());
        TokenRefreshed appToken = tokens.read(appKey)
                .current()
                .filter(t -> t.expiresAt().isAfter(now))
                .map(encryption::revealed)
                .orElseThrow(() -> new WeChatException(
                        "APP_TOKEN_UNAVAILABLE",
                        Retry.BACKOFF,
                        what + " waits: " + appKey + " has no valid token yet"));
        JsonNode body = http.get(what, PATH, Map.of("access_token", appToken.token(), "type", type));
        int errcode = WeChatTransport.errcode(body, what);
        if (errcode != 0) {
            throw ErrorCodes.failure(what, errcode, ErrorCodes.Call.OPEN_PLATFORM);
        }
        String ticket = WeChatTransport.text(body, "ticket", what);
        Instant expiresAt = firstSeenExpiry(key, ticket, now.plus(WeChatTransport.expiresIn(body, what)));
        if (!expiresAt.isAfter(now.plus(ROTATION_WAIT))) {
            throw new WeChatException(
                    "TICKET_NOT_ROTATED",
                    Retry.BACKOFF,
                    what + " waits: WeChat still hands out the ticket " + Fingerprint.of(ticket) + " that expires at "
                            + expiresAt);
        }
        return new FetchedToken(ticket, Duration.between(now, expiresAt), now);
    }

    /**
     * The expiry the ticket had when first seen, or {@code fresh} for a new ticket. A remembered expiry that
     * passed means WeChat vouches for the ticket anew (old tickets are reported to keep working), so it
     * starts over.
     */
    private Instant firstSeenExpiry(TokenKey key, String ticket, Instant fresh) {
        String seen = prefix + "ticket-expiry:" + key.asString() + ":" + Fingerprint.of(ticket);
        Instant now = clock.instant();
        String remembered = redis.opsForValue().get(seen);
        if (remembered != null) {
            Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(remembered));
            if (expiresAt.isAfter(now)) {
                return expiresAt;
            }
        }
        redis.opsForValue()
                .set(
                        seen,
                        Long.toString(fresh.toEpochMilli()),
                        Duration.between(now, fresh).multipliedBy(2));
        return fresh;
    }
}

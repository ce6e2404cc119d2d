package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.service.store.RedisKeyspace;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.ErrorCodes;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.TicketTokens;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Fetches tickets with an access token this refresher keeps fresh, read from the token store:
 * {@code wechat-jsapi-ticket/<appid>} and {@code wechat-card-ticket/<appid>} with {@code getticket} and the app's
 * {@code wechat-access-token/<appid>}; with {@link WeCom}, also WeCom's {@code wecom-jsapi-ticket/<corpid>}
 * ({@code get_jsapi_ticket}, with a token of one of the corp's apps) and
 * {@code wecom-agent-jsapi-ticket/<corpid.agentid>} ({@code ticket/get?type=agent_config}, with the app's). Until
 * such a token exists it fails with {@link Retry#BACKOFF}, so a ticket is always published after its token.
 *
 * <p>WeChat answers the same ticket while it is valid, always with {@code expires_in=7200} (docs/wechat-api.md
 * §6.1). Taken literally, a repeated ticket would look valid two more hours than it is, so the expiry of
 * each ticket is remembered in Redis ({@code <prefix>ticket-expiry:<key>:<fingerprint>}) when it is first
 * seen: a repeated ticket keeps that expiry, and one in its last {@link #ROTATION_WAIT} is reported as
 * {@code TICKET_NOT_ROTATED} ({@link Retry#BACKOFF}) until WeChat hands out the next. WeCom's tickets get the same
 * treatment, and their hourly limits (docs/wechat-api.md §6.2) are counted before the call
 * ({@code TICKET_HOURLY_LIMIT}).
 */
final class TicketSource implements CredentialSource {

    static final String PATH = "/cgi-bin/ticket/getticket";
    static final String WECOM_CORP_PATH = "/cgi-bin/get_jsapi_ticket";
    static final String WECOM_AGENT_PATH = "/cgi-bin/ticket/get";

    /** A repeated ticket this close to its expiry is not worth publishing again: the next one is due. */
    static final Duration ROTATION_WAIT = Duration.ofMinutes(5);

    /**
     * What WeCom's tickets need besides WeChat's: the qyapi transport, the token keys this refresher manages (a
     * corp's ticket may use any of its apps' tokens) and the hourly limits.
     */
    record WeCom(WeChatTransport http, Supplier<Collection<TokenKey>> managed, TicketHourlyLimits limits) {}

    /** One ticket call: where it goes and the token it is made with. */
    private record Call(WeChatTransport http, String path, Map<String, String> query, TokenRefreshed token) {}

    private final TokenStore tokens;
    private final RecordEncryption encryption;
    private final WeChatTransport http;
    private final Optional<WeCom> wecom;
    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final Clock clock;

    /** A source of WeChat's tickets only. */
    TicketSource(
            TokenStore tokens,
            RecordEncryption encryption,
            WeChatTransport http,
            StringRedisTemplate redis,
            String prefix,
            Clock clock) {
        this(tokens, encryption, http, null, redis, prefix, clock);
    }

    /** A source of WeChat's tickets and, unless {@code wecom} is null, WeCom's. */
    TicketSource(
            TokenStore tokens,
            RecordEncryption encryption,
            WeChatTransport http,
            WeCom wecom,
            StringRedisTemplate redis,
            String prefix,
            Clock clock) {
        this.tokens = tokens;
        this.encryption = encryption;
        this.http = http;
        this.wecom = Optional.ofNullable(wecom);
        this.redis = redis;
        this.keys = new RedisKeyspace(prefix);
        this.clock = clock;
    }

    @Override
    public FetchedToken fetch(ManagedCredential credential, FetchMode mode) {
        TokenKey key = credential.key();
        String what = "fetching " + key;
        Instant now = clock.instant();
        Call call = call(key, what, now);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("access_token", call.token().token());
        query.putAll(call.query());
        JsonNode body = call.http().get(what, call.path(), query);
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

    private Call call(TokenKey key, String what, Instant now) {
        return switch (key.kind()) {
            case WECHAT_JSAPI_TICKET -> wechat(key, "jsapi", what, now);
            case WECHAT_CARD_TICKET -> wechat(key, "wx_card", what, now);
            case WECOM_JSAPI_TICKET -> wecom(key, WECOM_CORP_PATH, Map.of(), what, now);
            case WECOM_AGENT_JSAPI_TICKET -> wecom(key, WECOM_AGENT_PATH, Map.of("type", "agent_config"), what, now);
            default -> throw new WeChatException("UNSUPPORTED_KIND", Retry.STOP, what + " failed: not a ticket kind");
        };
    }

    private Call wechat(TokenKey key, String type, String what, Instant now) {
        TokenKey appKey = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, key.account());
        TokenRefreshed token = validToken(appKey, now)
                .orElseThrow(() -> new WeChatException(
                        "APP_TOKEN_UNAVAILABLE",
                        Retry.BACKOFF,
                        what + " waits: " + appKey + " has no valid token yet"));
        return new Call(http, PATH, Map.of("type", type), token);
    }

    /** The first of the ticket's tokens that is valid now, counted against WeCom's hourly limits. */
    private Call wecom(TokenKey key, String path, Map<String, String> query, String what, Instant now) {
        WeCom qyapi = wecom.orElseThrow(() -> new WeChatException(
                "UNSUPPORTED_KIND", Retry.STOP, what + " failed: this refresher has no WeCom ticket source"));
        List<TokenKey> candidates = TicketTokens.of(key, qyapi.managed().get());
        TokenRefreshed token = candidates.stream()
                .flatMap(k -> validToken(k, now).stream())
                .findFirst()
                .orElseThrow(() -> new WeChatException(
                        "APP_TOKEN_UNAVAILABLE",
                        Retry.BACKOFF,
                        what + " waits: none of " + candidates + " has a valid token yet"));
        Optional<String> spent = qyapi.limits().tryAcquire(token.tokenKey().account());
        if (spent.isPresent()) {
            throw new WeChatException(
                    "TICKET_HOURLY_LIMIT", Retry.BACKOFF, what + " waits: " + spent.get() + "; no call was made");
        }
        return new Call(qyapi.http(), path, query, token);
    }

    private Optional<TokenRefreshed> validToken(TokenKey tokenKey, Instant now) {
        return tokens.read(tokenKey)
                .current()
                .filter(t -> t.expiresAt().isAfter(now))
                .map(encryption::revealed);
    }

    /**
     * The expiry the ticket had when first seen, or {@code fresh} for a new ticket. A remembered expiry that
     * passed means WeChat vouches for the ticket anew (old tickets are reported to keep working), so it
     * starts over.
     */
    private Instant firstSeenExpiry(TokenKey key, String ticket, Instant fresh) {
        String seen = keys.ticketExpiry(key, Fingerprint.of(ticket));
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

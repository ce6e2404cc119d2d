package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.service.store.RedisKeyspace;
import io.tokencast.refresher.wechat.ErrorCodes;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatTransport;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Asks WeChat to push a new verify ticket ({@code api_start_push_ticket}) at most once per component and
 * interval across all replicas: a Redis key set with NX and the interval as TTL is the permit, so a fleet
 * that keeps failing on 61005/61006 cannot start a storm.
 */
final class TicketPushRequests {

    private static final Logger log = LoggerFactory.getLogger(TicketPushRequests.class);
    static final String PATH = "/cgi-bin/component/api_start_push_ticket";

    private final WeChatTransport http;
    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final Duration interval;
    private final String instanceId;

    TicketPushRequests(
            WeChatTransport http, StringRedisTemplate redis, String prefix, Duration interval, String instanceId) {
        this.http = http;
        this.redis = redis;
        this.keys = new RedisKeyspace(prefix);
        this.interval = interval;
        this.instanceId = instanceId;
    }

    /** Requests a push unless one was requested within the interval. Returns whether this call asked WeChat. */
    boolean request(Component component, String cause) {
        String permit = keys.startPushTicket(component.appid());
        Boolean acquired;
        try {
            acquired = redis.opsForValue().setIfAbsent(permit, instanceId, interval);
        } catch (DataAccessException e) {
            log.warn(
                    "ticket push not requested component={} cause=redis-unavailable error={}",
                    component.appid(),
                    e.getClass().getName());
            return false;
        }
        if (!Boolean.TRUE.equals(acquired)) {
            log.debug("ticket push already requested component={} within={}", component.appid(), interval);
            return false;
        }
        String what = "api_start_push_ticket for component " + component.appid();
        try {
            JsonNode body = http.post(
                    what,
                    PATH,
                    Map.of(),
                    WeChatTransport.body()
                            .put("component_appid", component.appid())
                            .put("component_secret", component.secret()));
            int errcode = WeChatTransport.errcode(body, what);
            if (errcode != 0) {
                log.warn(
                        "ticket push request refused component={} cause={} errcode={} hint={}",
                        component.appid(),
                        cause,
                        errcode,
                        ErrorCodes.hint(errcode, ErrorCodes.Call.OPEN_PLATFORM));
                return true;
            }
            log.info(
                    "ticket push requested component={} cause={} nextAllowedIn={}", component.appid(), cause, interval);
        } catch (WeChatException e) {
            log.warn(
                    "ticket push request failed component={} cause={} errorCode={} error={}",
                    component.appid(),
                    cause,
                    e.errorCode(),
                    e.getMessage());
        }
        return true;
    }
}

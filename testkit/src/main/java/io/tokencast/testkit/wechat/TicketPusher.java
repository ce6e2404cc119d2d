package io.tokencast.testkit.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes component_verify_tickets to each component's callback URL, encrypted and signed as WeChat does
 * (docs/wechat-api.md §5.1): on a schedule of the sandbox clock (a poller notices when the clock, virtual or
 * not, passes the due time) and on demand. Every reply is recorded.
 */
final class TicketPusher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TicketPusher.class);
    /** WeChat gives the receiver about 5 s (community observation). */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private record Prepared(String componentAppid, String ticket, URI target, String xml) {}

    private final SandboxState s;
    private final HttpClient http;
    private final ScheduledExecutorService poller;
    private final Map<String, Instant> nextDue = new HashMap<>();
    private final List<TicketPushReply> replies = new CopyOnWriteArrayList<>();

    TicketPusher(SandboxState state) {
        this.s = state;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REPLY_TIMEOUT)
                .build();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wechat-sandbox-ticket-push");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        poller.scheduleWithFixedDelay(this::pushDue, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** Makes a push due now; the poller delivers it. Call under the sandbox lock. */
    void pushSoon(String componentAppid) {
        nextDue.put(componentAppid, s.now());
    }

    List<TicketPushReply> replies() {
        return List.copyOf(replies);
    }

    /** Mints a new ticket, delivers it (when the component has a callback URL) and records the reply. */
    TicketPushReply pushNow(String componentAppid) {
        Prepared p;
        Instant at;
        synchronized (s) {
            at = s.now();
            p = prepare(componentAppid, at);
        }
        TicketPushReply reply = deliver(p, at);
        replies.add(reply);
        if (reply.succeeded()) {
            log.info(
                    "ticket pushed component={} ticket={} status={}",
                    componentAppid,
                    reply.ticketFingerprint(),
                    reply.status());
        } else {
            log.warn(
                    "ticket push not acknowledged component={} ticket={} status={} error={}",
                    componentAppid,
                    reply.ticketFingerprint(),
                    reply.status(),
                    reply.error());
        }
        return reply;
    }

    private void pushDue() {
        List<String> due = new ArrayList<>();
        synchronized (s) {
            Instant now = s.now();
            Duration interval = s.settings.ticketPushInterval();
            for (Accounts.Component c : s.accounts.components()) {
                Instant when = nextDue.get(c.appid());
                if (c.callbackUrl() != null && when != null && !now.isBefore(when)) {
                    due.add(c.appid());
                    if (interval.isZero()) {
                        nextDue.remove(c.appid());
                    } else {
                        nextDue.put(c.appid(), now.plus(interval));
                    }
                }
            }
        }
        for (String appid : due) {
            try {
                pushNow(appid);
            } catch (RuntimeException e) {
                log.warn("scheduled ticket push failed component={}", appid, e);
            }
        }
    }

    private Prepared prepare(String componentAppid, Instant now) {
        Accounts.Component c = s.accounts
                .component(componentAppid)
                .orElseThrow(() -> new IllegalArgumentException("unknown component " + componentAppid
                        + "; register it with registerComponent before pushing tickets"));
        String ticket = s.verifyTickets.mint(componentAppid, now);
        if (c.callbackUrl() == null) {
            return new Prepared(componentAppid, ticket, null, null);
        }
        String timestamp = Long.toString(now.getEpochSecond());
        String nonce = Secrets.nonce();
        String payload = "<xml><AppId><![CDATA[" + componentAppid + "]]></AppId><CreateTime>" + timestamp
                + "</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType>"
                + "<ComponentVerifyTicket><![CDATA[" + ticket + "]]></ComponentVerifyTicket></xml>";
        String encrypted = PushCrypto.encrypt(c.aesKey(), componentAppid, payload);
        String query = "signature=" + PushCrypto.signature(c.callbackToken(), timestamp, nonce)
                + "&timestamp=" + timestamp
                + "&nonce=" + nonce
                + "&encrypt_type=aes"
                + "&msg_signature=" + PushCrypto.signature(c.callbackToken(), timestamp, nonce, encrypted);
        String url = c.callbackUrl().toString();
        URI target = URI.create(url + (url.contains("?") ? "&" : "?") + query);
        String xml = "<xml>\n    <AppId><![CDATA[" + componentAppid + "]]></AppId>\n    <Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt>\n</xml>";
        return new Prepared(componentAppid, ticket, target, xml);
    }

    private TicketPushReply deliver(Prepared p, Instant at) {
        String fingerprint = Secrets.fingerprint(p.ticket());
        if (p.target() == null) {
            return new TicketPushReply(p.componentAppid(), fingerprint, at, 0, "", "no callback URL configured");
        }
        HttpRequest request = HttpRequest.newBuilder(p.target())
                .timeout(REPLY_TIMEOUT)
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(p.xml(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new TicketPushReply(
                    p.componentAppid(), fingerprint, at, response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new TicketPushReply(p.componentAppid(), fingerprint, at, -1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TicketPushReply(p.componentAppid(), fingerprint, at, -1, "", "interrupted");
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}

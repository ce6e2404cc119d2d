package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** component_verify_tickets: each push carries a new one; every one stays usable for its 12 h. */
final class VerifyTickets {

    private record Ticket(String componentAppid, Instant issuedAt) {}

    private final Map<String, Ticket> byValue = new HashMap<>();
    private final Map<String, String> latest = new HashMap<>();

    String mint(String componentAppid, Instant now) {
        String value = Secrets.verifyTicket();
        byValue.put(value, new Ticket(componentAppid, now));
        latest.put(componentAppid, value);
        return value;
    }

    Optional<String> latest(String componentAppid) {
        return Optional.ofNullable(latest.get(componentAppid));
    }

    /** 0 when usable, 61006 when unknown (or another component's), 61005 when older than its lifetime. */
    int errcode(String componentAppid, String value, Instant now, Duration lifetime) {
        Ticket t = value == null ? null : byValue.get(value);
        if (t == null || !t.componentAppid().equals(componentAppid)) {
            return 61006;
        }
        return now.isBefore(t.issuedAt().plus(lifetime)) ? 0 : 61005;
    }
}

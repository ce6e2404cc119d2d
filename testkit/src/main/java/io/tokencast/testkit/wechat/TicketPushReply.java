package io.tokencast.testkit.wechat;

import java.time.Instant;

/**
 * What a component's callback answered to one component_verify_ticket push. {@code status} is -1 when the
 * callback could not be reached and 0 when the component has no callback URL.
 */
public record TicketPushReply(
        String componentAppid, String ticketFingerprint, Instant at, int status, String body, String error) {

    /** WeChat expects HTTP 200 and the plain string {@code success}. */
    public boolean succeeded() {
        return status == 200 && body != null && body.trim().equals("success");
    }
}

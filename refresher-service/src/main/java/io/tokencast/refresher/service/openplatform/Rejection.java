package io.tokencast.refresher.service.openplatform;

import org.springframework.http.HttpStatus;

/**
 * Why the callback refused a push, with the HTTP status it answers and the {@code reason} tag of
 * {@code tokencast.callback.rejected}. Statuses: 400 for what is not a WeChat message, 403 for a message not
 * provably from WeChat for this platform, 409 for a replay, 413 for an oversized body, 404 for a component
 * this refresher does not serve, 503 when the credential could not be stored (WeChat pushes again).
 */
enum Rejection {
    UNKNOWN_COMPONENT(HttpStatus.NOT_FOUND, "unknown-component"),
    TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "too-large"),
    MISSING_PARAMETER(HttpStatus.BAD_REQUEST, "missing-parameter"),
    BAD_PARAMETER(HttpStatus.BAD_REQUEST, "bad-parameter"),
    MALFORMED_XML(HttpStatus.BAD_REQUEST, "malformed-xml"),
    XML_DOCTYPE(HttpStatus.BAD_REQUEST, "xml-doctype"),
    BAD_SIGNATURE(HttpStatus.FORBIDDEN, "bad-signature"),
    UNDECRYPTABLE(HttpStatus.FORBIDDEN, "undecryptable"),
    WRONG_APPID(HttpStatus.FORBIDDEN, "wrong-appid"),
    STALE_TIMESTAMP(HttpStatus.CONFLICT, "stale-timestamp"),
    REPLAYED_NONCE(HttpStatus.CONFLICT, "replayed-nonce"),
    MALFORMED_MESSAGE(HttpStatus.BAD_REQUEST, "malformed-message"),
    STORE_FAILED(HttpStatus.SERVICE_UNAVAILABLE, "store-failed");

    private final HttpStatus status;
    private final String reason;

    Rejection(HttpStatus status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    HttpStatus status() {
        return status;
    }

    String reason() {
        return reason;
    }
}

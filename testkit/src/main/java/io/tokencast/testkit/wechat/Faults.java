package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Injected trouble. Transport faults (latency, HTTP 5xx, connection reset) hit the next calls of any API
 * endpoint; errcode faults (-1, scripted codes, the 89503 admin-confirmation flow) hit one account.
 * Guarded by the sandbox lock except {@link #latency}, which is read outside it.
 */
final class Faults {

    /** Applies to every account. */
    static final String GLOBAL = "*";

    private enum Confirmation {
        NOT_ASKED,
        PENDING,
        REJECTED
    }

    private volatile Duration latency = Duration.ZERO;
    private int resetsLeft;
    private int serverErrorsLeft;
    private int serverErrorStatus = 503;
    private final Map<String, Integer> systemErrorsLeft = new HashMap<>();
    private final Map<String, Integer> scripted = new HashMap<>();
    private final Map<String, Confirmation> confirmations = new HashMap<>();
    private final Map<String, Instant> rejectedUntil = new HashMap<>();

    Duration latency() {
        return latency;
    }

    void setLatency(Duration value) {
        latency = value;
    }

    void resetNext(int calls) {
        resetsLeft = calls;
    }

    void serverErrorNext(int calls, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("HTTP status for a server-error fault must be 5xx, got " + status);
        }
        serverErrorsLeft = calls;
        serverErrorStatus = status;
    }

    void systemErrorNext(String account, int calls) {
        systemErrorsLeft.put(account, calls);
    }

    void script(String account, int errcode) {
        scripted.put(account, errcode);
    }

    void clearScript(String account) {
        scripted.remove(account);
    }

    void requireAdminConfirmation(String appid) {
        confirmations.put(appid, Confirmation.NOT_ASKED);
    }

    void confirmAdmin(String appid) {
        confirmations.remove(appid);
        rejectedUntil.remove(appid);
    }

    void rejectAdmin(String appid, Instant now) {
        confirmations.put(appid, Confirmation.REJECTED);
        rejectedUntil.put(appid, now.plus(Duration.ofHours(1)));
    }

    boolean takeReset() {
        if (resetsLeft <= 0) {
            return false;
        }
        resetsLeft--;
        return true;
    }

    /** The HTTP status to answer with, or empty. */
    OptionalInt takeServerError() {
        if (serverErrorsLeft <= 0) {
            return OptionalInt.empty();
        }
        serverErrorsLeft--;
        return OptionalInt.of(serverErrorStatus);
    }

    /** True when this call is one of the next N that answer -1 whatever the account. */
    boolean takeGlobalSystemError() {
        return takeCount(GLOBAL);
    }

    /** The errcode an account-level fault imposes on this call, or empty to let the endpoint answer. */
    OptionalInt errcodeFor(String account) {
        if (account != null && takeCount(account)) {
            return OptionalInt.of(-1);
        }
        Integer code = account == null ? null : scripted.get(account);
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /**
     * The 89503 flow (docs/wechat-api.md §1.4): the first call asks the admin (89503), later calls wait (89501);
     * a rejection blocks for an hour (89507), after which the next call asks again.
     */
    OptionalInt adminConfirmationFor(String appid, Instant now) {
        Confirmation state = confirmations.get(appid);
        if (state == null) {
            return OptionalInt.empty();
        }
        if (state == Confirmation.REJECTED && now.isBefore(rejectedUntil.get(appid))) {
            return OptionalInt.of(89507);
        }
        if (state == Confirmation.PENDING) {
            return OptionalInt.of(89501);
        }
        confirmations.put(appid, Confirmation.PENDING);
        return OptionalInt.of(89503);
    }

    private boolean takeCount(String account) {
        Integer left = systemErrorsLeft.get(account);
        if (left == null || left <= 0) {
            return false;
        }
        systemErrorsLeft.put(account, left - 1);
        return true;
    }
}

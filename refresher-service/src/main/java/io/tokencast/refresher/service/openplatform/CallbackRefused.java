package io.tokencast.refresher.service.openplatform;

/**
 * A callback push refused, with the {@link Rejection} to answer. A checked exception so that every check of the
 * push can stop it in one line; thrown by {@link CallbackAuthentication} and the callback's handlers, answered by
 * {@link VerifyTicketCallback}, never further. No stack trace: a refusal is an answer, not a fault.
 */
final class CallbackRefused extends Exception {

    private final Rejection rejection;

    CallbackRefused(Rejection rejection, String detail) {
        super(detail, null, false, false);
        this.rejection = rejection;
    }

    Rejection rejection() {
        return rejection;
    }
}

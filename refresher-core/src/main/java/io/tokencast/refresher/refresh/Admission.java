package io.tokencast.refresher.refresh;

import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import java.util.Objects;
import java.util.Optional;

/**
 * The last check of a command before it spends quota and calls WeChat. {@link Refresher} asks it under the
 * key's lock, after the command's fingerprint condition held, so limits that must count only real fetches
 * (one manual fetch per key and interval) see commands one at a time and never count a coalesced one.
 */
@FunctionalInterface
public interface Admission {

    /** Admits every command. */
    Admission ANY = (credential, mode) -> Optional.empty();

    /**
     * Decides whether a command may fetch {@code credential} in {@code mode} now; may record that it does.
     *
     * @return empty to go ahead, or why not (audited {@code REJECTED}, nothing fetched)
     */
    Optional<Refusal> check(ManagedCredential credential, FetchMode mode);

    /**
     * Why a command may not fetch now.
     *
     * @param errorCode a tokencast code for the audit record, e.g. {@code RATE_LIMITED}
     * @param message what happened and when to ask again; names the key, never a token
     */
    record Refusal(String errorCode, String message) {
        public Refusal {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(message, "message");
        }
    }
}

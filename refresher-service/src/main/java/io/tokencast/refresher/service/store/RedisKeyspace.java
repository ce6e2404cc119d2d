package io.tokencast.refresher.service.store;

import io.tokencast.schema.TokenKey;
import java.util.Objects;

/**
 * Every Redis key the refresher reads or writes, in one place (docs/design.md §3.4). Each starts with the
 * configured prefix ({@code tokencast.redis.key-prefix}, {@code tokencast:} by default), so several
 * installations can share one Redis.
 *
 * @param prefix what every key starts with, e.g. {@code tokencast:}
 */
public record RedisKeyspace(String prefix) {

    public RedisKeyspace {
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The hash of a key's current {@code TokenRefreshed} ({@code json}) and its {@code version}. */
    public String token(TokenKey key) {
        return prefix + "token:" + key.asString();
    }

    /** The highest version ever written for a key; never expires. */
    public String tokenVersion(TokenKey key) {
        return prefix + "token-version:" + key.asString();
    }

    /** A key's retry state. */
    public String retry(TokenKey key) {
        return prefix + "retry:" + key.asString();
    }

    /** Present once Redis has been reconciled with the tokens topic. */
    public String recovered() {
        return prefix + "recovered";
    }

    /** The leading replica's instance id. */
    public String leader() {
        return prefix + "leader";
    }

    /** ShedLock's key prefix: its leader and per-key locks are {@code <this>:refresher:<lock name>}. */
    public String locks() {
        return prefix + "lock";
    }

    /** WeChat calls counted for a key, budget and WeChat day. */
    public String quota(TokenKey key, String bucket, String day) {
        return prefix + "quota:" + key.asString() + ":" + bucket + ":" + day;
    }

    /** What the command ids of a ledger namespace ({@code command}, {@code report}) are appended to. */
    public String commandIds(String namespace) {
        return prefix + "admin:" + namespace + ":";
    }

    /** The last command-caused fetch of a key. */
    public String lastCommandFetch(TokenKey key) {
        return prefix + "admin:last-fetch:" + key.asString();
    }

    /** The verdict of the last probe of a reported token. */
    public String reportProbe(TokenKey key, String fingerprint) {
        return prefix + "report:" + key.asString() + ":" + fingerprint;
    }

    /** Reports of a key counted in the current hour. */
    public String reportsThisHour(TokenKey key) {
        return prefix + "report-hour:" + key.asString();
    }

    /** The replicas the operator console knows of. */
    public String consoleReplicas() {
        return prefix + "console:replicas";
    }

    /** The hash of a stored credential ({@code CredentialStored}). */
    public String credential(String credentialKey) {
        return prefix + "credential:" + credentialKey;
    }

    /** The highest version written for a credential. */
    public String credentialVersion(String credentialKey) {
        return prefix + "credential-version:" + credentialKey;
    }

    /** The set of credential keys held. */
    public String credentialKeys() {
        return prefix + "credential-keys";
    }

    /** Present once Redis reflects the credentials topic. */
    public String credentialRestored() {
        return prefix + "credential-restored";
    }

    /** A callback nonce seen within the replay window. */
    public String callbackNonce(String componentAppid, String nonce) {
        return prefix + "callback-nonce:" + componentAppid + ":" + nonce;
    }

    /** An authorizer whose authorization was cancelled. */
    public String authorizerRevoked(String authorizer) {
        return prefix + "authorizer-revoked:" + authorizer;
    }

    /** The permit limiting {@code api_start_push_ticket} calls of a component. */
    public String startPushTicket(String componentAppid) {
        return prefix + "start-push-ticket:" + componentAppid;
    }

    /** When a ticket with this fingerprint was first seen. */
    public String ticketExpiry(TokenKey key, String fingerprint) {
        return prefix + "ticket-expiry:" + key.asString() + ":" + fingerprint;
    }

    /** WeCom ticket fetches of a corp counted in an hour (epoch hours). */
    public String corpTicketsInHour(String corpid, long hour) {
        return prefix + "ticket-hour:corp:" + corpid + ":" + hour;
    }

    /** WeCom ticket fetches made with one app's token ({@code corpid.agentid}) counted in an hour. */
    public String appTicketsInHour(String app, long hour) {
        return prefix + "ticket-hour:app:" + app + ":" + hour;
    }

    /** The claim that a poison record ({@code topic:partition:offset}) was copied to the dead-letter topic. */
    public String deadLettered(String topic, int partition, long offset) {
        return prefix + "dead-lettered:" + topic + ":" + partition + ":" + offset;
    }
}

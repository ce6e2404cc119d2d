package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The sandbox's lifetimes, overlaps and quotas; {@link #defaults()} matches WeChat (docs/wechat-api.md §1–§6).
 * Immutable: change values with a builder, e.g.
 * {@code SandboxSettings.builder().tokenLifetime(Duration.ofSeconds(180)).overlap(Duration.ofSeconds(30)).build()}.
 *
 * @param tokenLifetime lifetime of every access token ({@code expires_in}, WeChat: 7200 s)
 * @param overlap how long a superseded classic/component/authorizer token keeps working, and the last
 *     stretch of a stable token's life in which normal mode rotates it (WeChat: 300 s)
 * @param ticketLifetime lifetime of jsapi / wx_card tickets (WeChat: 7200 s)
 * @param verifyTicketLifetime lifetime of a component_verify_ticket (WeChat: 12 h)
 * @param ticketPushInterval period of component_verify_ticket pushes on the sandbox clock; zero disables
 *     scheduled pushes (on-demand pushes still work)
 * @param classicDailyQuota {@code /cgi-bin/token} calls per app per day (WeChat: 2000)
 * @param stableDailyQuota {@code /cgi-bin/stable_token} calls per app per day (WeChat: 500 000)
 * @param stableMinuteQuota {@code /cgi-bin/stable_token} calls per app per minute (WeChat: 10 000)
 * @param stableForceDailyQuota force-mode refreshes per app per day (WeChat: 20)
 * @param stableForceSpacing minimum gap between two force refreshes that both refresh (WeChat: 30 s)
 * @param componentDailyQuota {@code api_component_token} calls per component per day (community: 10 000)
 * @param authorizerDailyQuota {@code api_authorizer_token} calls per authorizer per day (undocumented)
 * @param clearQuotaMonthly clear_quota operations per account per month (WeChat: 10)
 * @param wechatZone the zone whose calendar day the daily quotas follow (WeChat: Asia/Shanghai)
 * @param wecomTicketHourlyPerCorp WeCom ticket calls ({@code get_jsapi_ticket}, {@code ticket/get}) per corp and
 *     clock hour (WeCom: 400)
 * @param wecomTicketHourlyPerApp WeCom ticket calls per clock hour made with one app's token (WeCom: 100)
 */
public record SandboxSettings(
        Duration tokenLifetime,
        Duration overlap,
        Duration ticketLifetime,
        Duration verifyTicketLifetime,
        Duration ticketPushInterval,
        int classicDailyQuota,
        int stableDailyQuota,
        int stableMinuteQuota,
        int stableForceDailyQuota,
        Duration stableForceSpacing,
        int componentDailyQuota,
        int authorizerDailyQuota,
        int clearQuotaMonthly,
        ZoneId wechatZone,
        int wecomTicketHourlyPerCorp,
        int wecomTicketHourlyPerApp) {

    public SandboxSettings {
        positive(tokenLifetime, "tokenLifetime");
        nonNegative(overlap, "overlap");
        positive(ticketLifetime, "ticketLifetime");
        positive(verifyTicketLifetime, "verifyTicketLifetime");
        nonNegative(ticketPushInterval, "ticketPushInterval");
        nonNegative(stableForceSpacing, "stableForceSpacing");
        Objects.requireNonNull(wechatZone, "wechatZone");
        if (classicDailyQuota < 0
                || stableDailyQuota < 0
                || stableMinuteQuota < 0
                || stableForceDailyQuota < 0
                || componentDailyQuota < 0
                || authorizerDailyQuota < 0
                || clearQuotaMonthly < 0
                || wecomTicketHourlyPerCorp < 0
                || wecomTicketHourlyPerApp < 0) {
            throw new IllegalArgumentException("quotas must be >= 0, got " + this);
        }
    }

    /** WeChat's documented values. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(
                Duration.ofSeconds(7200),
                Duration.ofSeconds(300),
                Duration.ofSeconds(7200),
                Duration.ofHours(12),
                Duration.ofMinutes(10),
                2000,
                500_000,
                10_000,
                20,
                Duration.ofSeconds(30),
                10_000,
                10_000,
                10,
                ZoneId.of("Asia/Shanghai"),
                400,
                100);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** Changes some values; see the record components for their meaning. */
    public static final class Builder {
        private Duration tokenLifetime;
        private Duration overlap;
        private Duration ticketLifetime;
        private Duration verifyTicketLifetime;
        private Duration ticketPushInterval;
        private int classicDailyQuota;
        private int stableDailyQuota;
        private int stableMinuteQuota;
        private int stableForceDailyQuota;
        private Duration stableForceSpacing;
        private int componentDailyQuota;
        private int authorizerDailyQuota;
        private int clearQuotaMonthly;
        private ZoneId wechatZone;
        private int wecomTicketHourlyPerCorp;
        private int wecomTicketHourlyPerApp;

        private Builder(SandboxSettings from) {
            tokenLifetime = from.tokenLifetime;
            overlap = from.overlap;
            ticketLifetime = from.ticketLifetime;
            verifyTicketLifetime = from.verifyTicketLifetime;
            ticketPushInterval = from.ticketPushInterval;
            classicDailyQuota = from.classicDailyQuota;
            stableDailyQuota = from.stableDailyQuota;
            stableMinuteQuota = from.stableMinuteQuota;
            stableForceDailyQuota = from.stableForceDailyQuota;
            stableForceSpacing = from.stableForceSpacing;
            componentDailyQuota = from.componentDailyQuota;
            authorizerDailyQuota = from.authorizerDailyQuota;
            clearQuotaMonthly = from.clearQuotaMonthly;
            wechatZone = from.wechatZone;
            wecomTicketHourlyPerCorp = from.wecomTicketHourlyPerCorp;
            wecomTicketHourlyPerApp = from.wecomTicketHourlyPerApp;
        }

        public Builder tokenLifetime(Duration value) {
            tokenLifetime = value;
            return this;
        }

        public Builder overlap(Duration value) {
            overlap = value;
            return this;
        }

        public Builder ticketLifetime(Duration value) {
            ticketLifetime = value;
            return this;
        }

        public Builder verifyTicketLifetime(Duration value) {
            verifyTicketLifetime = value;
            return this;
        }

        public Builder ticketPushInterval(Duration value) {
            ticketPushInterval = value;
            return this;
        }

        public Builder classicDailyQuota(int value) {
            classicDailyQuota = value;
            return this;
        }

        public Builder stableDailyQuota(int value) {
            stableDailyQuota = value;
            return this;
        }

        public Builder stableMinuteQuota(int value) {
            stableMinuteQuota = value;
            return this;
        }

        public Builder stableForceDailyQuota(int value) {
            stableForceDailyQuota = value;
            return this;
        }

        public Builder stableForceSpacing(Duration value) {
            stableForceSpacing = value;
            return this;
        }

        public Builder componentDailyQuota(int value) {
            componentDailyQuota = value;
            return this;
        }

        public Builder authorizerDailyQuota(int value) {
            authorizerDailyQuota = value;
            return this;
        }

        public Builder clearQuotaMonthly(int value) {
            clearQuotaMonthly = value;
            return this;
        }

        public Builder wechatZone(ZoneId value) {
            wechatZone = value;
            return this;
        }

        public Builder wecomTicketHourlyPerCorp(int value) {
            wecomTicketHourlyPerCorp = value;
            return this;
        }

        public Builder wecomTicketHourlyPerApp(int value) {
            wecomTicketHourlyPerApp = value;
            return this;
        }

        public SandboxSettings build() {
            return new SandboxSettings(
                    tokenLifetime,
                    overlap,
                    ticketLifetime,
                    verifyTicketLifetime,
                    ticketPushInterval,
                    classicDailyQuota,
                    stableDailyQuota,
                    stableMinuteQuota,
                    stableForceDailyQuota,
                    stableForceSpacing,
                    componentDailyQuota,
                    authorizerDailyQuota,
                    clearQuotaMonthly,
                    wechatZone,
                    wecomTicketHourlyPerCorp,
                    wecomTicketHourlyPerApp);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
    }

    private static void nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + d);
        }
    }
}

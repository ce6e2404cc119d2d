package io.tokencast.refresher.service.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import java.time.Clock;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the refresher's meters: {@link RefreshMetrics}, the leader gauge {@code tokencast.leader} (1 on
 * the replica that leads), {@code tokencast.quota.used{key,mode}}, today's WeChat fetches per key, and
 * {@code tokencast.quota.remaining{key,mode}}, what is left of the day's budget.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    RefreshMetrics refreshMetrics(
            MeterRegistry registry, Clock clock, CredentialCatalog catalog, Leadership leadership, QuotaGuard quota) {
        RefreshMetrics metrics = new RefreshMetrics(registry, clock);
        Gauge.builder("tokencast.leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 on the replica that currently plans refreshes")
                .register(registry);
        catalog.all().forEach(credential -> track(registry, metrics, quota, credential));
        // Credentials registered at runtime (authorizers) get their meters when a reload finds them.
        catalog.addListener(new CredentialCatalog.Listener() {
            @Override
            public void registered(ManagedCredential credential) {
                track(registry, metrics, quota, credential);
            }

            @Override
            public void retired(ManagedCredential credential) {
                metrics.untrack(credential.key());
            }
        });
        return metrics;
    }

    private static void track(
            MeterRegistry registry, RefreshMetrics metrics, QuotaGuard quota, ManagedCredential credential) {
        metrics.track(credential.key());
        quotaGauge(registry, quota, credential, FetchMode.NORMAL);
        if (credential.api() == WeChatApi.STABLE) {
            quotaGauge(registry, quota, credential, FetchMode.FORCE);
        }
    }

    private static void quotaGauge(
            MeterRegistry registry, QuotaGuard quota, ManagedCredential credential, FetchMode mode) {
        // Read on scrape: the counters live in Redis and every replica spends them.
        String key = credential.key().asString();
        String tag = mode.name().toLowerCase(Locale.ROOT);
        Gauge.builder("tokencast.quota.used", quota, q -> q.usedToday(credential, mode))
                .tag("key", key)
                .tag("mode", tag)
                .description("WeChat fetches counted today (WeChat day, Asia/Shanghai) for the key")
                .register(registry);
        Gauge.builder("tokencast.quota.remaining", quota, q -> remaining(q, credential, mode))
                .tag("key", key)
                .tag("mode", tag)
                .description("WeChat fetches left in today's budget for the key; at 0 tokencast refuses to fetch")
                .register(registry);
    }

    private static long remaining(QuotaGuard quota, ManagedCredential credential, FetchMode mode) {
        return Math.max(0, quota.dailyLimit(credential, mode) - quota.usedToday(credential, mode));
    }
}

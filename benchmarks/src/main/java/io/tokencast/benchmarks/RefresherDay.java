package io.tokencast.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.refresh.RefreshOutcome;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.leader.RedisLocks;
import io.tokencast.refresher.service.leader.ShedLockKeyLocks;
import io.tokencast.refresher.service.publish.KafkaClientSettings;
import io.tokencast.refresher.service.publish.KafkaEventPublisher;
import io.tokencast.refresher.service.quota.RedisQuotaGuard;
import io.tokencast.refresher.service.store.RedisTokenStore;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatHttpClient;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatSandbox;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Benchmark 4 through the whole refresh path: refresher-core's {@link Refresher}, assembled with
 * {@code Refresher.builder()} and refresher-service's Redis and Kafka adapters as the service wires them (its
 * defaults: signing on, encryption off, the default budgets, policy and fetch rate), on the virtual clock, with
 * Redis, the broker and the WeChat sandbox; no Spring context. Redis under a new prefix and a new tokens topic
 * hold nothing to recover, so the store is marked recovered at once. {@link VirtualDay} plays the scheduler's
 * 1-second ticks on virtual time, asking a {@link FetchRateLimiter} and calling the {@link Refresher} for each
 * due key, which locks the key, re-reads Redis, checks the quota, fetches over HTTP, compare-and-sets Redis,
 * publishes the new version and audits the attempt. When a key is due next is read back from Redis, as the
 * scheduler's planner reads it.
 */
final class RefresherDay {

    private static final Logger log = LoggerFactory.getLogger(RefresherDay.class);

    // The service's defaults: its Kafka timeout, tokencast.wechat.timeout, tokencast.refresh.* and tokencast.quota.*.
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(30);
    private static final int MAX_FETCHES_PER_SECOND = 50;
    private static final TokencastProperties.Quota QUOTA =
            new TokencastProperties.Quota(2000, 20, 500000, 2000, 400, 100);

    private final Rig rig;
    private final int apps;
    private final Duration span;
    private final List<TokenKey> keys = new ArrayList<>();
    private final Map<RefreshOutcome.Result, Long> outcomes = new EnumMap<>(RefreshOutcome.Result.class);
    private long refreshes;

    private RefresherDay(Rig rig, int apps, Duration span) {
        this.rig = rig;
        this.apps = apps;
        this.span = span;
        for (int i = 0; i < apps; i++) {
            keys.add(TokenEvents.key(i));
        }
    }

    static List<Row> run(Rig rig, Sizes sizes) {
        return new RefresherDay(rig, sizes.refresherApps(), sizes.scaleSpan()).measure();
    }

    private List<Row> measure() {
        long heapBefore = FetchTally.heapAfterGc();
        MutableClock clock = new MutableClock(PolicyDay.START);
        Map<String, WeChatApi> apiByAccount = new HashMap<>();
        WeChatSandbox sandbox = WeChatSandbox.start(
                clock,
                SandboxSettings.builder().ticketPushInterval(Duration.ZERO).build());
        Assembly assembly = null;
        FetchTally tally;
        long cpuNanos;
        try {
            for (int i = 0; i < apps; i++) {
                sandbox.registerApp(keys.get(i).account(), secret(i));
                apiByAccount.put(keys.get(i).account(), api(i));
            }
            assembly = assemble(clock, sandbox);
            long cpuStart = FetchTally.processCpuNanos();
            long wallStart = System.nanoTime();
            runDay(assembly, clock);
            cpuNanos = FetchTally.processCpuNanos() - cpuStart;
            tally = FetchTally.of(sandbox.callLog(), apiByAccount, PolicyDay.START.plus(span));
            log.info(
                    "refresher day apps={} refreshes={} outcomes={} wallMs={} cpuMs={} wechatCalls={}",
                    apps,
                    refreshes,
                    outcomes,
                    (System.nanoTime() - wallStart) / 1_000_000,
                    cpuNanos / 1_000_000,
                    tally);
        } catch (RuntimeException e) {
            if (assembly != null) {
                assembly.close();
            }
            throw e;
        } finally {
            sandbox.close();
        }
        // Unreachable for the GC below (an interpreted frame keeps its locals alive): what survives is the
        // assembled refresher with its catalog and clients, not the sandbox's call log.
        sandbox = null;
        double heapMb;
        try {
            heapMb = (FetchTally.heapAfterGc() - heapBefore) / 1_048_576.0;
        } finally {
            assembly.close();
        }
        String what = "refresher, " + Sizes.count(apps) + " apps";
        return tally.rows(what, apps, span, cpuNanos / 1000.0 / Math.max(1, refreshes), heapMb);
    }

    /** The refresher and the clients it holds, closed together. */
    private record Assembly(
            Refresher refresher,
            TokenStore store,
            FetchRateLimiter rateLimiter,
            KafkaEventPublisher publisher,
            LettuceConnectionFactory redis) {

        void close() {
            try {
                publisher.close();
            } finally {
                redis.destroy();
            }
        }
    }

    /** Wires the refresher as refresher-service does with its defaults, from the builder and the adapters. */
    private Assembly assemble(MutableClock clock, WeChatSandbox sandbox) {
        String prefix = LocalInfrastructure.uniqueName("bench") + ":";
        String tokens = rig.createTokensTopic("bench.refresher.tokens");
        String audit = rig.createAuditTopic("bench.refresher.audit");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SigningKey key = SigningKey.generateEd25519("bench-refresher", null, KeySetRole.REFRESHER);
        RecordSigning signing =
                RecordSigning.on(key, VerificationKeys.of(KeySetRole.REFRESHER, List.of(key)), meters, clock, null);
        LettuceConnectionFactory redis =
                new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(rig.redisUri()));
        redis.afterPropertiesSet();
        redis.start();
        KafkaEventPublisher publisher = null;
        try {
            StringRedisTemplate template = new StringRedisTemplate(redis);
            publisher = new KafkaEventPublisher(
                    new KafkaProducer<>(
                            KafkaClientSettings.producer(
                                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers()),
                                    "tokencast-refresher-bench-refresher",
                                    KAFKA_TIMEOUT),
                            new StringSerializer(),
                            new ByteArraySerializer()),
                    tokens,
                    audit,
                    KAFKA_TIMEOUT,
                    signing);
            RedisTokenStore store = new RedisTokenStore(template, prefix, clock, signing);
            WeChatHttpClient.Host host = new WeChatHttpClient.Host(sandbox.url(), HTTP_TIMEOUT);
            Refresher refresher = Refresher.builder()
                    .credentials(credentials())
                    .store(store)
                    .locks(new ShedLockKeyLocks(
                            new DefaultLockingTaskExecutor(RedisLocks.provider(redis, prefix)), LOCK_AT_MOST_FOR))
                    .source(new WeChatHttpClient(host, host, clock))
                    .quota(new RedisQuotaGuard(template, prefix, QUOTA, clock))
                    .policy(new StandardRefreshPolicy(
                            Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1)))
                    .publisher(publisher)
                    .signing(signing)
                    .meterRegistry(meters)
                    .clock(clock)
                    .instanceId("bench-refresher")
                    .build();
            // A new prefix over a new topic: the scheduler's recovery would find nothing to restore or republish.
            store.markRecovered("bench-refresher");
            return new Assembly(refresher, store, new FetchRateLimiter(MAX_FETCHES_PER_SECOND), publisher, redis);
        } catch (RuntimeException e) {
            if (publisher != null) {
                publisher.close();
            }
            redis.destroy();
            throw e;
        }
    }

    private List<ManagedCredential> credentials() {
        List<ManagedCredential> credentials = new ArrayList<>(apps);
        for (int i = 0; i < apps; i++) {
            credentials.add(new ManagedCredential(keys.get(i), api(i), secret(i)));
        }
        return credentials;
    }

    private void runDay(Assembly assembly, MutableClock clock) {
        Refresher refresher = assembly.refresher();
        TokenStore store = assembly.store();
        Map<TokenKey, StoredToken> stored = store.readAll(keys);
        List<Instant> firstDue = new ArrayList<>(apps);
        for (TokenKey key : keys) {
            firstDue.add(dueAt(stored.get(key), clock.instant()));
        }
        new VirtualDay(firstDue).run(clock, PolicyDay.START.plus(span), assembly.rateLimiter(), (app, now) -> {
            TokenKey key = keys.get(app);
            RefreshReason reason = store.read(key).version() == 0 ? RefreshReason.STARTUP : RefreshReason.SCHEDULED;
            RefreshOutcome outcome = refresher.refresh(key, reason, null);
            count(outcome.result());
            return dueAt(store.read(key), now);
        });
    }

    private synchronized void count(RefreshOutcome.Result result) {
        refreshes++;
        outcomes.merge(result, 1L, Long::sum);
    }

    /** When the scheduler's planner would find the key due: after any retry wait, at its planned refresh. */
    private static Instant dueAt(StoredToken stored, Instant now) {
        Instant due =
                stored == null || stored.token() == null ? now : stored.token().nextRefreshAt();
        if (stored != null
                && stored.retry() != null
                && stored.retry().notBefore().isAfter(due)) {
            due = stored.retry().notBefore();
        }
        return due;
    }

    private static WeChatApi api(int app) {
        return app % 2 == 0 ? WeChatApi.STABLE : WeChatApi.CLASSIC;
    }

    private static String secret(int app) {
        return "bench-secret-" + app;
    }
}

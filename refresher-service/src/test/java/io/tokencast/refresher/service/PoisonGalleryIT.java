package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.Ranges;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.poison.PoisonGallery;
import io.tokencast.testkit.poison.PoisonGallery.Poison;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The poison gallery on the real broker and Redis (issue 14, point 11): every poison record written between
 * genuine versions of the refresher's keys, plus 100k keys it does not manage, then Redis emptied. The
 * refresher rebuilds Redis from the topic without a WeChat call and without a meter per unknown key, and a view
 * started afterwards is ready and serves the genuine tokens.
 */
class PoisonGalleryIT {

    private static final int UNKNOWN_KEYS = 100_000;

    private final List<TestApp> apps = List.of(TestApp.of(0x14a, 0, "classic"), TestApp.of(0x14a, 1, "stable"));
    private final RefresherCluster cluster = new RefresherCluster(apps);
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    LocalInfrastructure.shared().kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all"),
            new StringSerializer(),
            new ByteArraySerializer());
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        producer.close();
        cluster.closeAfterCheckingNoSecretsLeaked();
    }

    @Test
    void poisonOnTheTopicsAndAnEmptiedRedisCostNoFetchAndEveryViewServesTheGenuineTokens() throws Exception {
        // given genuine v1 of every app, fetched once each
        cluster.start("first");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() == 1));
        Map<TokenKey, TokenRefreshed> genuine = cluster.latest();

        // when the whole gallery follows each genuine record on the tokens, admin, reports and credentials topics, with
        // 100k valid records of keys the refresher does not manage
        int poisoned = 0;
        for (TokenRefreshed token : genuine.values()) {
            for (Poison poison : PoisonGallery.of(token)) {
                for (String topic : List.of(
                        cluster.tokensTopic,
                        cluster.tokensTopic + "-admin",
                        cluster.tokensTopic + "-reports",
                        cluster.tokensTopic + "-credentials")) {
                    producer.send(new ProducerRecord<>(topic, poison.key(), poison.value()));
                }
                poisoned++;
            }
        }
        for (int i = 0; i < UNKNOWN_KEYS; i++) {
            TokenKey stranger = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, String.format("wxstranger%08d", i));
            TokenRefreshed other = TokenRefreshed.of(
                    stranger,
                    7,
                    "stranger-" + i,
                    cluster.clock.instant(),
                    cluster.clock.instant().plusSeconds(7200),
                    cluster.clock.instant().plusSeconds(5400),
                    RefreshReason.SCHEDULED,
                    "someone-else",
                    null);
            producer.send(new ProducerRecord<>(
                    cluster.tokensTopic, stranger.asString(), EventCodec.json().encode(other)));
        }
        producer.flush();
        // and Redis loses everything, so the leader must rebuild it from the poisoned topic
        StringRedisTemplate redis = cluster.context("first").getBean(StringRedisTemplate.class);
        Set<String> ours = redis.keys(cluster.keyPrefix + "*");
        redis.delete(ours);

        // then Redis holds the genuine v1 again, with no WeChat call beyond the first fetch of each app
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(cluster.stored().values()).allSatisfy(s -> {
                    assertThat(s.version()).isEqualTo(1);
                    assertThat(s.fingerprint()).isEqualTo(genuine.get(s.key()).fingerprint());
                }));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> apps.stream()
                .allMatch(app -> cluster.sandbox.calls(app.appid(), app.endpoint()) == 1));
        // and no meter names a key the refresher does not manage
        MeterRegistry registry = cluster.context("first").getBean(MeterRegistry.class);
        assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getTags().stream()
                .anyMatch(t -> t.getValue().contains("wxstranger")));
        // and a view started now is ready and serves the genuine tokens, having skipped every poison record
        TokenView view = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(cluster.tokensTopic)
                .refresherKeysFile(TestSigning.FILES.publicFile())
                .clientId(LocalInfrastructure.uniqueName("poisoned-view"))
                .clock(cluster.clock)
                .build();
        closeables.add(view);
        view.start().awaitReady(Duration.ofSeconds(30));
        for (TestApp app : apps) {
            assertThat(view.token(app.key()).fingerprint())
                    .isEqualTo(genuine.get(app.key()).fingerprint());
        }
        assertThat(view.stats().malformedSkipped()).isEqualTo(poisoned);
        assertThat(view.stats().readerAlive()).isTrue();
        // and the leader copied each poison record of its own compacted topics to the dead-letter topic, once, naming
        // where it came from: on the tokens topic those under a key it manages, on the credentials topic those under
        // a key of credential size
        String deadLetters = cluster.tokensTopic + "-admin.dlt";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Long> copies = cluster.topics.records(deadLetters).stream()
                    .map(r -> header(r, "original-topic") + "@" + header(r, "original-offset"))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(copies.values()).as("copies per poison record").allMatch(n -> n == 1);
            assertThat(copies.keySet().stream().filter(c -> c.startsWith(cluster.tokensTopic + "@")))
                    .hasSize(poisonedUnder(genuine, key -> apps.stream()
                            .anyMatch(a -> a.key().asString().equals(key))));
            assertThat(copies.keySet().stream().filter(c -> c.startsWith(cluster.tokensTopic + "-credentials@")))
                    .hasSize(poisonedUnder(genuine, key -> key.length() <= Ranges.MAX_KEY_CHARS));
        });
    }

    private static int poisonedUnder(Map<TokenKey, TokenRefreshed> genuine, Predicate<String> key) {
        return genuine.values().stream()
                .flatMap(token -> PoisonGallery.of(token).stream())
                .filter(poison -> key.test(poison.key()))
                .mapToInt(poison -> 1)
                .sum();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader("tokencast.dlt." + name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

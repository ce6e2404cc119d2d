package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.service.TestOperator;
import io.tokencast.refresher.service.TestSigning;
import io.tokencast.refresher.service.Topics;
import io.tokencast.refresher.service.testing.RunningRefreshers;
import io.tokencast.refresher.service.testing.TestRefresher;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.WeChatSandbox;
import io.tokencast.trust.signing.Verdict;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.ConfigurableApplicationContext;

/** Refresher replicas in this JVM on one Redis, one broker, one sandbox and one virtual clock. */
final class Replicas implements AutoCloseable {

    final MutableClock clock;
    final WeChatSandbox sandbox;
    final String tokensTopic;
    final String keyPrefix;
    private final RunningRefreshers running;

    Replicas(MutableClock clock, WeChatSandbox sandbox, String redisUrl, List<String> properties) {
        this.clock = clock;
        this.sandbox = sandbox;
        TestRefresher refresher = TestRefresher.named("op", clock)
                .sandbox(sandbox)
                .redis(redisUrl)
                .properties(TestOperator.properties())
                .properties(properties);
        this.tokensTopic = refresher.tokensTopic();
        this.keyPrefix = refresher.keyPrefix();
        this.running = new RunningRefreshers(refresher);
    }

    ConfigurableApplicationContext start(String instanceId) {
        return running.start(instanceId);
    }

    void stop(String instanceId) {
        running.stop(instanceId);
    }

    ConfigurableApplicationContext context(String instanceId) {
        return running.context(instanceId);
    }

    boolean isLeader(String instanceId) {
        return context(instanceId).getBean(Leadership.class).isLeader();
    }

    URI callbackUrl(String instanceId, String componentAppid) {
        String port = context(instanceId).getEnvironment().getProperty("local.server.port");
        return URI.create("http://127.0.0.1:" + port + "/wechat/open-platform/" + componentAppid + "/callback");
    }

    /** Every TokenRefreshed on the tokens topic, in offset order (one partition); retirements left out. */
    List<TokenRefreshed> tokens() {
        return records().stream()
                .filter(r -> r.value() != null)
                .map(r -> EventCodec.json().decode(r.value()))
                .filter(TokenRefreshed.class::isInstance)
                .map(TokenRefreshed.class::cast)
                .toList();
    }

    /**
     * The keys of the tombstones on the tokens topic, in offset order; each must follow a signed TokenRetired of
     * its key (docs/design.md §5), or this fails.
     */
    List<String> tombstones() {
        List<ConsumerRecord<String, byte[]>> records = records();
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            if (record.value() == null) {
                ConsumerRecord<String, byte[]> before = records.get(i - 1);
                assertThat(before.key()).isEqualTo(record.key());
                assertThat(EventCodec.json().decode(before.value())).isInstanceOf(TokenRetired.class);
                assertThat(TestSigning.verifier()
                                .verify(before.value(), before.key())
                                .verdict())
                        .isEqualTo(Verdict.VERIFIED);
                keys.add(record.key());
            }
        }
        return keys;
    }

    private List<ConsumerRecord<String, byte[]>> records() {
        return new Topics(LocalInfrastructure.shared().kafkaBootstrapServers()).records(tokensTopic);
    }

    List<TokenRefreshed> tokens(TokenKey key) {
        return tokens().stream().filter(t -> t.tokenKey().equals(key)).toList();
    }

    /** Waits for the key's versions on the topic, nudging the virtual clock so backoffs pass. */
    TokenRefreshed awaitVersion(TokenKey key, long version) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    clock.advance(Duration.ofSeconds(1));
                    return newest(key).filter(t -> t.version() >= version).isPresent();
                });
        return newest(key).orElseThrow();
    }

    private Optional<TokenRefreshed> newest(TokenKey key) {
        return tokens(key).stream().max(Comparator.comparingLong(TokenRefreshed::version));
    }

    @Override
    public void close() {
        running.close();
    }
}

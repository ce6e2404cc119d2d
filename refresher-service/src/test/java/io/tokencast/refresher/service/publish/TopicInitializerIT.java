package io.tokencast.refresher.service.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.service.TestSigning;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.signing.SigningConfiguration;
import io.tokencast.refresher.service.signing.SigningProperties;
import io.tokencast.testkit.LocalInfrastructure;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The refresher creates its topics with the policies of docs/design.md §3.2 and refuses existing ones that lose
 * data.
 */
@ExtendWith(OutputCaptureExtension.class)
class TopicInitializerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static String bootstrap;
    private static Admin admin;

    private TokencastProperties.Topics topics;

    @BeforeAll
    static void connect() {
        bootstrap = LocalInfrastructure.shared().kafkaBootstrapServers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @BeforeEach
    void uniqueTopics() {
        String base = LocalInfrastructure.uniqueName("topics-it");
        topics = new TokencastProperties.Topics(
                base + ".tokens",
                base + ".audit",
                base + ".admin",
                base + ".credentials",
                2,
                (short) 1,
                1,
                null,
                base + ".consumers",
                base + ".reports");
    }

    @Test
    void createsEveryMissingTopicWithTheDesignPolicies() throws Exception {
        initializer().createMissing();

        Map<String, Config> configs = describe(
                topics.tokens(),
                topics.audit(),
                topics.admin(),
                topics.adminDeadLetter(),
                topics.credentials(),
                topics.consumers(),
                topics.reports());
        assertThat(value(configs, topics.tokens(), "cleanup.policy")).isEqualTo("compact");
        assertThat(value(configs, topics.consumers(), "cleanup.policy")).isEqualTo("compact");
        assertThat(value(configs, topics.tokens(), "min.compaction.lag.ms")).isEqualTo("600000");
        assertThat(value(configs, topics.credentials(), "cleanup.policy")).isEqualTo("compact");
        assertThat(value(configs, topics.audit(), "cleanup.policy")).isEqualTo("delete");
        assertThat(value(configs, topics.audit(), "retention.ms"))
                .isEqualTo(Long.toString(Duration.ofDays(90).toMillis()));
        assertThat(value(configs, topics.admin(), "retention.ms"))
                .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(value(configs, topics.adminDeadLetter(), "cleanup.policy")).isEqualTo("delete");
        assertThat(value(configs, topics.reports(), "cleanup.policy")).isEqualTo("delete");
        assertThat(value(configs, topics.reports(), "retention.ms"))
                .isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
        assertThat(admin.describeTopics(List.of(topics.tokens()))
                        .allTopicNames()
                        .get()
                        .get(topics.tokens())
                        .partitions())
                .hasSize(2);
    }

    @Test
    void leavesATopicAnOperatorTunedAsItIs() throws Exception {
        long thirtyDays = Duration.ofDays(30).toMillis();
        create(topics.audit(), Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(thirtyDays)));

        initializer().createMissing();

        assertThat(value(describe(topics.audit()), topics.audit(), "retention.ms"))
                .isEqualTo(Long.toString(thirtyDays));
        assertThat(existing()).contains(topics.tokens(), topics.credentials());
    }

    @Test
    void refusesExistingTopicsWhosePolicyLosesDataAndCreatesNothing() throws Exception {
        create(topics.tokens(), Map.of("cleanup.policy", "delete"));
        create(topics.audit(), Map.of("cleanup.policy", "compact"));

        assertThatThrownBy(() -> initializer().createMissing())
                .isInstanceOfSatisfying(TopicPolicyException.class, e -> assertThat(e.problems())
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p).startsWith(topics.tokens() + ": cleanup.policy is delete"))
                        .anySatisfy(p -> assertThat(p).startsWith(topics.audit() + ": cleanup.policy is compact")))
                .hasMessageStartingWith("2 tokencast topics have a policy that would lose data");

        assertThat(existing()).doesNotContain(topics.admin(), topics.credentials());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({TokencastProperties.class, KafkaProperties.class, SigningProperties.class})
    @Import({PublishConfiguration.class, SigningConfiguration.class})
    static class PublishOnly {}

    @Test
    void aRefresherOnADeletingTokensTopicFailsToStartWithTheFix(CapturedOutput output) throws Exception {
        create(topics.tokens(), Map.of("cleanup.policy", "compact,delete"));
        SpringApplication application = new SpringApplication(PublishOnly.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run(
                        "--spring.kafka.bootstrap-servers=" + bootstrap,
                        "--tokencast.topics.tokens=" + topics.tokens(),
                        "--tokencast.topics.audit=" + topics.audit(),
                        "--tokencast.topics.admin=" + topics.admin(),
                        "--tokencast.topics.credentials=" + topics.credentials(),
                        "--" + TestSigning.keyFileProperty()))
                .hasRootCauseInstanceOf(TopicPolicyException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains(topics.tokens() + ": cleanup.policy is compact,delete but must be compact only")
                .contains("kafka-configs.sh --bootstrap-server <broker> --alter --entity-type topics --entity-name "
                        + topics.tokens() + " --add-config cleanup.policy=compact")
                .contains("tokencast creates missing topics itself");
    }

    private TopicInitializer initializer() {
        return new TopicInitializer(admin, topics, TIMEOUT);
    }

    private static void create(String name, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs)))
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(TIMEOUT).until(() -> existing().contains(name));
    }

    private static Set<String> existing() throws Exception {
        return admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Map<String, Config> describe(String... names) throws Exception {
        // A created topic reaches the broker's metadata a moment after the controller confirms it.
        await().atMost(TIMEOUT).until(() -> existing().containsAll(List.of(names)));
        List<ConfigResource> resources = Arrays.stream(names)
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        Map<String, Config> configs = new HashMap<>();
        admin.describeConfigs(resources)
                .all()
                .get()
                .forEach((resource, config) -> configs.put(resource.name(), config));
        return configs;
    }

    private static String value(Map<String, Config> configs, String topic, String name) {
        return configs.get(topic).get(name).value();
    }
}

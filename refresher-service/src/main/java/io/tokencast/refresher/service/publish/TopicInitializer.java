package io.tokencast.refresher.service.publish;

import io.tokencast.refresher.service.config.TokencastProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Creates the tokencast topics that are missing, with the policies of docs/design.md §3.2. Topics that exist are
 * left as they are (an operator may have tuned them), but start-up stops when one has a cleanup policy that
 * would lose data: see {@link TopicPolicyCheck}.
 */
final class TopicInitializer implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(TopicInitializer.class);

    static final Duration TOKENS_SEGMENT = Duration.ofHours(1);
    static final Duration MIN_COMPACTION_LAG = Duration.ofMinutes(10);
    static final Duration AUDIT_RETENTION = Duration.ofDays(90);
    static final Duration ADMIN_RETENTION = Duration.ofDays(7);
    /** A report is worth acting on for minutes; a day is room for a refresher outage, and little to replay. */
    static final Duration REPORTS_RETENTION = Duration.ofDays(1);

    private final Admin admin;
    private final TokencastProperties.Topics topics;
    private final Duration timeout;

    TopicInitializer(Admin admin, TokencastProperties.Topics topics, Duration timeout) {
        this.admin = admin;
        this.topics = topics;
        this.timeout = timeout;
    }

    /** The topics tokencast needs, with their policies. */
    List<NewTopic> wanted() {
        return List.of(
                topic(
                        topics.tokens(),
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.SEGMENT_MS_CONFIG, millis(TOKENS_SEGMENT),
                                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, millis(MIN_COMPACTION_LAG))),
                topic(
                        topics.audit(),
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                millis(AUDIT_RETENTION))),
                topic(
                        topics.admin(),
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                millis(ADMIN_RETENTION))),
                topic(
                        topics.reports(),
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                millis(REPORTS_RETENTION))),
                topic(
                        topics.adminDeadLetter(),
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                millis(ADMIN_RETENTION))),
                topic(
                        topics.credentials(),
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                                millis(MIN_COMPACTION_LAG))),
                // Heartbeats: compaction keeps each instance's last one, a tombstone forgets a closed instance.
                topic(
                        topics.consumers(),
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.SEGMENT_MS_CONFIG,
                                millis(TOKENS_SEGMENT))));
    }

    @Override
    public void afterPropertiesSet() {
        createMissing();
    }

    /**
     * Creates the missing topics (another replica creating one at the same moment is fine) and checks the
     * policies of those that exist.
     *
     * @throws TopicPolicyException when an existing topic's cleanup policy would lose data
     */
    void createMissing() {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<NewTopic> present = new ArrayList<>();
            for (NewTopic topic : wanted()) {
                (existing.contains(topic.name()) ? present : missing).add(topic);
            }
            verify(present);
            if (missing.isEmpty()) {
                return;
            }
            CreateTopicsResult result = admin.createTopics(missing);
            List<NewTopic> createdMeanwhile = new ArrayList<>();
            for (NewTopic topic : missing) {
                if (!create(result, topic)) {
                    createdMeanwhile.add(topic);
                }
            }
            // Another replica (or an operator) won the race, or the broker listed topics from metadata that
            // lagged behind: a topic we did not create still has to pass the policy check.
            verify(createdMeanwhile);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot list or create the tokencast topics; is Kafka reachable at spring.kafka.bootstrap-servers? "
                            + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the tokencast topics", e);
        }
    }

    private void verify(List<NewTopic> present) throws InterruptedException, ExecutionException, TimeoutException {
        if (present.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = present.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                .toList();
        Map<String, Config> configs = new HashMap<>();
        admin.describeConfigs(resources)
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((resource, config) -> configs.put(resource.name(), config));
        TopicPolicyCheck.Findings findings = TopicPolicyCheck.check(present, configs);
        findings.warnings().forEach(warning -> log.warn("topic policy differs from the design: {}", warning));
        if (!findings.errors().isEmpty()) {
            throw new TopicPolicyException(findings.errors());
        }
    }

    /** Returns false when the topic existed already. */
    private boolean create(CreateTopicsResult result, NewTopic topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info(
                    "created topic name={} partitions={} replicationFactor={} configs={}",
                    topic.name(),
                    topic.numPartitions(),
                    topic.replicationFactor(),
                    topic.configs());
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            return false;
        }
    }

    private NewTopic topic(String name, Map<String, String> policy) {
        Map<String, String> configs = new HashMap<>(policy);
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(topics.minInsyncReplicas()));
        return new NewTopic(name, topics.partitions(), topics.replicationFactor()).configs(configs);
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}

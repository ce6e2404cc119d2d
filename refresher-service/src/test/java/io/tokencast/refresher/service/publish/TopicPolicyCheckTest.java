package io.tokencast.refresher.service.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.tokencast.refresher.service.config.TokencastProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** Which existing-topic policies lose data (errors) and which merely differ from the design (warnings). */
class TopicPolicyCheckTest {

    private static final TokencastProperties.Topics TOPICS = new TokencastProperties.Topics(
            "t.tokens", "t.audit", "t.admin", "t.credentials", 1, (short) 1, 1, null, "t.consumers", "t.reports");

    private final List<NewTopic> wanted = new TopicInitializer(null, TOPICS, Duration.ofSeconds(1)).wanted();

    @Test
    void topicsAsTheDesignWantsThemPass() {
        TopicPolicyCheck.Findings findings = TopicPolicyCheck.check(
                wanted,
                Map.of(
                        "t.tokens", config("cleanup.policy", "compact", "min.compaction.lag.ms", "600000"),
                        "t.audit", config("cleanup.policy", "delete", "retention.ms", "86400000"),
                        "t.credentials", config("cleanup.policy", "compact", "min.compaction.lag.ms", "900000")));

        assertThat(findings.errors()).isEmpty();
        assertThat(findings.warnings()).isEmpty();
    }

    @Test
    void aTokensTopicThatDeletesIsAnErrorWithTheFix() {
        TopicPolicyCheck.Findings findings =
                TopicPolicyCheck.check(wanted, Map.of("t.tokens", config("cleanup.policy", "delete")));

        assertThat(findings.errors())
                .singleElement(STRING)
                .startsWith("t.tokens: cleanup.policy is delete but must be compact only")
                .contains("--entity-name t.tokens --add-config cleanup.policy=compact");
    }

    @Test
    void compactAndDeleteIsNotEnoughForTheCredentials() {
        TopicPolicyCheck.Findings findings =
                TopicPolicyCheck.check(wanted, Map.of("t.credentials", config("cleanup.policy", "[delete, Compact]")));

        assertThat(findings.errors())
                .singleElement(STRING)
                .startsWith("t.credentials: cleanup.policy is compact,delete but must be compact only");
    }

    @Test
    void aCompactedAuditTopicIsAnError() {
        TopicPolicyCheck.Findings findings = TopicPolicyCheck.check(
                wanted,
                Map.of(
                        "t.audit", config("cleanup.policy", "compact"),
                        "t.admin", config("cleanup.policy", "compact,delete")));

        assertThat(findings.errors())
                .hasSize(2)
                .allSatisfy(error -> assertThat(error).contains("but this topic is append-only"))
                .anySatisfy(error ->
                        assertThat(error).contains("--entity-name t.audit --add-config cleanup.policy=delete"));
    }

    @Test
    void aShortCompactionLagIsOnlyAWarning() {
        TopicPolicyCheck.Findings findings = TopicPolicyCheck.check(
                wanted, Map.of("t.tokens", config("cleanup.policy", "compact", "min.compaction.lag.ms", "1000")));

        assertThat(findings.errors()).isEmpty();
        assertThat(findings.warnings())
                .singleElement(STRING)
                .contains("t.tokens: min.compaction.lag.ms is PT1S, below the PT10M")
                .contains("--add-config min.compaction.lag.ms=600000");
    }

    @Test
    void topicsThatDoNotExistYetAreNotJudged() {
        assertThat(TopicPolicyCheck.check(wanted, Map.of()).errors()).isEmpty();
    }

    private static Config config(String... namesAndValues) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            entries.add(new ConfigEntry(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Config(entries);
    }
}

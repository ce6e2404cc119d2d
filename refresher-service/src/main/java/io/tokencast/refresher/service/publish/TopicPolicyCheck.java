package io.tokencast.refresher.service.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Judges topics that already exist against the policies tokencast depends on. An operator may tune
 * partitions, retention or segment sizes, but a cleanup policy that contradicts docs/design.md §3.2 loses data
 * silently, so it is an error; a compaction lag below the design's is only a warning.
 */
final class TopicPolicyCheck {

    /** What the existing topics get wrong: errors stop start-up, warnings are logged. */
    record Findings(List<String> errors, List<String> warnings) {

        Findings {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }
    }

    private TopicPolicyCheck() {}

    /**
     * @param wanted the topics tokencast creates, with their policies
     * @param existing the configuration of those of them that already exist, by topic name
     */
    static Findings check(List<NewTopic> wanted, Map<String, Config> existing) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (NewTopic topic : wanted) {
            Config actual = existing.get(topic.name());
            if (actual == null) {
                continue;
            }
            String name = topic.name();
            Set<String> want = policies(topic.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
            Set<String> have = policies(value(actual, TopicConfig.CLEANUP_POLICY_CONFIG));
            if (want.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                checkCompacted(name, have, errors);
                checkCompactionLag(topic, actual, warnings);
            } else if (have.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                errors.add(name + ": cleanup.policy is " + String.join(",", have)
                        + " but this topic is append-only; compaction would keep only the last record per key"
                        + " and silently drop history. Fix: " + alter(name, "cleanup.policy=delete"));
            }
        }
        return new Findings(errors, warnings);
    }

    /**
     * The latest record of each key must live for ever: it is what a consumer starting cold reads, and
     * what restores versions after Redis lost its data (a version must never go backwards).
     */
    private static void checkCompacted(String name, Set<String> have, List<String> errors) {
        if (!have.equals(Set.of(TopicConfig.CLEANUP_POLICY_COMPACT))) {
            errors.add(name + ": cleanup.policy is " + String.join(",", have)
                    + " but must be compact only; with delete, retention removes the latest record of a key,"
                    + " so consumers starting later miss it and versions can go backwards after a Redis loss."
                    + " Fix: " + alter(name, "cleanup.policy=compact"));
        }
    }

    private static void checkCompactionLag(NewTopic topic, Config actual, List<String> warnings) {
        String wanted = topic.configs().get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG);
        String have = value(actual, TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG);
        if (wanted == null || have == null || Long.parseLong(have) >= Long.parseLong(wanted)) {
            return;
        }
        warnings.add(topic.name() + ": min.compaction.lag.ms is " + Duration.ofMillis(Long.parseLong(have))
                + ", below the " + Duration.ofMillis(Long.parseLong(wanted))
                + " of docs/design.md §3.2; a consumer reading the topic may see a key's records compacted under it."
                + " Fix: " + alter(topic.name(), TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG + "=" + wanted));
    }

    private static Set<String> policies(String value) {
        if (value == null || value.isBlank()) {
            return Set.of(TopicConfig.CLEANUP_POLICY_DELETE);
        }
        // Kafka accepts "compact,delete", "[compact, delete]" and upper case alike.
        return Arrays.stream(value.replace("[", "").replace("]", "").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }

    private static String alter(String topic, String setting) {
        return "kafka-configs.sh --bootstrap-server <broker> --alter --entity-type topics --entity-name " + topic
                + " --add-config " + setting;
    }
}

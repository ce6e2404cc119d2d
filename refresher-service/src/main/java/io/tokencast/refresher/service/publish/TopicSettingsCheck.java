package io.tokencast.refresher.service.publish;

import io.tokencast.refresher.service.config.SettingsProblems;
import io.tokencast.refresher.service.config.TokencastProperties;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks {@code tokencast.topics.*}: every name one Kafka accepts and none used twice, and topics created at start
 * that could take a write.
 */
public final class TopicSettingsCheck {

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int TOPIC_MAX_LENGTH = 249;

    private TopicSettingsCheck() {}

    public static void check(TokencastProperties.Topics topics, SettingsProblems problems) {
        if (topics == null) {
            return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        names.put("tokencast.topics.tokens", topics.tokens());
        names.put("tokencast.topics.audit", topics.audit());
        names.put("tokencast.topics.admin", topics.admin());
        names.put("tokencast.topics.credentials", topics.credentials());
        names.put("tokencast.topics.admin-dead-letter", topics.adminDeadLetter());
        names.put("tokencast.topics.reports", topics.reports());
        Map<String, String> seen = new HashMap<>();
        names.forEach((path, name) -> {
            if (topicName(path, name, problems)) {
                String other = seen.putIfAbsent(name, path);
                if (other != null) {
                    problems.add(path, "'" + name + "' is also " + other + "; every topic needs its own name");
                }
            }
        });
        problems.atLeastOne("tokencast.topics.partitions", topics.partitions());
        problems.atLeastOne("tokencast.topics.replication-factor", topics.replicationFactor());
        problems.atLeastOne("tokencast.topics.min-insync-replicas", topics.minInsyncReplicas());
        if (topics.replicationFactor() >= 1 && topics.minInsyncReplicas() > topics.replicationFactor()) {
            problems.add(
                    "tokencast.topics.min-insync-replicas",
                    topics.minInsyncReplicas() + " is above the replication factor " + topics.replicationFactor()
                            + "; no write could ever succeed");
        }
    }

    private static boolean topicName(String path, String name, SettingsProblems problems) {
        if (name == null || name.isBlank()) {
            problems.add(path, "missing");
            return false;
        }
        if (name.length() > TOPIC_MAX_LENGTH) {
            problems.add(path, "is " + name.length() + " characters; Kafka allows " + TOPIC_MAX_LENGTH);
            return false;
        }
        if (name.equals(".") || name.equals("..") || !TOPIC.matcher(name).matches()) {
            problems.add(
                    path,
                    "'" + name + "' is not a valid Kafka topic name; use letters, digits, '.', '_' and '-'"
                            + " (not '.' or '..' alone)");
            return false;
        }
        return true;
    }
}

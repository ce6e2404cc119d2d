package io.tokencast.refresher.admin;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The {@code tokencastAdmin} health indicator: DOWN when the admin-topic listener has stopped, as commands
 * would then go unanswered. Lag is not its business: an idle admin topic is the normal case.
 */
final class AdminHealthIndicator implements HealthIndicator {

    private final MessageListenerContainer listener;
    private final String topic;
    private final String groupId;

    AdminHealthIndicator(MessageListenerContainer listener, String topic, String groupId) {
        this.listener = listener;
        this.topic = topic;
        this.groupId = groupId;
    }

    @Override
    public Health health() {
        boolean running = listener.isRunning();
        return (running ? Health.up() : Health.down())
                .withDetail("topic", topic)
                .withDetail("groupId", groupId)
                .withDetail("listener", running ? "running" : "stopped")
                .build();
    }
}

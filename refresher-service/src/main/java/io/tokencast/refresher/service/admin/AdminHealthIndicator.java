package io.tokencast.refresher.service.admin;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The {@code tokencastAdmin} health indicator: DOWN when the admin-topic or reports-topic listener has stopped,
 * as commands or reports would then go unanswered. Lag is not its business: an idle admin topic is the normal
 * case. It shows whether operator keys are configured, since without them every command is refused.
 */
final class AdminHealthIndicator implements HealthIndicator {

    /** One listener container and what it reads. */
    record Listener(MessageListenerContainer container, String topic, String groupId) {}

    private final Listener commands;
    private final Listener reports;
    private final boolean operatorKeys;

    AdminHealthIndicator(Listener commands, Listener reports, boolean operatorKeys) {
        this.commands = commands;
        this.reports = reports;
        this.operatorKeys = operatorKeys;
    }

    @Override
    public Health health() {
        boolean commandsRunning = commands.container().isRunning();
        boolean reportsRunning = reports.container().isRunning();
        return (commandsRunning && reportsRunning ? Health.up() : Health.down())
                .withDetail("topic", commands.topic())
                .withDetail("groupId", commands.groupId())
                .withDetail("listener", commandsRunning ? "running" : "stopped")
                .withDetail("operatorKeys", operatorKeys ? "configured" : "none: every command is refused")
                .withDetail("reportsTopic", reports.topic())
                .withDetail("reportsGroupId", reports.groupId())
                .withDetail("reportsListener", reportsRunning ? "running" : "stopped")
                .build();
    }
}

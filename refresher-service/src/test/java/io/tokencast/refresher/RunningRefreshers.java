package io.tokencast.refresher;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Refresher applications started in this JVM on one clock (usually a virtual one), by instance id, in start
 * order.
 */
public final class RunningRefreshers implements AutoCloseable {

    private final Clock clock;
    private final Map<String, ConfigurableApplicationContext> running = new LinkedHashMap<>();

    public RunningRefreshers(Clock clock) {
        this.clock = clock;
    }

    /**
     * Starts a refresher named {@code instanceId} with {@code properties} ({@code key=value}); unless they set
     * {@code tokencast.signing.*} themselves, it signs with {@link TestSigning}'s key.
     */
    public ConfigurableApplicationContext start(String instanceId, List<String> properties) {
        List<String> all = new ArrayList<>(properties);
        if (properties.stream().noneMatch(p -> p.startsWith("tokencast.signing."))) {
            all.add(TestSigning.keyFileProperty());
        }
        // As command-line arguments: default properties would lose to application.yml.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RefresherApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testClock", clock))
                .run(all.stream().map(p -> "--" + p).toArray(String[]::new));
        running.put(instanceId, context);
        return context;
    }

    public void stop(String instanceId) {
        ConfigurableApplicationContext context = running.remove(instanceId);
        if (context != null) {
            context.close();
        }
    }

    public ConfigurableApplicationContext context(String instanceId) {
        return running.get(instanceId);
    }

    /** The running refreshers by instance id, in start order. */
    public Map<String, ConfigurableApplicationContext> all() {
        return Collections.unmodifiableMap(running);
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }
}

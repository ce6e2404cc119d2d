package io.tokencast.refresher.service.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/** The running replicas of one {@link TestRefresher}, by instance id, in start order. */
public final class RunningRefreshers implements AutoCloseable {

    private final TestRefresher refresher;
    private final Map<String, ConfigurableApplicationContext> running = new LinkedHashMap<>();

    public RunningRefreshers(TestRefresher refresher) {
        this.refresher = refresher;
    }

    public TestRefresher refresher() {
        return refresher;
    }

    /** Starts the replica {@code instanceId}. */
    public ConfigurableApplicationContext start(String instanceId) {
        return start(instanceId, Map.of());
    }

    /** Starts the replica {@code instanceId} with {@code more} properties on top of the refresher's. */
    public ConfigurableApplicationContext start(String instanceId, Map<String, String> more) {
        ConfigurableApplicationContext context = refresher.start(instanceId, more);
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

    /** The running replicas by instance id, in start order. */
    public Map<String, ConfigurableApplicationContext> all() {
        return Collections.unmodifiableMap(running);
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }
}

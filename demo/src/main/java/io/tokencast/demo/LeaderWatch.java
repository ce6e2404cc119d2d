package io.tokencast.demo;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Says who leads whenever that changes. */
final class LeaderWatch implements AutoCloseable {

    private final List<Refreshers.Replica> replicas;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-leader-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String leader = "";

    LeaderWatch(List<Refreshers.Replica> replicas) {
        this.replicas = replicas;
        timer.scheduleWithFixedDelay(this::check, 0, 250, TimeUnit.MILLISECONDS);
    }

    private void check() {
        String now = replicas.stream()
                .filter(Refreshers.Replica::isLeader)
                .map(Refreshers.Replica::id)
                .findFirst()
                .orElse("");
        if (!now.equals(leader)) {
            leader = now;
            Console.say("leadership", now.isEmpty() ? "no leader at the moment" : now + " is the leader");
        }
    }

    String leader() {
        return leader;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

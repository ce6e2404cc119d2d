package io.tokencast.refresher.service.console;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes the console's view to every open page as server-sent events ({@code event: state}), once per interval
 * while anyone watches, so countdowns, versions and laggards change without a reload. Bounded in subscribers.
 */
final class ConsoleEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleEvents.class);

    static final int MAX_SUBSCRIBERS = 50;
    private static final Duration EMITTER_TIMEOUT = Duration.ofMinutes(30);

    private final ConsoleState state;
    private final ReplicaRoster roster;
    private final JsonMapper json;
    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tokencast-console-events");
        thread.setDaemon(true);
        return thread;
    });
    private long ticks;

    ConsoleEvents(ConsoleState state, ReplicaRoster roster, JsonMapper json, Duration push) {
        this.state = state;
        this.roster = roster;
        this.json = json;
        timer.scheduleWithFixedDelay(this::tick, 0, push.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new subscriber, sent the current view at once; null when too many are open. */
    SseEmitter subscribe() {
        if (emitters.size() >= MAX_SUBSCRIBERS) {
            return null;
        }
        SseEmitter emitter = new SseEmitter(EMITTER_TIMEOUT.toMillis());
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(e -> emitters.remove(emitter));
        emitters.add(emitter);
        timer.execute(this::push);
        return emitter;
    }

    private void tick() {
        try {
            // Every ~5 s, this replica says it is up; the console lists the replicas that did.
            if (ticks++ % 5 == 0) {
                roster.stamp();
            }
        } catch (RuntimeException e) {
            log.debug("replica stamp failed cause={}", e.toString());
        }
        if (!emitters.isEmpty()) {
            push();
        }
    }

    private void push() {
        String view;
        try {
            view = json.writeValueAsString(state.view());
        } catch (RuntimeException e) {
            log.warn("console view failed cause={}", e.toString());
            return;
        }
        for (SseEmitter emitter : emitters) {
            try {
                emitter.send(SseEmitter.event().name("state").data(view, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                emitters.remove(emitter);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }
}

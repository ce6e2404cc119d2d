package io.tokencast.benchmarks;

import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The refresher's heartbeat on a virtual clock: every 1-second tick, the apps that are due, most overdue
 * first, as many as the {@link FetchRateLimiter} lets start in that second. Seconds in which nothing is due
 * are skipped rather than ticked through, which changes nothing but the wall time.
 */
final class VirtualDay {

    /** Refreshes one app at {@code now} and says when it is due next. */
    @FunctionalInterface
    interface Refresh {
        Instant refresh(int app, Instant now);
    }

    private static final Duration TICK = Duration.ofSeconds(1);
    /**
     * Refreshes in flight at once within a tick. The virtual clock stands still during a tick, so running a
     * tick's refreshes side by side instead of one after the other changes no result, only the wall time.
     */
    private static final int PARALLEL = 4;

    private record Due(long atMillis, int app) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(atMillis, other.atMillis);
            return byTime != 0 ? byTime : Integer.compare(app, other.app);
        }
    }

    private final PriorityQueue<Due> queue;

    /** @param firstDue when each app is first due (index = app) */
    VirtualDay(List<Instant> firstDue) {
        queue = new PriorityQueue<>(Math.max(1, firstDue.size()));
        for (int app = 0; app < firstDue.size(); app++) {
            queue.add(new Due(firstDue.get(app).toEpochMilli(), app));
        }
    }

    /** Ticks {@code clock} from its current instant until {@code end}, refreshing what is due. */
    void run(MutableClock clock, Instant end, FetchRateLimiter limiter, Refresh refresh) {
        long now = clock.millis();
        ExecutorService workers = Executors.newFixedThreadPool(PARALLEL);
        try {
            while (now < end.toEpochMilli()) {
                clock.set(Instant.ofEpochMilli(now));
                Instant instant = clock.instant();
                List<Integer> due = new ArrayList<>();
                while (!queue.isEmpty() && queue.peek().atMillis() <= now && limiter.tryAcquire(instant)) {
                    due.add(queue.poll().app());
                }
                for (Due next : refreshAll(workers, due, refresh, instant)) {
                    // Never due again within the same tick, or a key that stays due would spin here.
                    queue.add(new Due(Math.max(next.atMillis(), now + TICK.toMillis()), next.app()));
                }
                now = nextTick(now);
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static List<Due> refreshAll(ExecutorService workers, List<Integer> due, Refresh refresh, Instant now) {
        List<Future<Due>> futures = new ArrayList<>(due.size());
        for (int app : due) {
            futures.add(workers.submit(() -> new Due(refresh.refresh(app, now).toEpochMilli(), app)));
        }
        List<Due> next = new ArrayList<>(due.size());
        for (Future<Due> future : futures) {
            try {
                next.add(future.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a refresh failed unexpectedly: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while refreshing", e);
            }
        }
        return next;
    }

    /** The next tick at which something is due: the ticks in between would find nothing to do. */
    private long nextTick(long now) {
        long tick = TICK.toMillis();
        if (queue.isEmpty() || queue.peek().atMillis() <= now + tick) {
            return now + tick;
        }
        return now + (queue.peek().atMillis() - now + tick - 1) / tick * tick;
    }
}

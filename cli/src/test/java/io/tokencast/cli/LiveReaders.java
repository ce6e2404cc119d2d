package io.tokencast.cli;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** A thread per view reading every key in a loop, as a service under load would, keeping what failed. */
final class LiveReaders {

    final AtomicLong reads = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    /** Every token value read. */
    final Set<String> values = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    LiveReaders(List<TokenView> views, List<TokenKey> keys) {
        for (int i = 0; i < views.size(); i++) {
            TokenView view = views.get(i);
            threads.add(new Thread(
                    () -> {
                        while (running.get()) {
                            for (TokenKey key : keys) {
                                try {
                                    values.add(view.token(key).value());
                                    reads.incrementAndGet();
                                } catch (RuntimeException e) {
                                    failures.add(key + ": " + e);
                                }
                            }
                        }
                    },
                    "live-reader-" + i));
        }
    }

    LiveReaders start() {
        threads.forEach(Thread::start);
        return this;
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }
}

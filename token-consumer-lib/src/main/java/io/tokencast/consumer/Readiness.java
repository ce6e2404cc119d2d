package io.tokencast.consumer;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Whether a view has read its topic to the end offsets taken at start (its "caught up" moment), and whether its
 * reader thread is alive. Read on every lookup, so both are plain volatile flags.
 */
final class Readiness {

    private volatile boolean ready;
    private volatile boolean readerAlive = true;

    boolean isReady() {
        return ready;
    }

    synchronized void markReady() {
        ready = true;
        notifyAll();
    }

    void markNotReady() {
        ready = false;
    }

    /** Waits until ready; throws {@code timedOut}'s exception after {@code timeout}, {@code interrupted}'s when so. */
    void await(Duration timeout, Supplier<RuntimeException> timedOut, Supplier<RuntimeException> interrupted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!ready) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw timedOut.get();
                }
                try {
                    wait(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw interrupted.get();
                }
            }
        }
    }

    boolean readerAlive() {
        return readerAlive;
    }

    void readerFailed() {
        readerAlive = false;
    }

    /** The reader read again; returns whether it had been failing. */
    boolean readerResumed() {
        if (readerAlive) {
            return false;
        }
        readerAlive = true;
        return true;
    }
}

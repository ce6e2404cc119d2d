package io.tokencast.sidecar;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread pools of the sidecar's HTTP server and of its gateway's upstream client, and the one hand-off between
 * them that is skipped.
 *
 * <p>A forwarded call's answer is written to the caller on the upstream client's thread, after the server's
 * handler has returned. Jetty then resumes the caller's connection (reads its next request, or waits for one) by
 * handing that connection to the server's pool: one thread woken and parked again per call, a few microseconds of
 * CPU on a busy machine. Every handler of the sidecar is non-blocking (the server's invocation type is
 * {@code NON_BLOCKING}), so when an upstream thread hands the server's pool a connection to resume, the pool runs
 * it at once on that thread, as Jetty's own selectors run a non-blocking connection's reads on the thread that
 * found them readable.
 */
final class SidecarThreads {

    private static final Logger log = LoggerFactory.getLogger(SidecarThreads.class);
    private static final ThreadLocal<Boolean> UPSTREAM = new ThreadLocal<>();

    private SidecarThreads() {}

    /** The HTTP server's pool: {@code max} threads, at least 2. */
    static QueuedThreadPool server(int max) {
        QueuedThreadPool pool = new QueuedThreadPool(max, 2) {
            @Override
            public void execute(Runnable job) {
                if (UPSTREAM.get() == Boolean.TRUE && RequestLineConnectionFactory.resumesWithoutBlocking(job)) {
                    runHere(job);
                } else {
                    super.execute(job);
                }
            }
        };
        pool.setName("tokencast-sidecar-http");
        pool.setReservedThreads(0);
        return pool;
    }

    /** The gateway client's pool: its selector and callbacks; no thread waits on an exchange, so a few suffice. */
    static QueuedThreadPool upstream() {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2) {
            @Override
            public Thread newThread(Runnable runnable) {
                return super.newThread(() -> {
                    UPSTREAM.set(Boolean.TRUE);
                    runnable.run();
                });
            }
        };
        pool.setName("tokencast-sidecar-upstream");
        return pool;
    }

    private static void runHere(Runnable job) {
        try {
            job.run();
        } catch (RuntimeException | Error failure) {
            // As the pool would, a task's failure is logged, never thrown into the upstream client's callback; by
            // its class and frames only, since a message may quote a request's URI, query and all.
            RuntimeException quiet = new RuntimeException(failure.getClass().getName(), null, false, true) {};
            quiet.setStackTrace(failure.getStackTrace());
            log.warn(
                    "sidecar task failed task={} cause={}",
                    job.getClass().getName(),
                    failure.getClass().getName(),
                    quiet);
        }
    }
}

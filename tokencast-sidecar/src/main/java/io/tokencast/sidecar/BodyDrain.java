package io.tokencast.sidecar;

import java.time.Duration;
import org.eclipse.jetty.io.Content;

/**
 * Reads and drops what a caller is still sending before it is refused: a client still writing its body when the
 * connection closes never sees the answer. Bounded in bytes and time, and asynchronous: it holds no thread
 * while the caller is slow.
 */
final class BodyDrain implements Runnable {

    /** At most this much of an oversized body is read and dropped. */
    static final long LIMIT = 256L * 1024 * 1024;

    private final Content.Source body;
    private final long limit;
    private final long deadline;
    private final Runnable then;
    private long dropped;

    private BodyDrain(Content.Source body, long limit, Duration within, Runnable then) {
        this.body = body;
        this.limit = limit;
        this.deadline = System.nanoTime() + within.toNanos();
        this.then = then;
    }

    /** Drops up to {@code limit} bytes of {@code body} within {@code within}, then runs {@code then}. */
    static void drain(Content.Source body, long limit, Duration within, Runnable then) {
        new BodyDrain(body, limit, within, then).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = body.read();
            if (chunk == null) {
                body.demand(this);
                return;
            }
            boolean over = Content.Chunk.isFailure(chunk) || chunk.isLast();
            dropped += chunk.remaining();
            chunk.release();
            if (over || dropped >= limit || System.nanoTime() > deadline) {
                then.run();
                return;
            }
        }
    }
}

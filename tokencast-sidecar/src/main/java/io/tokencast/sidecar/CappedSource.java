package io.tokencast.sidecar;

import java.io.IOException;
import org.eclipse.jetty.io.Content;

/**
 * A request body streamed upstream that fails once more than {@code max} bytes have passed: media beyond
 * {@code max-media-size} sent without a length (chunked), only known to be too large while it streams.
 */
final class CappedSource implements Content.Source {

    private final Content.Source delegate;
    private final long max;
    private long seen;

    CappedSource(Content.Source delegate, long max) {
        this.delegate = delegate;
        this.max = max;
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = delegate.read();
        if (chunk == null || Content.Chunk.isFailure(chunk)) {
            return chunk;
        }
        seen += chunk.remaining();
        if (seen > max) {
            chunk.release();
            TooLarge failure = new TooLarge();
            delegate.fail(failure);
            return Content.Chunk.from(failure, true);
        }
        return chunk;
    }

    @Override
    public long getLength() {
        return delegate.getLength();
    }

    @Override
    public void demand(Runnable demandCallback) {
        delegate.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        delegate.fail(failure);
    }

    /** The body passed {@code max-media-size}. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("the request body is larger than tokencast.sidecar.gateway.max-media-size", null);
        }
    }
}

package io.tokencast.sidecar;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One upstream exchange's answer on its way to the caller, on Jetty's client callbacks: no thread waits for it.
 * A JSON (or unlabelled, or text) answer of at most {@value GatewayConfig#INSPECT_BYTES} bytes is held back
 * whole so its errcode can be read before anything is written; every other answer streams through chunk by
 * chunk, each upstream chunk asked for only once the caller has taken the previous one, so a 20 MB download
 * costs a few buffers, not 20 MB. An answer that turns out larger than the cap while held streams on from there.
 */
final class Relay implements org.eclipse.jetty.client.Response.Listener {

    /** What became of the exchange; exactly one method is called, once. */
    interface Outcome {
        /** The upstream began to answer (its status and headers are in). */
        void began();

        /** The whole answer is held, nothing written yet: {@code body[0..length)}. */
        void held(org.eclipse.jetty.client.Response upstream, byte[] body, int length);

        /** The answer streamed through to the caller, whose callback is completed. */
        void streamed();

        /** The exchange failed; {@code committed} when part of the answer already reached the caller. */
        void failed(Throwable failure, boolean committed);
    }

    private static final int FIRST_BUFFER = 4 * 1024;

    private final Response response;
    private final Callback callback;
    private final Outcome outcome;
    private byte[] held;
    private int length;
    private boolean streaming;

    Relay(Response response, Callback callback, Outcome outcome) {
        this.response = response;
        this.callback = callback;
        this.outcome = outcome;
    }

    @Override
    public void onHeaders(org.eclipse.jetty.client.Response upstream) {
        outcome.began();
        long declared = upstream.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        String type = String.valueOf(upstream.getHeaders().get(HttpHeader.CONTENT_TYPE))
                .toLowerCase(Locale.ROOT);
        // WeChat's error bodies are JSON, sometimes labelled text/plain (docs/wechat-api.md §0.2).
        boolean textual = type.contains("json") || type.startsWith("text/") || type.equals("null");
        if (textual && declared <= GatewayConfig.INSPECT_BYTES) {
            held = new byte[declared >= 0 ? (int) declared : FIRST_BUFFER];
        } else {
            beginStreaming(upstream, declared);
        }
    }

    @Override
    public void onContent(org.eclipse.jetty.client.Response upstream, Content.Chunk chunk, Runnable demander) {
        ByteBuffer bytes = chunk.getByteBuffer();
        if (!streaming) {
            int n = bytes.remaining();
            if (length + n <= GatewayConfig.INSPECT_BYTES) {
                if (length + n > held.length) {
                    held = Arrays.copyOf(
                            held, Math.min(GatewayConfig.INSPECT_BYTES, Math.max(length + n, held.length * 2)));
                }
                bytes.get(held, length, n);
                length += n;
                demander.run();
                return;
            }
            // Larger than it said, or than any errcode answer: what is held goes first, the rest streams.
            beginStreaming(upstream, upstream.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
            chunk.retain();
            ByteBuffer prefix = ByteBuffer.wrap(held, 0, length);
            held = null;
            response.write(false, prefix, Callback.from(() -> write(upstream, chunk, demander), failure -> {
                chunk.release();
                upstream.abort(failure);
            }));
            return;
        }
        chunk.retain();
        write(upstream, chunk, demander);
    }

    /** Writes a retained chunk to the caller, then releases it and asks for the next. */
    private void write(org.eclipse.jetty.client.Response upstream, Content.Chunk chunk, Runnable demander) {
        response.write(false, chunk.getByteBuffer(), new Callback() {
            @Override
            public void succeeded() {
                chunk.release();
                demander.run();
            }

            @Override
            public void failed(Throwable failure) {
                chunk.release();
                upstream.abort(failure); // the caller is gone: so is the reason to read on
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        });
    }

    private void beginStreaming(org.eclipse.jetty.client.Response upstream, long declared) {
        streaming = true;
        response.setStatus(upstream.getStatus());
        HopByHop.copyResponse(upstream.getHeaders(), response.getHeaders());
        if (declared >= 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, declared);
        }
    }

    @Override
    public void onComplete(Result result) {
        if (result.isFailed()) {
            outcome.failed(result.getFailure(), response.isCommitted());
        } else if (streaming) {
            response.write(
                    true,
                    BufferUtil.EMPTY_BUFFER,
                    Callback.from(
                            () -> {
                                callback.succeeded();
                                outcome.streamed();
                            },
                            failure -> outcome.failed(failure, true)));
        } else {
            outcome.held(result.getResponse(), held, length);
        }
    }
}

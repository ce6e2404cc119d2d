package io.tokencast.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The thinnest blocking client for each protocol on one kept-alive loopback connection: an HTTP/1.1 GET and a
 * RESP {@code GET}, as a service's own client would send them. The same weight on both sides, so the
 * comparison measures the servers and the wire, not one client library against another.
 */
final class LoopbackClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    // Our own buffer, not a BufferedInputStream: its read() takes a lock per byte, a cost that would fall on
    // the longer HTTP answer more than on the RESP one.
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private final byte[] request;
    private final boolean http;

    private LoopbackClient(String host, int port, byte[] request, boolean http) {
        try {
            this.socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(10_000);
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
        this.request = request;
        this.http = http;
    }

    /** {@code GET path} on a kept-alive HTTP/1.1 connection to {@code base}. */
    static LoopbackClient http(URI base, String path) {
        return http(base, path, "");
    }

    /** The same with extra header lines, each ending in CRLF (e.g. the gateway's {@code X-Tokencast-Key}). */
    static LoopbackClient http(URI base, String path, String headerLines) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                        + "\r\nAccept: application/json\r\n" + headerLines + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new LoopbackClient(base.getHost(), base.getPort(), request, true);
    }

    /** RESP {@code GET key} on one connection to {@code redis://host:port}. */
    static LoopbackClient redis(String redisUri, String key) {
        URI uri = URI.create(redisUri);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] request = ("*2\r\n$3\r\nGET\r\n$" + k.length + "\r\n" + key + "\r\n").getBytes(StandardCharsets.UTF_8);
        return new LoopbackClient(uri.getHost(), uri.getPort(), request, false);
    }

    /** Sends the request and reads the whole answer; returns its body. */
    byte[] call() {
        try {
            out.write(request);
            out.flush();
            return http ? readHttp() : readResp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readHttp() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected answer: " + status);
        }
        int length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("answer without Content-Length");
        }
        return bytes(length);
    }

    private byte[] readResp() throws IOException {
        String header = line();
        if (header.isEmpty() || header.charAt(0) != '$' || header.equals("$-1")) {
            throw new IOException("unexpected RESP answer: " + header);
        }
        byte[] body = bytes(Integer.parseInt(header.substring(1)));
        line();
        return body;
    }

    private String line() throws IOException {
        int start = position;
        while (true) {
            for (int i = start; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buffer, position, end - position, StandardCharsets.US_ASCII);
                    position = i + 1;
                    return line;
                }
            }
            start = limit - position;
            fill();
        }
    }

    private byte[] bytes(int length) throws IOException {
        while (limit - position < length) {
            fill();
        }
        byte[] out = new byte[length];
        System.arraycopy(buffer, position, out, 0, length);
        position += length;
        return out;
    }

    /** Moves what is unread to the front and reads more after it. */
    private void fill() throws IOException {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        if (limit == buffer.length) {
            throw new IOException("an answer larger than " + buffer.length + " bytes");
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            throw new IOException("connection closed");
        }
        limit += read;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

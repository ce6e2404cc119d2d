package io.tokencast.testkit.wechat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for a platform's "授权事件接收URL": records each push and answers {@code success}. */
final class CallbackReceiver implements AutoCloseable {

    record Push(Map<String, String> query, String contentType, String body) {}

    private final HttpServer server;
    private final List<Push> pushes = new CopyOnWriteArrayList<>();

    CallbackReceiver() {
        try {
            // as WeChatSandbox does: the first JDK HttpServer in the JVM fixes this, and it may be this one
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/wechat/callback", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            pushes.add(new Push(
                    query(exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(body, StandardCharsets.UTF_8)));
            byte[] reply = "success".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/wechat/callback");
    }

    List<Push> pushes() {
        return List.copyOf(pushes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }
}

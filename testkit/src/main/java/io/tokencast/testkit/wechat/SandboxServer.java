package io.tokencast.testkit.wechat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How the sandbox is served: one JDK HTTP server on daemon threads, standing for both api.weixin.qq.com and
 * qyapi.weixin.qq.com. Apart from {@link WeChatSandbox}, the test's control panel, because the server's quirks
 * (Nagle, thread names, the backlog) have nothing to do with how WeChat behaves.
 */
final class SandboxServer {

    static {
        // The JDK server writes headers and body in two segments; with Nagle on, the body waits for the
        // client's delayed ACK (~40 ms a call). The property is read once per JVM, by the first HttpServer.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    /** Binds {@code bind} (port 0 picks a free port) and routes every path to {@code handler}; not started. */
    SandboxServer(InetSocketAddress bind, HttpHandler handler) throws IOException {
        this.server = HttpServer.create(bind, 64);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wechat-sandbox-http");
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", handler);
        server.setExecutor(executor);
    }

    void start() {
        server.start();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    URI url() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    /** Stops at once: calls in flight are cut off, as a test tearing down wants. */
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }
}

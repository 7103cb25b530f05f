package org.rodsgate.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@link Metrics#scrape()} at {@code http://ADDRESS:PORT/metrics} (Prometheus text format 0.0.4) with the
 * JDK's HTTP server on one thread. Bound to the loopback address unless another is given: the metrics name paths'
 * operations, not data, but a facility decides who may read them.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving; port 0 picks a free port ({@link #port()}). */
    public static MetricsServer start(String address, int port) throws IOException {
        InetAddress addr = address == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(address);
        HttpServer s = HttpServer.create(new InetSocketAddress(addr, port), 16);
        s.createContext("/metrics", ex -> {
            byte[] body = Metrics.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rodsgate-metrics");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(ex);
        s.start();
        return new MetricsServer(s, ex);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

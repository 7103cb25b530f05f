package org.rodsgate.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests served, by API number — so tests and benchmarks can count the round trips a client made. Written to
 * {@code DIR/stats.json} at most twice a second while it changes.
 */
public final class Stats {
    private final Map<Integer, AtomicLong> byApi = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private long written = -1;

    void record(int api) {
        byApi.computeIfAbsent(api, k -> new AtomicLong()).incrementAndGet();
        total.incrementAndGet();
    }

    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong abruptCloses = new AtomicLong();

    void recordDisconnect() {
        disconnects.incrementAndGet();
    }

    void recordAbruptClose() {
        abruptCloses.incrementAndGet();
    }

    /** Connections that ended with RODS_DISCONNECT, as clients should end them. */
    public long disconnects() {
        return disconnects.get();
    }

    /** Connections the client closed without RODS_DISCONNECT (the real server logs an error pair for each). */
    public long abruptCloses() {
        return abruptCloses.get();
    }

    public long total() {
        return total.get();
    }

    /** Requests so far by API number, in API order (a copy). */
    public Map<Integer, Long> byApi() {
        Map<Integer, Long> m = new TreeMap<>();
        byApi.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public long count(int api) {
        AtomicLong a = byApi.get(api);
        return a == null ? 0 : a.get();
    }

    synchronized void writeIfChanged(Path file) throws IOException {
        long t = total.get();
        if (t == written) {
            return;
        }
        StringBuilder b = new StringBuilder("{\"total\": ").append(t).append(", \"by_api\": {");
        String sep = "";
        for (Map.Entry<Integer, AtomicLong> e : new TreeMap<>(byApi).entrySet()) {
            b.append(sep).append('"').append(e.getKey()).append("\": ").append(e.getValue().get());
            sep = ", ";
        }
        b.append("}}\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, b);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        written = t;
    }
}

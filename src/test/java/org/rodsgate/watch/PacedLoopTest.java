package org.rodsgate.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class PacedLoopTest {
    @Test
    void failingCyclesArePacedAndLoggedByEpisodeThenTheLoopGoesOnAndStopsOnClose() throws Exception {
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        log.addHandler(new Handler() {
            @Override public void publish(LogRecord r) { lines.add(r.getLevel() + " " + r.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        });
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(1);
        PacedLoop loop = new PacedLoop("test-loop", Duration.ofMillis(20), Duration.ofMillis(200), "test: ", log, () -> {
            if (runs.incrementAndGet() <= 3) {
                throw new IllegalStateException("server down");
            }
            recovered.countDown();
        });
        try {
            assertTrue(recovered.await(10, TimeUnit.SECONDS), "the loop goes on after failing cycles");
        } finally {
            loop.close();
        }
        int after = runs.get();
        Thread.sleep(100);
        assertEquals(after, runs.get(), "no cycle after close");
        assertTrue(lines.get(0).startsWith("WARNING") && lines.get(0).contains("test: server down"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO")), "the end of the episode is logged: " + lines);
        assertTrue(lines.size() <= 4, "an episode of 3 failures is a handful of lines, not one per cycle: " + lines);
    }
}

package org.rodsgate.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 11 item 7: a broken omero command logged a warning every 2 s forever; failures now back off and log rarely. */
class CycleBackoffTest {
    @Test
    void anHourOfTheSameFailureLogsAFewLines() {
        AtomicLong now = new AtomicLong();
        CycleBackoff b = new CycleBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5), now::get);
        int runs = 0;
        int lines = 0;
        for (long t = 0; t < Duration.ofHours(1).toNanos(); t += Duration.ofSeconds(2).toNanos()) {
            now.set(t);
            if (b.due()) {
                runs++;
                if (b.failed("omero import -f failed (exit 7): broken omero").isPresent()) {
                    lines++;
                }
            }
        }
        assertTrue(runs < 25, "runs in an hour: " + runs);       // 2, 4, ... 256, then every 300 s: about 19
        assertTrue(lines <= 10, "log lines in an hour: " + lines); // first failure + each doubling of the pause
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertTrue(b.due());
        assertEquals("watch cycle works again after " + runs + " failed attempt(s)", b.succeeded().orElseThrow());
        assertTrue(b.due());
        assertFalse(b.succeeded().isPresent(), "a working cycle logs nothing");
    }

    @Test
    void aNewMessageIsLoggedAtOnce() {
        AtomicLong now = new AtomicLong();
        CycleBackoff b = new CycleBackoff(Duration.ofSeconds(2), Duration.ofSeconds(4), now::get);
        assertTrue(b.failed("a").isPresent());
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertTrue(b.failed("a").isPresent()); // pause 2 -> 4 s
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertFalse(b.failed("a").isPresent()); // same message, same (maximal) pause
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertTrue(b.failed("b").orElseThrow().contains(": b;"));
    }
}

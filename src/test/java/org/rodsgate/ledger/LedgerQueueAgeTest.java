package org.rodsgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, "watcher queue age": the age of the oldest pending unit, as the metrics gauge reads it. */
class LedgerQueueAgeTest {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void oldestPendingAgeFollowsTheOldestUnitStillWaiting() throws Exception {
        try (Ledger l = Ledger.sqlite(dir.resolve("ledger.db"), now::get)) {
            assertEquals(Duration.ZERO, l.oldestPendingAge(), "nothing pending");
            l.enqueue(new Unit("/z/a", Unit.Kind.FILE, List.of("/z/a"), "alice", null));
            now.addAndGet(30_000);
            l.enqueue(new Unit("/z/b", Unit.Kind.FILE, List.of("/z/b"), "alice", null));
            now.addAndGet(15_000);
            assertEquals(Duration.ofSeconds(45), l.oldestPendingAge(), "/z/a waited 45 s");
            Claim a = l.claim("g", Duration.ofMinutes(1)).orElseThrow();
            assertEquals("/z/a", a.unit().key());
            assertEquals(Duration.ofSeconds(15), l.oldestPendingAge(), "a claimed unit no longer waits: /z/b's 15 s");
            l.failed(a, "login refused", Duration.ofSeconds(10), 5);
            assertEquals(Duration.ofSeconds(45), l.oldestPendingAge(), "a failed unit waits for its retry again");
            Claim again = l.claim("g", Duration.ofMinutes(1)).orElseThrow(); // /z/b: /z/a backs off
            l.done(again, 1, List.of(2L));
            now.addAndGet(10_000);
            Claim retried = l.claim("g", Duration.ofMinutes(1)).orElseThrow();
            l.done(retried, 3, List.of(4L));
            assertEquals(Duration.ZERO, l.oldestPendingAge(), "all registered");
        }
    }
}

package org.rodsgate.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_000_000);

    static Unit unit(String path) {
        return new Unit(path, Unit.Kind.FILE, List.of(path), "alice", "Dataset:name:d");
    }

    Ledger open() throws Exception {
        return Ledger.sqlite(dir.resolve("ledger.db"), now::get);
    }

    @Test
    void enqueueIsIdempotentAndClaimsGoInOrder() throws Exception {
        try (Ledger l = open()) {
            assertTrue(l.enqueue(unit("/z/a")));
            assertFalse(l.enqueue(unit("/z/a")), "the same key twice is one unit");
            l.enqueue(unit("/z/b"));
            assertEquals("/z/a", l.claim("g1", Duration.ofMinutes(1)).orElseThrow().unit().key());
            assertEquals("/z/b", l.claim("g1", Duration.ofMinutes(1)).orElseThrow().unit().key());
            assertTrue(l.claim("g1", Duration.ofMinutes(1)).isEmpty());
        }
    }

    @Test
    void aCrashedClaimersLeaseRunsOutAndAnotherGatewayTakesOver() throws Exception {
        try (Ledger l = open()) {
            l.enqueue(unit("/z/a"));
            Claim first = l.claim("crashed", Duration.ofSeconds(30)).orElseThrow();
            assertTrue(l.claim("g2", Duration.ofSeconds(30)).isEmpty(), "leased");
            now.addAndGet(31_000);
            Claim second = l.claim("g2", Duration.ofSeconds(30)).orElseThrow();
            assertEquals(first.id(), second.id());
            assertFalse(l.done(first, 1, List.of(2L)), "the old claimer lost the unit");
            assertTrue(l.done(second, 1, List.of(2L, 3L)));
            assertEquals(Ledger.DONE, l.stateOf("/z/a"));
        }
    }

    @Test
    void failuresBackOffThenPark() throws Exception {
        try (Ledger l = open()) {
            l.enqueue(unit("/z/a"));
            for (int i = 0; i < 3; i++) {
                Claim c = l.claim("g", Duration.ofMinutes(1)).orElseThrow();
                l.failed(c, "login refused", Duration.ofSeconds(10), 3);
                if (i < 2) {
                    assertTrue(l.claim("g", Duration.ofMinutes(1)).isEmpty(), "backing off");
                    now.addAndGet(10_000L << i);
                }
            }
            assertEquals(Ledger.PARKED, l.stateOf("/z/a"));
            LedgerStatus st = l.status();
            assertEquals(1L, st.byState().get(Ledger.PARKED));
            assertTrue(st.lastErrors().get(0).contains("login refused"));
            assertEquals(1, l.retry(null));
            assertEquals("/z/a", l.claim("g", Duration.ofMinutes(1)).orElseThrow().unit().key());
        }
    }

    @Test
    void watermarksOnlyMoveForward() throws Exception {
        try (Ledger l = open()) {
            l.advanceWatermark("feed", 10);
            l.advanceWatermark("feed", 7);
            assertEquals(10, l.watermark("feed"));
        }
        try (Ledger l = open()) {
            assertEquals(10, l.watermark("feed"), "durable");
        }
    }

    /**
     * Failing input 5: two watchers with the same gateway name on one SQLite ledger. The second starting does not
     * take the first one's claims (it did, by name, and both imported); only a watcher silent for the silence
     * period loses them, and then its late outcome is refused.
     */
    @Test
    void sameNameWatchersKeepTheirOwnClaimsSqlite() throws Exception {
        try (Ledger a = open(); Ledger b = open()) {
            sameNameWatchersKeepTheirOwnClaims(a, b, "/z");
        }
    }

    void sameNameWatchersKeepTheirOwnClaims(Ledger a, Ledger b, String prefix) throws Exception {
        Duration silence = Duration.ofSeconds(60);
        a.startHeartbeat("host1", Duration.ofHours(1));
        a.enqueue(unit(prefix + "/x"));
        a.enqueue(unit(prefix + "/y"));
        Claim x = a.claim("host1", Duration.ofMinutes(30)).orElseThrow();
        b.startHeartbeat("host1", Duration.ofHours(1)); // same name, started later
        assertEquals(0, b.reclaimDead(silence), "a live watcher of the same name keeps its claim");
        Claim y = b.claim("host1", Duration.ofMinutes(30)).orElseThrow();
        assertFalse(x.unit().key().equals(y.unit().key()));
        assertFalse(x.token().equals(y.token()));
        assertTrue(b.claim("host1", Duration.ofMinutes(30)).isEmpty(), "nothing is claimed twice");
        assertTrue(b.done(y, 2, List.of(3L)));
        now.addAndGet(61_000); // a stops beating (crashed); b goes on
        b.heartbeat();
        assertEquals(1, b.reclaimDead(silence), "a silent watcher's claim is given back");
        Claim again = b.claim("host1", Duration.ofMinutes(30)).orElseThrow();
        assertEquals(x.unit().key(), again.unit().key());
        assertFalse(a.done(x, 9, List.of(9L)), "the silent watcher's late outcome is refused");
        assertTrue(b.done(again, 4, List.of(5L)));
    }

    /** A live watcher's claim outlasts its first lease (an import longer than 30 min is not taken over). */
    @Test
    void aBeatingWatchersClaimOutlastsItsLease() throws Exception {
        try (Ledger a = open(); Ledger b = open()) {
            a.startHeartbeat("a", Duration.ofSeconds(5));
            a.enqueue(unit("/z/long"));
            Claim c = a.claim("a", Duration.ofSeconds(30)).orElseThrow();
            for (int i = 0; i < 10; i++) {
                now.addAndGet(20_000);
                a.heartbeat();
                assertTrue(b.claim("b", Duration.ofSeconds(30)).isEmpty(), "taken over at " + (i + 1) * 20 + " s");
            }
            assertTrue(a.done(c, 1, List.of(2L)));
        }
    }

    /** Same-name claimers hammering one SQLite file: every unit exactly once (the name is only a label). */
    @Test
    void concurrentSameNameClaimersNeverShareAUnitSqlite() throws Exception {
        try (Ledger a = open(); Ledger b = open()) {
            for (int i = 0; i < 200; i++) {
                a.enqueue(unit("/z/s" + i));
            }
            assertExactlyOnce(a, b, 200, "same-host");
        }
    }

    /** Two gateways on one SQLite file, claiming concurrently: every unit is claimed exactly once. */
    @Test
    void concurrentClaimersNeverShareAUnitSqlite() throws Exception {
        try (Ledger a = open(); Ledger b = open()) {
            for (int i = 0; i < 300; i++) {
                a.enqueue(unit("/z/u" + i));
            }
            assertExactlyOnce(a, b, 300, null);
        }
    }

    /** The same against PostgreSQL, when RODSGATE_TEST_PG_URL names one (run-tests starts a local server). */
    @Test
    void concurrentClaimersNeverShareAUnitPostgres() throws Exception {
        String url = System.getenv("RODSGATE_TEST_PG_URL");
        Assumptions.assumeTrue(url != null && !url.isEmpty(),
            "RODSGATE_TEST_PG_URL is not set: no PostgreSQL server, so this test is skipped");
        String user = System.getenv().getOrDefault("RODSGATE_TEST_PG_USER", "postgres");
        String pw = System.getenv().getOrDefault("RODSGATE_TEST_PG_PASSWORD", "");
        // gateways opening the same fresh database at once must not trip over each other creating the schema
        ExecutorService opener = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Ledger>> opened = new java.util.ArrayList<>();
        String schema = "s" + System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, pw)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        String fresh = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        for (int i = 0; i < 4; i++) {
            opened.add(opener.submit(() -> Ledger.postgres(fresh, user, pw, now::get)));
        }
        for (var f : opened) {
            f.get(30, TimeUnit.SECONDS).close();
        }
        opener.shutdown();
        try (Ledger a = Ledger.postgres(url, user, pw, now::get); Ledger b = Ledger.postgres(url, user, pw, now::get)) {
            String run = "r" + System.nanoTime();
            for (int i = 0; i < 300; i++) {
                a.enqueue(unit("/z/" + run + "/u" + i));
            }
            assertExactlyOnce(a, b, 300, null);
            assertExactlyOnce(a, b, 0, "same-host");
        }
        // failing input 5 on PostgreSQL, in the fresh schema (no other test's units to claim)
        try (Ledger a = Ledger.postgres(fresh, user, pw, now::get); Ledger b = Ledger.postgres(fresh, user, pw, now::get)) {
            sameNameWatchersKeepTheirOwnClaims(a, b, "/pg");
        }
    }

    private static void assertExactlyOnce(Ledger a, Ledger b, int n, String label) throws Exception {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(4);
        for (Ledger l : List.of(a, b, a, b)) {
            ex.submit(() -> {
                String gw = label != null ? label : "gw-" + Thread.currentThread().getId();
                while (true) {
                    var c = l.claim(gw, Duration.ofMinutes(5));
                    if (c.isEmpty()) {
                        return null;
                    }
                    if (!seen.add(c.get().id())) {
                        duplicates.incrementAndGet();
                    }
                    l.done(c.get(), 1, List.of(1L));
                }
            });
        }
        ex.shutdown();
        assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(0, duplicates.get());
        assertTrue(seen.size() >= n, "claimed " + seen.size());
    }
}

package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rodsgate.testing.SandboxFixture;
import org.rodsgate.testing.WithSandbox;

class ConnectionPoolTest extends WithSandbox {

    private static ConnectionPool pool(int max, Duration idle) {
        return new ConnectionPool(new ConnectionPool.Settings(max, max, Duration.ofMillis(300), idle, Duration.ofSeconds(5),
            3, Duration.ofMillis(10), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @Test
    void reusesConnectionsPerIdentityAndNeverMixesIdentities() throws IrodsException {
        try (ConnectionPool p = pool(2, Duration.ofMinutes(1))) {
            IrodsConnection first;
            try (ConnectionPool.Lease l = p.acquire(sandbox.rods())) {
                first = l.session().connection();
            }
            try (ConnectionPool.Lease l = p.acquire(sandbox.rods())) {
                assertSame(first, l.session().connection());
            }
            try (ConnectionPool.Lease l = p.acquire(sandbox.rods().proxyFor("alice"))) {
                assertNotSame(first, l.session().connection());
                assertEquals("alice", l.session().connection().account().clientUser());
            }
        }
    }

    @Test
    void boundedPerIdentity() throws IrodsException {
        try (ConnectionPool p = pool(1, Duration.ofMinutes(1)); ConnectionPool.Lease held = p.acquire(sandbox.rods())) {
            IrodsException e = assertThrows(IrodsException.class, () -> p.acquire(sandbox.rods()));
            assertEquals(Errno.EAGAIN.value, e.errno());
            assertTrue(held.session().stat("/tempZone").isCollection());
        }
    }

    @Test
    void evictsIdleConnections() throws Exception {
        try (ConnectionPool p = pool(2, Duration.ofMillis(200))) {
            p.acquire(sandbox.rods()).close();
            assertEquals(1, p.idleCount());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (p.idleCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, p.idleCount());
        }
    }

    @Test
    void retriesIdempotentOperationsOnAFreshConnectionWhenOneDies() throws IrodsException {
        try (ConnectionPool p = pool(2, Duration.ofMinutes(1))) {
            p.run(sandbox.rods(), true, s -> s.stat("/tempZone")); // a pooled connection now exists
            AtomicInteger attempts = new AtomicInteger();
            sandbox.server.faults().cutAfterBytes(10); // the next reply is cut after 10 bytes
            ObjStat st = p.run(sandbox.rods(), true, s -> {
                attempts.incrementAndGet();
                return s.stat("/tempZone/home");
            });
            assertTrue(st.isCollection());
            assertEquals(2, attempts.get());
        } finally {
            sandbox.server.faults().clear();
        }
    }

    @Test
    void doesNotRetryNonIdempotentOperations() throws IrodsException {
        try (ConnectionPool p = pool(2, Duration.ofMinutes(1))) {
            p.run(sandbox.rods(), true, s -> s.stat("/tempZone"));
            sandbox.server.faults().cutAfterBytes(10);
            AtomicInteger attempts = new AtomicInteger();
            IrodsException e = assertThrows(IrodsException.class, () -> p.run(sandbox.rods(), false, s -> {
                attempts.incrementAndGet();
                return s.stat("/tempZone/home");
            }));
            assertTrue(e.connectionDead());
            assertEquals(1, attempts.get());
        } finally {
            sandbox.server.faults().clear();
        }
    }

    @Test
    void loginFailuresAreNotRetried() {
        try (ConnectionPool p = pool(2, Duration.ofMinutes(1))) {
            IrodsException e = assertThrows(IrodsException.class,
                () -> p.run(sandbox.account("alice", "wrong"), true, s -> s.stat("/tempZone")));
            assertTrue(e.is(ErrorCode.CAT_INVALID_AUTHENTICATION));
        }
    }

    @Test
    void openFilesDoNotStarveMetadataOperations() throws IrodsException {
        // issue 8: 16 open files (the whole pool) froze stat and readdir of that identity
        try (ConnectionPool p = pool(2, Duration.ofMinutes(1));
             ConnectionPool.Lease a = p.acquire(sandbox.rods()); ConnectionPool.Lease b = p.acquire(sandbox.rods())) {
            long t0 = System.nanoTime();
            assertTrue(p.run(sandbox.rods(), true, s -> s.stat("/tempZone")).isCollection());
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(250).toNanos());
            IrodsException e = assertThrows(IrodsException.class, () -> p.acquire(sandbox.rods()));
            assertEquals(Errno.EAGAIN.value, e.errno());
        }
    }

    @Test
    void aStalledServerFailsAnOperationWithinItsTimeRetriesIncludedThenFastUntilItAnswers() throws Exception {
        // issue 8: a stat blocked 964 s against a stopped server (retries and health checks multiplied the timeout)
        IrodsAccount a = sandbox.rods().withTimeouts(Duration.ofMillis(800), Duration.ofMillis(800));
        ConnectionPool.Settings st = new ConnectionPool.Settings(2, 2, Duration.ofMillis(300), Duration.ofMinutes(1),
            Duration.ofMillis(1), 3, Duration.ofMillis(10), Duration.ofMillis(1200), Duration.ofMillis(300),
            Duration.ofMillis(200));
        try (ConnectionPool p = new ConnectionPool(st)) {
            p.run(a, true, s -> s.stat("/tempZone"));
            sandbox.server.faults().delayReplies(3000);
            long t0 = System.nanoTime();
            IrodsException e = assertThrows(IrodsException.class, () -> p.run(a, true, s -> s.stat("/tempZone")));
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(took < 1700, "took " + took + " ms: " + e.getMessage());
            assertTrue(e.errno() == Errno.ETIMEDOUT.value || e.errno() == Errno.EHOSTDOWN.value, e.getMessage());
            assertTrue(p.serverDown(a));
            t0 = System.nanoTime();
            e = assertThrows(IrodsException.class, () -> p.run(a, true, s -> s.stat("/tempZone")));
            assertEquals(Errno.EHOSTDOWN.value, e.errno(), e.getMessage());
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(100).toNanos());
            sandbox.server.faults().clear();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean back = false;
            while (!back && System.nanoTime() < deadline) {
                try {
                    back = p.run(a, true, s -> s.stat("/tempZone")).isCollection();
                } catch (IrodsException again) {
                    Thread.sleep(100);
                }
            }
            assertTrue(back, "the pool recovered once the server answered again");
            assertTrue(!p.serverDown(a));
        } finally {
            sandbox.server.faults().clear();
        }
    }

    @Test
    void aWaiterTakesTheConnectionOfAnIdleHolderThatCanGiveItBack() throws IrodsException {
        try (ConnectionPool p = pool(1, Duration.ofMinutes(1))) {
            ConnectionPool.Lease reader = p.acquire(sandbox.rods());
            AtomicInteger asked = new AtomicInteger();
            reader.reclaimableBy(() -> {
                asked.incrementAndGet();
                reader.close();
                return true;
            });
            long t0 = System.nanoTime();
            try (ConnectionPool.Lease next = p.acquire(sandbox.rods())) {
                assertTrue(next.session().stat("/tempZone").isCollection());
            }
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(250).toNanos(), "no wait for the timeout");
            assertEquals(1, asked.get());
            ConnectionPool.Lease busy = p.acquire(sandbox.rods());
            busy.reclaimableBy(() -> false); // busy: declines
            IrodsException e = assertThrows(IrodsException.class, () -> p.acquire(sandbox.rods()));
            assertEquals(Errno.EAGAIN.value, e.errno());
            busy.close();
        }
    }
}

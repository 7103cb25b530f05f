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
}

package org.rodsgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.protocol.FrameIO;
import org.rodsgate.testing.SandboxFixture;

/**
 * Issue 8, failing input 5: raw-socket clients that try to exhaust the sandbox before logging in. A header that
 * announces 200 MiB made it allocate and hold the buffer (6 sockets: 946 MB RSS, OutOfMemoryError); a truncated
 * frame held a thread for more than 200 s; connections were unbounded.
 */
class SandboxLimitsTest {
    SandboxFixture sandbox;

    @BeforeEach
    void start() {
        sandbox = SandboxFixture.start(false);
        sandbox.server.limits(AgentLimits.defaults().withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3),
            Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private Socket raw() throws IOException {
        Socket s = new Socket("localhost", sandbox.server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void header(Socket s, String type, int msgLen, int bsLen) throws IOException {
        byte[] h = FrameIO.headerBytes(type, msgLen, 0, bsLen, 0);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(h.length);
        out.write(h);
        out.flush();
    }

    /** Milliseconds until the server closes {@code s} (reads what it sends until end of stream). */
    private static long closedAfter(Socket s) throws IOException {
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain
            }
        } catch (SocketTimeoutException e) {
            return Long.MAX_VALUE;
        } catch (IOException e) {
            // reset: closed too
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void preLoginHeaderAnnouncing200MiBIsRefusedAtOnceOnSixSockets() throws Exception {
        long before = usedHeap();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Socket s = raw();
            header(s, "RODS_CONNECT", 0, 200 << 20);
            sockets.add(s);
        }
        for (Socket s : sockets) {
            long ms = closedAfter(s);
            assertTrue(ms < 1500, "closed after " + ms + " ms, not at once (login timeout is 3 s)");
            s.close();
        }
        assertTrue(usedHeap() - before < 200L << 20, "the announced bytes were not allocated");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertTrue(s.stat("/tempZone").isCollection());
        }
    }

    @Test
    void truncatedFrameAndSilentClientAreDroppedAfterTheLoginTimeout() throws Exception {
        try (Socket truncated = raw(); Socket silent = raw()) {
            header(truncated, "RODS_CONNECT", 100, 0);
            truncated.getOutputStream().write(new byte[10]);
            long a = closedAfter(truncated);
            long b = closedAfter(silent);
            assertTrue(a >= 2000 && a < 5000, "truncated frame dropped after " + a + " ms");
            assertTrue(b < 5000, "silent client dropped after " + b + " ms (more after the first)");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        sandbox.server.limits(sandbox.server.limits().withMaxConnections(3));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(raw());
            }
            Thread.sleep(200);
            try (Socket fourth = raw()) {
                long ms = closedAfter(fourth);
                assertTrue(ms < 1000, "the 4th connection was closed after " + ms + " ms");
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean served = false;
        while (!served && System.nanoTime() < deadline) {
            try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
                served = s.stat("/tempZone").isCollection();
            } catch (IOException e) {
                Thread.sleep(100); // the slots come back as the held connections end
            }
        }
        assertEquals(true, served, "served again once the held connections ended");
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}

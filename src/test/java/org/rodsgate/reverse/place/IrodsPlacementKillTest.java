package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.testing.WithSandbox;

/**
 * kill -9 of a process in the middle of a COPY (a real SIGKILL of a separate JVM, its connection dropped without a
 * word), then the copy run again here: nothing under the final name in between, the work object continued, the
 * final bytes identical.
 */
class IrodsPlacementKillTest extends WithSandbox {
    @TempDir
    Path repo;

    @Test
    void killMinus9MidCopyThenResume() throws Exception {
        byte[] a = IrodsPlacementTest.random(3_000_000, 21);
        Files.createDirectories(repo.resolve("k/"));
        Files.write(repo.resolve("k/big.bin"), a);
        String sha1 = IrodsPlacementTest.sha1(a);
        String base = "/tempZone/home/rods/kill-" + System.nanoTime();
        String template = base + "/%fileset%/%name%";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            CopyChild.class.getName(), Integer.toString(sandbox.server.port()), repo.toString(), template, "61", "k/",
            "big.bin", Integer.toString(a.length), sha1, "1000000").redirectErrorStream(true).start();
        long sent = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("sent ")) {
                    sent = Long.parseLong(line.substring(5));
                    if (sent >= 1_300_000) {
                        break;
                    }
                }
                if (line.equals("done")) {
                    break;
                }
            }
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(sent >= 1_300_000 && sent < a.length, "killed in the middle, after " + sent + " bytes");
        String target = base + "/61/big.bin";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(target), "nothing under the final name after kill -9");
            assertEquals(1, IrodsPlacementTest.workObjects(s, base + "/61").size());
        }
        OmeroOriginalFile f = new OmeroOriginalFile(61, "k/", "big.bin", a.length, sha1, "SHA1-160", "k/big.bin");
        OmeroFileset fs = new OmeroFileset(61, "rods", "lab", "k/", "upload", true, 1, 0, List.of(f));
        AtomicLong resent = new AtomicLong();
        List<Placed> placed;
        try (ConnectionPool pool = new ConnectionPool()) {
            IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), repo, null, null, null,
                new IrodsPlacement.Tuning(64 << 10, ZoneOffset.UTC, System::currentTimeMillis));
            p.onChunk((b, off, n) -> resent.addAndGet(n));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) { // the server notices the dead connection and unlocks the work object
                try {
                    placed = p.place(new PlacementRule(PlacementRule.Kind.COPY, template, null, null, null, 0), fs,
                        "rods");
                    break;
                } catch (java.io.IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }
        assertEquals("copied", placed.get(0).how());
        assertTrue(resent.get() < a.length, "continued: sent " + resent.get() + " of " + a.length);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, IrodsPlacementTest.read(s, target));
            assertEquals(List.of(), IrodsPlacementTest.workObjects(s, base + "/61"));
        }
    }
}

package org.rodsgate.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.ledger.Claim;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.testing.WithSandbox;

/** The watcher against the sandbox with a fake clock: settling, units, targets, and the cost of a poll. */
class WatcherTest extends WithSandbox {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    WatchConfig config(String coll) {
        return new WatchConfig(List.of(coll), Path.of("/mnt/irods"), Duration.ofSeconds(5), Duration.ofSeconds(2),
            List.of("*"), List.of(".*", "*.part"), "map", null, Map.of("rods", "omero-rods"), "Dataset:name:Inbox",
            dir.resolve("ledger.db"), null, null, null, 3, Duration.ofSeconds(1), "test", List.of("note"), null,
            WatchConfig.OnChange.STALE, Duration.ofSeconds(5));
    }

    static void touch(IrodsSession s, String p, int bytes) throws Exception {
        IrodsSession.OpenFile f = s.create(p);
        if (bytes > 0) {
            s.write(f.fd(), new byte[bytes], 0, bytes);
        }
        s.close(f.fd());
    }

    /** b12p: with an exclude list that lets hidden names through, a killed copy's work object was still imported. */
    @Test
    void workObjectsAreNeverRegisteredWhateverTheExcludeList() throws Exception {
        String w = "/tempZone/home/rods/watched-work-" + System.nanoTime();
        WatchConfig base = config(w);
        WatchConfig cfg = new WatchConfig(base.collections(), base.mountRoot(), base.quiet(), base.poll(),
            List.of("*"), List.of(), base.userRule(), base.fixedUser(), base.userMap(), base.defaultTarget(),
            base.ledgerFile(), null, null, null, base.maxAttempts(), base.backoff(), base.gateway(),
            base.annotateAvus(), null, base.onChange(), base.heartbeat());
        try (IrodsSession s = IrodsSession.open(sandbox.rods()); ConnectionPool pool = new ConnectionPool();
             Ledger ledger = Ledger.sqlite(dir.resolve("ledger.db"), now::get)) {
            s.mkdir(w, true);
            String work = org.rodsgate.fs.open.WorkNames.part(w + "/big.tif");
            touch(s, work, 10);
            touch(s, w + "/.hidden.tif", 10);
            Watcher watcher = new Watcher(cfg, new ChangeFeed(pool, sandbox.rods(), List.of(w)), ledger, null,
                null, null, now::get);
            watcher.pollOnce();
            now.addAndGet(10_000);
            assertEquals(1, watcher.pollOnce(), "only the hidden file the empty exclude list lets through");
            Claim c = ledger.claim("t", Duration.ofMinutes(1)).orElseThrow();
            assertTrue(c.unit().key().endsWith("/.hidden.tif"), c.unit().key());
            assertTrue(ledger.claim("t", Duration.ofMinutes(1)).isEmpty(), "the work object is never a unit");
        }
    }

    @Test
    void settledFilesBecomeUnitsWithTargetsFromTheirPath() throws Exception {
        String w = "/tempZone/home/rods/watched-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods()); ConnectionPool pool = new ConnectionPool();
             Ledger ledger = Ledger.sqlite(dir.resolve("ledger.db"), now::get)) {
            s.mkdir(w + "/P/D", true);
            s.mkdir(w + "/D2", true);
            touch(s, w + "/P/D/a.tif", 10);
            touch(s, w + "/D2/b.tif", 10);
            touch(s, w + "/c.tif", 10);
            touch(s, w + "/P/D/.hidden", 10);
            touch(s, w + "/P/D/upload.part", 10);
            s.addAvu(w + "/D2/b.tif", false, new org.rodsgate.irods.Avu("note", "from the microscope", ""));
            s.addAvu(w + "/D2/b.tif", false, new org.rodsgate.irods.Avu("internal", "not copied", ""));
            Watcher watcher = new Watcher(config(w), new ChangeFeed(pool, sandbox.rods(), List.of(w)), ledger, null,
                null, null, now::get);
            assertEquals(0, watcher.pollOnce(), "nothing has been quiet for 5 s yet");
            now.addAndGet(3000);
            touch(s, w + "/P/D/a.tif", 20); // rewritten: its quiet period starts again
            assertEquals(0, watcher.pollOnce());
            now.addAndGet(3000);
            assertEquals(2, watcher.pollOnce(), "b.tif and c.tif settled; a.tif changed 3 s ago");
            now.addAndGet(3000);
            assertEquals(1, watcher.pollOnce());
            Map<String, String> targets = new java.util.TreeMap<>();
            for (int i = 0; i < 3; i++) {
                Claim c = ledger.claim("t", Duration.ofMinutes(1)).orElseThrow();
                targets.put(c.unit().key().substring(w.length()), c.unit().target() + " as " + c.unit().owner());
                if (c.unit().key().endsWith("b.tif")) {
                    assertEquals(Map.of("note", "from the microscope"), c.unit().annotations(),
                        "only the configured AVU attributes become annotations");
                }
            }
            assertEquals(Map.of("/P/D/a.tif", "Project:name:P/Dataset:name:D as omero-rods",
                "/D2/b.tif", "Dataset:name:D2 as omero-rods", "/c.tif", "Dataset:name:Inbox as omero-rods"), targets);
            assertTrue(ledger.claim("t", Duration.ofMinutes(1)).isEmpty(), "hidden and .part files are excluded");
            assertTrue(ledger.watermark(Watcher.FEED) > 0);
        }
    }

    @Test
    void aPollCostsTheSameWhateverTheSizeOfTheZone() throws Exception {
        String w = "/tempZone/home/rods/quiet-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods()); ConnectionPool pool = new ConnectionPool();
             Ledger ledger = Ledger.sqlite(dir.resolve("ledger.db"), now::get)) {
            s.mkdir(w, true);
            s.mkdir("/tempZone/home/rods/unrelated", true);
            Watcher watcher = new Watcher(config(w), new ChangeFeed(pool, sandbox.rods(), List.of(w)), ledger, null,
                null, null, now::get);
            watcher.pollOnce();
            long q0 = sandbox.server.stats().count(702);
            watcher.pollOnce();
            long small = sandbox.server.stats().count(702) - q0;
            for (int i = 0; i < 3000; i++) {
                touch(s, "/tempZone/home/rods/unrelated/u" + i, 0);
            }
            long q1 = sandbox.server.stats().count(702);
            watcher.pollOnce();
            long large = sandbox.server.stats().count(702) - q1;
            assertEquals(small, large, "3,000 unrelated objects must not add queries to a poll");
            assertEquals(2, large, "two queries per watched collection when nothing is settling: new, modified");
        }
    }
}

package org.rodsgate.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.ledger.Claim;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.omero.OmeroCli;
import org.rodsgate.omero.OmeroSettings;
import org.rodsgate.omero.ProcessRunner;
import org.rodsgate.testing.WithSandbox;

/**
 * Failing inputs 2, 3 and 4 in-process: every data object under a watched collection ends in one ledger state with
 * its reason. The sandbox is the catalog; a local directory stands for the mount (the test mirrors what it puts);
 * `omero import -f` is scripted as ImportCandidates.print() writes it (one group per file, no reader for *.txt).
 */
class WatcherStatesTest extends WithSandbox {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    Path mnt;
    IrodsSession s;
    ConnectionPool pool;
    Ledger ledger;
    String w;

    WatchConfig config(WatchConfig.OnChange onChange) {
        return new WatchConfig(List.of(w), mnt, Duration.ofSeconds(5), Duration.ofSeconds(2), List.of("*"),
            List.of(".*", "*.part"), "owner", null, Map.of(), null, dir.resolve("ledger.db"), null, null, null, 3,
            Duration.ofSeconds(1), "test", List.of(), settings(), onChange, Duration.ofSeconds(5));
    }

    static OmeroSettings settings() {
        return new OmeroSettings("localhost", 4064, "root", "pw", "omero", "omero-server", null, "File-Size-64",
            Map.of(), Duration.ofMinutes(1), "registered");
    }

    /** `omero import -f DIR` as OMERO prints it, from the local directory standing for the mount. */
    static ProcessRunner dashF() {
        return dashF(java.util.Set.of());
    }

    /**
     * As {@link #dashF()}; the OMERO OS user's read check (OmeroCli.unreadable: {@code sh -c 'head -c 1'} per file)
     * fails for {@code unreadable} (root reads everything, so the test names what the OMERO user could not), and
     * {@code omero import -f} lists no reader for those, as the importer does for a file it cannot open.
     */
    static ProcessRunner dashF(java.util.Set<String> unreadable) {
        return (cmd, env, timeout) -> {
            if (cmd.get(0).equals("sh")) {
                for (String f : cmd.subList(4, cmd.size())) {
                    if (unreadable.contains(f)) {
                        return new ProcessRunner.Result(1, f, "");
                    }
                }
                return new ProcessRunner.Result(0, "", "");
            }
            if (!cmd.contains("-f")) {
                throw new AssertionError("only -f is scripted: " + cmd);
            }
            Path d = Path.of(cmd.get(cmd.size() - 1));
            if (!Files.isDirectory(d)) {
                return new ProcessRunner.Result(125, "", "");
            }
            StringBuilder b = new StringBuilder();
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    if (!f.toString().endsWith(".txt") && !unreadable.contains(f.toString())) {
                        b.append("#======================================\n# Group: ").append(f)
                            .append(" SPW: false Reader: loci.formats.in.TiffReader\n").append(f).append('\n');
                    }
                }
            }
            return new ProcessRunner.Result(0, b.toString(), "");
        };
    }

    Watcher watcher(WatchConfig.OnChange onChange) {
        return new Watcher(config(onChange), new ChangeFeed(pool, sandbox.rods(), List.of(w)), ledger, null,
            new OmeroCli(settings(), dashF()), null, now::get);
    }

    void put(String p, int bytes) throws Exception {
        IrodsSession.OpenFile f = s.create(p);
        if (bytes > 0) {
            s.write(f.fd(), new byte[bytes], 0, bytes);
        }
        s.close(f.fd());
        Path local = Path.of(mnt + p);
        Files.createDirectories(local.getParent());
        Files.write(local, new byte[bytes]);
    }

    int settle(Watcher watcher) throws Exception {
        int q = watcher.pollOnce();
        now.addAndGet(6000);
        return q + watcher.pollOnce();
    }

    String state(String path) throws Exception {
        return ledger.objects(null, 1000).stream().filter(o -> o.path().equals(path))
            .map(o -> o.state() + ": " + o.reason()).findFirst().orElse("(none)");
    }

    void open() throws Exception {
        mnt = dir.resolve("mnt");
        w = "/tempZone/home/rods/states-" + System.nanoTime();
        s = IrodsSession.open(sandbox.rods());
        pool = new ConnectionPool();
        ledger = Ledger.sqlite(dir.resolve("ledger.db"), now::get);
        s.mkdir(w + "/D", true);
        Files.createDirectories(Path.of(mnt + w + "/D"));
    }

    void close() throws Exception {
        ledger.close();
        pool.close();
        s.close();
    }

    /**
     * newcomer3: a mount the OMERO OS user cannot reach (under /root) made `omero import -f` list no reader, and
     * every file was excluded for good as "not a format OMERO imports". Unreadable is not a verdict on the format:
     * it waits, saying why, and is registered once readable.
     */
    @Test
    void aFileTheOmeroUserCannotReadWaitsSayingWhyInsteadOfBeingExcluded() throws Exception {
        open();
        try {
            java.util.Set<String> unreadable = new java.util.HashSet<>();
            Watcher watcher = new Watcher(config(WatchConfig.OnChange.STALE), new ChangeFeed(pool, sandbox.rods(),
                List.of(w)), ledger, null, new OmeroCli(settings(), dashF(unreadable)), null, now::get);
            unreadable.add(mnt + w + "/D/cell.tif");
            put(w + "/D/cell.tif", 5);
            put(w + "/D/notes.txt", 5);
            assertEquals(0, settle(watcher));
            assertTrue(state(w + "/D/cell.tif").startsWith("waiting: the OMERO OS user (omero-server) cannot read "
                + mnt + w + "/D/cell.tif"), state(w + "/D/cell.tif"));
            assertTrue(state(w + "/D/notes.txt").startsWith("excluded: omero import -f lists no reader"),
                "a readable file without a reader is still excluded: " + state(w + "/D/notes.txt"));
            unreadable.clear(); // the mount moved / permissions fixed
            now.addAndGet(2000);
            assertEquals(1, watcher.pollOnce(), "registered once the OMERO user can read it");
            assertEquals(w + "/D/cell.tif", ledger.claim("t", Duration.ofMinutes(1)).orElseThrow().unit().key());
        } finally {
            close();
        }
    }

    /** Issue 12, no loop: what the reverse direction copied out of OMERO into a watched collection is not imported back. */
    @Test
    void whatTheReverseDirectionWroteIsNotImportedBack() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.STALE);
            ledger.enqueue(org.rodsgate.ledger.Unit.fileset(9, "alice", w + "/D"));
            Claim c = ledger.claim("rev", Duration.ofMinutes(1), org.rodsgate.ledger.Unit.Direction.REVERSE).orElseThrow();
            ledger.written(c, 9, List.of(w + "/D/from-omero.tif"));
            put(w + "/D/from-omero.tif", 5);
            put(w + "/D/new.tif", 5);
            assertEquals(1, settle(watcher));
            assertEquals("excluded: written by the reverse direction from OMERO Fileset:9 (not imported back)",
                state(w + "/D/from-omero.tif"));
            assertEquals("queued: null", state(w + "/D/new.tif"));
            assertEquals(w + "/D/new.tif", ledger.claim("t", Duration.ofMinutes(1)).orElseThrow().unit().key());
            assertTrue(ledger.claim("t", Duration.ofMinutes(1)).isEmpty());
        } finally {
            close();
        }
    }

    /**
     * newcomer2 H4, no loop across ledgers: an object carrying omero.fileset that this ledger did not register (the
     * OMERO -> iRODS direction of a gateway with another ledger wrote it, or another ledger's watcher registered it)
     * is excluded with the reason; this ledger's own registration, overwritten since, still follows watch.on_change.
     */
    @Test
    void objectsAnotherLedgerDescribedAsOmerosAreNotImportedAgain() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.STALE);
            put(w + "/D/a.tif", 5);
            assertEquals(1, settle(watcher));
            register(w + "/D/a.tif");
            s.setAvu(w + "/D/a.tif", false, new Avu("omero.fileset", "500", "")); // as Registrar writes back
            put(w + "/D/107 r2.tif", 5);
            s.setAvu(w + "/D/107 r2.tif", false, new Avu("omero.fileset", "107", ""));
            s.setAvu(w + "/D/107 r2.tif", false, new Avu("omero.server", "omero.example.org:4064", ""));
            put(w + "/D/other.tif", 5);
            s.setAvu(w + "/D/other.tif", false, new Avu("omero.fileset", "154", ""));
            put(w + "/D/new.tif", 5);
            put(w + "/D/a.tif", 9); // this ledger's own registration, overwritten in place
            assertEquals(1, settle(watcher));
            String r2 = state(w + "/D/107 r2.tif");
            assertTrue(r2.startsWith("excluded: carries omero.fileset=107 (omero.server=omero.example.org:4064) that"
                + " this gateway's ledger did not register") && r2.contains("remove the AVU omero.fileset"), r2);
            assertTrue(state(w + "/D/other.tif").startsWith("excluded: carries omero.fileset=154 that"),
                state(w + "/D/other.tif"));
            assertEquals("queued: null", state(w + "/D/new.tif"));
            assertTrue(state(w + "/D/a.tif").startsWith("stale: changed after registration as Fileset:500"),
                state(w + "/D/a.tif"));
            assertEquals(w + "/D/new.tif", ledger.claim("t", Duration.ofMinutes(1)).orElseThrow().unit().key());
            assertTrue(ledger.claim("t", Duration.ofMinutes(1)).isEmpty());
        } finally {
            close();
        }
    }

    /** Failing input 3: names ending (or starting) in a space are queued as they are; the rules say why others are not. */
    @Test
    void everyObjectEndsInOneStateWithItsReason() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.STALE);
            put(w + "/D/trailing.tif ", 5);
            put(w + "/D/ leading.tif", 5);
            put(w + "/D/.hidden", 5);
            put(w + "/D/notes.txt", 5);
            put(w + "/D/tab\tname.tif", 5);
            watcher.pollOnce();
            assertTrue(state(w + "/D/trailing.tif ").startsWith("waiting: settling"), state(w + "/D/trailing.tif "));
            now.addAndGet(6000);
            assertEquals(2, watcher.pollOnce());
            assertEquals("queued: null", state(w + "/D/trailing.tif "));
            assertEquals("queued: null", state(w + "/D/ leading.tif"));
            assertEquals("excluded: watch.exclude '.*'", state(w + "/D/.hidden"));
            assertTrue(state(w + "/D/notes.txt").startsWith("excluded: omero import -f lists no reader"));
            assertTrue(state(w + "/D/tab\tname.tif").startsWith("parked: the name holds control character U+0009"));
            List<String> keys = new ArrayList<>();
            for (Claim c = ledger.claim("t", Duration.ofMinutes(1)).orElse(null); c != null;
                 c = ledger.claim("t", Duration.ofMinutes(1)).orElse(null)) {
                keys.add(c.unit().key());
            }
            assertTrue(keys.contains(w + "/D/trailing.tif ") && keys.size() == 2, keys.toString());
            assertTrue(ledger.watermark(Watcher.FEED) > 0, "the watermark passes only what has a state");
            assertEquals(5, ledger.objects(null, 100).size(), "one row per object");
        } finally {
            close();
        }
    }

    /** Failing input 4: files that settle while the mount is down wait for it (not dropped), then register. */
    @Test
    void filesSettlingWhileTheMountIsDownWaitForIt() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.STALE);
            put(w + "/D/a.tif", 5);
            Path away = dir.resolve("away");
            Files.move(mnt, away); // the mount is down: nothing under its path
            assertEquals(0, settle(watcher));
            assertTrue(state(w + "/D/a.tif").startsWith("waiting: waiting for the mount: " + mnt), state(w + "/D/a.tif"));
            long mark = ledger.watermark(Watcher.FEED);
            now.addAndGet(60_000);
            assertEquals(0, watcher.pollOnce());
            assertEquals(mark, ledger.watermark(Watcher.FEED), "the watermark does not pass a waiting object");
            Files.move(away, mnt); // back
            assertEquals(1, watcher.pollOnce());
            assertEquals("queued: null", state(w + "/D/a.tif"));
        } finally {
            close();
        }
    }

    void register(String path) throws Exception {
        Claim c = ledger.claim("t", Duration.ofMinutes(1)).orElseThrow();
        assertEquals(path, c.unit().paths().get(0));
        assertTrue(ledger.done(c, 500, List.of(501L)));
        assertEquals("registered: Fileset:500 Image:501", state(path));
    }

    /** Failing input 2 (overwrite in place), default policy: AVU omero.stale and state stale with what changed. */
    @Test
    void anObjectOverwrittenAfterRegistrationIsMarkedStale() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.STALE);
            put(w + "/D/a.tif", 5);
            assertEquals(1, settle(watcher));
            register(w + "/D/a.tif");
            put(w + "/D/a.tif", 9); // overwritten in place: same DATA_ID, new size
            assertEquals(0, settle(watcher));
            assertTrue(state(w + "/D/a.tif").startsWith("stale: changed after registration as Fileset:500 (size 5 -> 9"),
                state(w + "/D/a.tif"));
            Avu mark = s.listAvus(w + "/D/a.tif", false).stream().filter(a -> a.attribute().equals("omero.stale"))
                .findFirst().orElse(null);
            assertNotNull(mark, "omero.stale AVU");
            assertTrue(mark.value().contains("Fileset:500"), mark.value());
            assertTrue(ledger.claim("t", Duration.ofMinutes(1)).isEmpty(), "not imported again by default");
            assertEquals(0, settle(watcher), "marked once, not on every poll");
        } finally {
            close();
        }
    }

    /** Failing input 2 (delete + put again under the same name), option reimport: a new unit superseding the old. */
    @Test
    void anObjectDeletedAndPutAgainIsImportedAgainWithReimport() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.REIMPORT);
            put(w + "/D/b.tif", 5);
            assertEquals(1, settle(watcher));
            register(w + "/D/b.tif");
            s.unlink(w + "/D/b.tif");
            put(w + "/D/b.tif", 7);
            assertEquals(1, settle(watcher));
            Claim c = ledger.claim("t", Duration.ofMinutes(1)).orElseThrow();
            assertTrue(c.unit().key().startsWith(w + "/D/b.tif#"), c.unit().key());
            assertEquals(List.of(500L), c.unit().supersedes());
            assertEquals(List.of(w + "/D/b.tif"), c.unit().paths());
            assertTrue(state(w + "/D/b.tif").startsWith("registering"), state(w + "/D/b.tif"));
            assertEquals(1, ledger.objects(null, 100).size(), "the deleted object's row is gone");
        } finally {
            close();
        }
    }

    /** Failing input 2 (delete + put again), default policy: the new object is stale, never silently skipped. */
    @Test
    void anObjectDeletedAndPutAgainIsMarkedStaleByDefault() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.STALE);
            put(w + "/D/c.tif", 5);
            assertEquals(1, settle(watcher));
            register(w + "/D/c.tif");
            s.unlink(w + "/D/c.tif");
            put(w + "/D/c.tif", 5);
            assertEquals(0, settle(watcher));
            assertTrue(state(w + "/D/c.tif").startsWith("stale: deleted and put again after registration as Fileset:500"),
                state(w + "/D/c.tif"));
            assertTrue(s.listAvus(w + "/D/c.tif", false).stream().anyMatch(a -> a.attribute().equals("omero.stale")));
        } finally {
            close();
        }
    }

    /** Failing input 4: a unit whose registration finds the mount down is parked with the reason, and queued again
     *  by itself once the mount answers (no attempts burnt meanwhile). */
    @Test
    void aUnitParkedBecauseTheMountIsDownIsRetriedWhenItAnswers() throws Exception {
        open();
        try {
            OmeroCli cli = new OmeroCli(settings(), dashF());
            org.rodsgate.omero.Registrar registrar = new org.rodsgate.omero.Registrar(cli, pool, sandbox.rods(),
                config(WatchConfig.OnChange.STALE)::localPath);
            Watcher watcher = new Watcher(config(WatchConfig.OnChange.STALE), new ChangeFeed(pool, sandbox.rods(),
                List.of(w)), ledger, registrar, cli, null, now::get);
            put(w + "/D/m.tif", 5);
            assertEquals(1, settle(watcher));
            Path away = dir.resolve("away");
            Files.move(mnt, away); // the mount goes down after the file was queued
            assertEquals(0, watcher.workOnce());
            assertTrue(state(w + "/D/m.tif").startsWith("parked: mount down: the mount does not show " + mnt),
                state(w + "/D/m.tif"));
            watcher.pollOnce();
            assertTrue(state(w + "/D/m.tif").startsWith("parked"), "still down: stays parked");
            Files.move(away, mnt);
            watcher.pollOnce();
            assertTrue(state(w + "/D/m.tif").startsWith("queued"), state(w + "/D/m.tif"));
        } finally {
            close();
        }
    }

    /**
     * Failing input 2, the race: overwritten while its unit waits (queued with the new size, imported as it is now)
     * or while it is being imported (decided when the import ends: stale, since OMERO read other bytes).
     */
    @Test
    void anObjectChangedBeforeOrDuringItsImportIsNotMisdescribed() throws Exception {
        open();
        try {
            Watcher watcher = watcher(WatchConfig.OnChange.STALE);
            put(w + "/D/q.tif", 5);
            assertEquals(1, settle(watcher));
            put(w + "/D/q.tif", 8); // still queued: nothing imported yet
            assertEquals(0, settle(watcher));
            var row = ledger.objects(null, 100).stream().filter(o -> o.path().equals(w + "/D/q.tif")).findFirst()
                .orElseThrow();
            assertEquals("queued", row.state());
            assertEquals(8, row.size(), "queued with the size it will be imported with");
            register(w + "/D/q.tif");
            assertEquals(0, settle(watcher));
            assertTrue(state(w + "/D/q.tif").startsWith("registered"), state(w + "/D/q.tif"));

            put(w + "/D/r.tif", 5);
            assertEquals(1, settle(watcher));
            Claim c = ledger.claim("t", Duration.ofMinutes(1)).orElseThrow(); // being imported
            put(w + "/D/r.tif", 9);
            assertEquals(0, settle(watcher));
            assertTrue(state(w + "/D/r.tif").startsWith("registering"), state(w + "/D/r.tif"));
            assertTrue(ledger.done(c, 600, List.of(601L)));
            assertEquals(0, watcher.pollOnce());
            assertTrue(state(w + "/D/r.tif").startsWith("stale: changed after registration as Fileset:600 (size 5 -> 9"),
                state(w + "/D/r.tif"));
        } finally {
            close();
        }
    }
}

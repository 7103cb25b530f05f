package org.rodsgate.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.ledger.Claim;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.LedgerStatus;
import org.rodsgate.ledger.Unit;
import org.rodsgate.reverse.place.PlacementRule;

/**
 * The reverse feed and worker (OMERO → iRODS) over an in-memory OMERO and iRODS (FakeOmero, FakeIrods) and a real
 * SQLite ledger: the failing inputs of issue 12 that need no server. The end-to-end run is
 * native-tests/test_reverse.sh.
 */
class ReverseFeedTest {
    // PostgreSQL: ReverseFeedPostgresTest runs every test here against a fresh schema
    static final String TEMPLATE = "/tempZone/omero/%group%/%user%/%fileset%/%name%";

    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final FakeOmero omero = new FakeOmero();
    final FakeIrods irods = new FakeIrods();

    static ReverseConfig config(Duration lookBack, PlacementRule rule) {
        return new ReverseConfig(List.of(new ReverseConfig.Rule("*", rule)), Path.of("/OMERO/ManagedRepository"),
            Path.of("/mnt/irods"), Duration.ofSeconds(10), 3, lookBack, 1000, Duration.ofMinutes(120), Duration.ofDays(7), 3,
            Duration.ofSeconds(30), Map.of(), "omero.example.org:4064", true, null, null, "g", Duration.ofSeconds(5), 0, null);
    }

    static PlacementRule copy() {
        return new PlacementRule(PlacementRule.Kind.COPY, TEMPLATE, null, null, null, 0);
    }

    ReverseConfig cfg = config(Duration.ofSeconds(600), copy());

    Ledger open() throws Exception {
        return Ledger.sqlite(dir.resolve("ledger.db"), now::get);
    }

    ReverseFeed feed(Ledger l) {
        return new ReverseFeed(cfg, omero, l, irods, now::get);
    }

    ReverseWorker worker(Ledger l) {
        return new ReverseWorker(cfg, l, omero, irods, irods, "g");
    }

    OmeroOriginalFile f(long id, String name) {
        return FakeOmero.file(id, name, 100 + id, "home/alice/data/" + name);
    }

    @Test
    void aFinishedUploadIsPlacedDescribedAndTaggedWithinTwoPolls() throws Exception {
        omero.finished(5, "alice", "lab", "upload", now.get(), f(51, "a.tif"), f(52, "b.tif"));
        try (Ledger l = open()) {
            assertEquals(1, feed(l).pollOnce().queued());
            assertEquals(1, worker(l).drain(x -> { }));
            assertEquals(Map.of("/tempZone/omero/lab/alice/5/a.tif", 1, "/tempZone/omero/lab/alice/5/b.tif", 1),
                irods.writes);
            assertEquals("5", irods.avus.get("/tempZone/omero/lab/alice/5/a.tif").get("omero.fileset"));
            assertEquals("omero.example.org:4064", irods.avus.get("/tempZone/omero/lab/alice/5/b.tif").get("omero.server"));
            assertEquals(1, omero.described.size());
            String d = omero.described.get(0);
            assertTrue(d.startsWith("alice Fileset:5 [1000]") && d.contains("irods.zone=tempZone")
                && d.contains("irods.path.2=/tempZone/omero/lab/alice/5/b.tif") && d.contains("irods.checksum.2=sha2:x52"), d);
            assertEquals(Ledger.DONE, l.stateOf("Fileset:5"));
            assertEquals(0, feed(l).pollOnce().queued(), "a second poll queues nothing new");
            assertEquals(0, worker(l).drain(x -> { }));
            assertEquals(1, irods.writes.get("/tempZone/omero/lab/alice/5/a.tif"));
        }
    }

    @Test
    void anImportStillRunningIsNotTouchedUntilItFinishes() throws Exception {
        omero.start(7, "alice", "lab", "upload", now.get(), f(71, "a.tif"));
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            assertEquals(1, feed.pollOnce().importing(), "upload not finished");
            assertEquals(0, worker(l).drain(x -> { }));
            omero.uploadFinished(7);
            assertEquals(1, feed.pollOnce().importing(), "upload finished, no images yet: still importing");
            // the window moves past it: it is found again through the pending set, not lost
            now.addAndGet(601_000);
            feed.pollOnce();
            now.addAndGet(601_000);
            feed.pollOnce();
            assertEquals(1, l.pending(ReverseFeed.FEED, Long.MAX_VALUE).size());
            assertTrue(irods.calls.isEmpty(), "nothing placed while the import runs");
            omero.imagesAppear(7, 2);
            assertEquals(1, feed.pollOnce().queued());
            assertEquals(1, worker(l).drain(x -> { }));
            assertTrue(l.pending(ReverseFeed.FEED, Long.MAX_VALUE).isEmpty());
        }
    }

    @Test
    void aFilesetCommittedWithALowerIdAfterAHigherOneIsNotLost() throws Exception {
        omero.finished(11, "alice", "lab", "upload", now.get(), f(111, "b.tif"));
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            assertEquals(1, feed.pollOnce().queued());
            now.addAndGet(30_000);
            omero.finished(10, "alice", "lab", "upload", now.get(), f(101, "a.tif")); // its id came first
            assertEquals(1, feed.pollOnce().queued(), "read again inside the look-back window");
            assertEquals(2, worker(l).drain(x -> { }));
            // and after a restart (the window is kept in the ledger as its low end)
            omero.finished(9, "alice", "lab", "upload", now.get(), f(91, "c.tif"));
            assertEquals(1, feed(l).pollOnce().queued());
        }
    }

    @Test
    void aPollCostsQueriesForWhatIsNewNotForTheSizeOfOmero() throws Exception {
        for (long id = 1; id <= 3000; id++) {
            omero.finished(id, "bob", "other", "upload", now.get(), f(id * 10, "x.tif"));
        }
        cfg = new ReverseConfig(List.of(new ReverseConfig.Rule("user:alice", copy())), cfg.repository(),
            cfg.mountRoot(), cfg.poll(), 500, Duration.ofSeconds(60), 100, cfg.failedImport(), cfg.pendingMax(), 3,
            cfg.backoff(), Map.of(), cfg.server(), true, null, null, "g", Duration.ofSeconds(5), 0, null);
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            feed.pollOnce(); // the first poll reads what exists (no rule for bob: nothing queued)
            omero.rowsRead = 0;
            feed.pollOnce();
            assertEquals(100, omero.rowsRead, "inside the look-back time, only reverse.look_back_ids read again");
            now.addAndGet(61_000);
            feed.pollOnce();
            now.addAndGet(61_000);
            omero.queries = 0;
            omero.rowsRead = 0;
            omero.finished(3001, "alice", "lab", "upload", now.get(), f(30010, "new.tif"));
            ReverseFeed.Poll p = feed.pollOnce();
            assertEquals(1, p.queued());
            assertEquals(1, omero.rowsRead, "only the new fileset is read");
            assertEquals(2, omero.queries, "one page of filesets, one of deletions");
        }
    }

    @Test
    void aFailedImportIsReportedAndQueuedIfItFinishesLater() throws Exception {
        omero.start(20, "alice", "lab", "upload", now.get(), f(201, "a.tif"));
        omero.uploadFinished(20);
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            feed.pollOnce();
            now.addAndGet(121 * 60_000L);
            assertEquals(1, feed.pollOnce().failedImports());
            assertEquals(Ledger.PARKED, l.stateOf("Fileset:20"));
            LedgerStatus st = l.status(Unit.Direction.REVERSE);
            assertTrue(st.lastErrors().get(0).contains("failed import: upload finished but no images"), st.lastErrors().toString());
            assertEquals(0, worker(l).drain(x -> { }));
            omero.imagesAppear(20, 1); // a very slow import after all
            assertEquals(1, feed.pollOnce().queued());
            assertEquals(1, worker(l).drain(x -> { }));
            assertEquals(Ledger.DONE, l.stateOf("Fileset:20"));
        }
    }

    @Test
    void anInPlaceImportFromTheMountIsDescribedNotCopied() throws Exception {
        omero.finished(30, "alice", "lab", "ln_s", now.get(),
            FakeOmero.file(301, "x.tif", 5, "mnt/irods/tempZone/home/alice/in/x.tif"));
        try (Ledger l = open()) {
            feed(l).pollOnce();
            List<String> lines = new java.util.ArrayList<>();
            worker(l).drain(lines::add);
            assertEquals(List.of("place Fileset:30 IN_PLACE"), irods.calls);
            assertTrue(irods.writes.isEmpty(), "nothing copied");
            assertEquals("30", irods.avus.get("/tempZone/home/alice/in/x.tif").get("omero.fileset"));
            assertTrue(lines.get(0).contains("{found=1}"), lines.toString());
        }
    }

    @Test
    void theForwardAndReverseWorkersNeverTakeEachOthersUnits() throws Exception {
        try (Ledger l = open()) {
            l.enqueue(Unit.fileset(1, "alice", null));
            l.enqueue(new Unit("/z/a.tif", Unit.Kind.FILE, List.of("/z/a.tif"), "alice", null));
            l.enqueue(Unit.fileset(2, "alice", null));
            assertEquals("/z/a.tif", l.claim("g", Duration.ofMinutes(1)).orElseThrow().unit().key());
            assertTrue(l.claim("g", Duration.ofMinutes(1)).isEmpty(), "the watcher never takes an OMERO fileset");
            assertEquals("Fileset:1", l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow().unit().key());
            assertEquals("Fileset:2", l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow().unit().key());
            assertTrue(l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).isEmpty());
            assertEquals(Map.of("pending", 0L, "claimed", 2L, "done", 0L, "parked", 0L),
                l.status(Unit.Direction.REVERSE).byState());
            assertEquals(1L, l.status().byState().get("claimed"), "each direction counts its own units");
        }
    }

    @Test
    void failuresAreRetriedWithBackoffAndParkedAfterN() throws Exception {
        omero.finished(40, "alice", "lab", "upload", now.get(), f(401, "a.tif"));
        irods.failures = 3;
        try (Ledger l = open()) {
            feed(l).pollOnce();
            List<String> lines = new java.util.ArrayList<>();
            worker(l).drain(lines::add);
            assertTrue(lines.get(0).contains("FAILED: iRODS refused: SYS_RESC_QUOTA_EXCEEDED"), lines.toString());
            assertEquals(0, worker(l).drain(x -> { }), "backing off");
            now.addAndGet(31_000);
            worker(l).drain(x -> { });
            now.addAndGet(61_000);
            worker(l).drain(x -> { });
            assertEquals(Ledger.PARKED, l.stateOf("Fileset:40"), "parked after reverse.max_attempts");
            assertEquals(1, l.retry("Fileset:40"), "`rodsgate retry Fileset:40` queues it again");
            assertEquals(1, worker(l).drain(x -> { }));
        }
    }

    @Test
    void omeroDownIsAFailureRetriedNotALoss() throws Exception {
        omero.finished(41, "alice", "lab", "upload", now.get(), f(411, "a.tif"));
        try (Ledger l = open()) {
            feed(l).pollOnce();
            omero.down = true;
            worker(l).drain(x -> { });
            assertEquals(Ledger.PENDING, l.stateOf("Fileset:41"));
            omero.down = false;
            now.addAndGet(31_000);
            assertEquals(1, worker(l).drain(x -> { }));
        }
    }

    /**
     * b12c: an iRODS outage longer than the backoff total (about 7.5 min by default) parked the whole backlog, to be
     * brought back by hand. An outage is not a unit's failure: units wait, nothing is parked, no attempt is used.
     */
    @Test
    void anIrodsOutageOfAnyLengthParksNothing() throws Exception {
        for (int i = 0; i < 3; i++) {
            omero.finished(80 + i, "alice", "lab", "upload", now.get(), f(800 + i, "a.tif"));
        }
        try (Ledger l = open()) {
            feed(l).pollOnce();
            irods.down = true;
            for (int i = 0; i < 40; i++) { // 40 cycles a backoff apart: far beyond max_attempts
                worker(l).drain(x -> { });
                now.addAndGet(cfg.backoff().toMillis() + 1);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(Ledger.PENDING, l.stateOf("Fileset:" + (80 + i)), "waiting, not parked");
            }
            assertTrue(irods.calls.size() <= 40 + 2, "one unit tried per cycle while iRODS is down: "
                + irods.calls.size());
            irods.down = false;
            assertEquals(3, worker(l).drain(x -> { }), "all placed once iRODS answers");
        }
    }

    @Test
    void aClosedTimeWindowPutsTheCopyOffWithoutCountingAFailure() throws Exception {
        cfg = config(Duration.ofSeconds(600), new PlacementRule(PlacementRule.Kind.COPY, TEMPLATE, null,
            LocalTime.of(22, 0), LocalTime.of(6, 0), 0));
        omero.finished(50, "alice", "lab", "upload", now.get(), f(501, "a.tif"));
        irods.notBefore = now.get() + 3_600_000;
        try (Ledger l = open()) {
            feed(l).pollOnce();
            for (int i = 0; i < 5; i++) {
                worker(l).drain(x -> { });
            }
            assertEquals(Ledger.PENDING, l.stateOf("Fileset:50"));
            assertTrue(l.status(Unit.Direction.REVERSE).lastErrors().isEmpty(), "not a failure");
            assertEquals(1, irods.calls.size(), "not tried again before the window opens");
            now.addAndGet(3_600_000);
            irods.notBefore = -1;
            assertEquals(1, worker(l).drain(x -> { }));
        }
    }

    @Test
    void aDeletionInOmeroMarksTheObjectsDeletedAndRemovesNothing() throws Exception {
        omero.finished(60, "alice", "lab", "upload", now.get(), f(601, "a.tif"));
        try (Ledger l = open()) {
            feed(l).pollOnce();
            worker(l).drain(x -> { });
            omero.delete(60, now.get() + 5);
            assertEquals(1, feed(l).pollOnce().deletions());
            String p = "/tempZone/omero/lab/alice/60/a.tif";
            assertEquals(Long.toString(now.get() + 5), irods.avus.get(p).get("omero.deleted"));
            assertTrue(irods.objects.containsKey(p), "kept");
            assertEquals(0, feed(l).pollOnce().deletions(), "handled once");
        }
    }

    @Test
    void aFilesetDeletedWhilePlacedIsMarkedWhenItsUnitFinishes() throws Exception {
        omero.finished(61, "alice", "lab", "upload", now.get(), f(611, "a.tif"));
        try (Ledger l = open()) {
            feed(l).pollOnce();
            Claim c = l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow();
            // OMERO deletes it while the copy runs: the feed records the deletion, nothing is placed yet
            OmeroFileset fs = omero.fileset(61);
            List<Long> imgs = omero.images(61);
            omero.delete(61, now.get());
            feed(l).pollOnce();
            omero.filesets.put(61L, fs); // the worker read it before the deletion
            omero.images.put(61L, imgs);
            worker(l).work(c);
            assertEquals(Long.toString(now.get()), irods.avus.get("/tempZone/omero/lab/alice/61/a.tif").get("omero.deleted"));
        }
    }

    @Test
    void aFilesetDeletedBeforeItWasPlacedIsDoneWithNothingPlaced() throws Exception {
        omero.finished(62, "alice", "lab", "upload", now.get(), f(621, "a.tif"));
        try (Ledger l = open()) {
            feed(l).pollOnce();
            omero.filesets.remove(62L);
            List<String> lines = new java.util.ArrayList<>();
            worker(l).drain(lines::add);
            assertTrue(lines.get(0).contains("deleted in OMERO before it was placed"), lines.toString());
            assertTrue(irods.calls.isEmpty());
        }
    }

    @Test
    void aKillMidBacklogPlacesEachFilesetExactlyOnce() throws Exception {
        for (long id = 1000; id < 1300; id++) {
            omero.finished(id, "alice", "lab", "upload", now.get(), f(id * 10, "a.tif"), f(id * 10 + 1, "b.tif"));
        }
        Ledger first = open();
        first.startHeartbeat("g", Duration.ofSeconds(5));
        new ReverseFeed(cfg, omero, first, irods, now::get).pollOnce();
        ReverseWorker w1 = new ReverseWorker(cfg, first, omero, irods, irods, "g");
        for (int i = 0; i < 120; i++) {
            w1.work(first.claim("g", ReverseWorker.LEASE, Unit.Direction.REVERSE).orElseThrow());
        }
        // the 13th dies after its first file is in iRODS, before anything is recorded (kill -9)
        irods.dieAfterFirstFile = new IllegalStateException("killed");
        Claim dying = first.claim("g", ReverseWorker.LEASE, Unit.Direction.REVERSE).orElseThrow();
        try {
            irods.place(cfg.ruleFor(omero.fileset(dying.unit().omeroFileset())), omero.fileset(dying.unit()
                .omeroFileset()), "alice");
        } catch (IllegalStateException killed) {
            // as a kill -9: no ledger write after this point; the process is gone (its heartbeat stops)
        }
        first.close();
        now.addAndGet(61_000); // silent for 12 heartbeats
        try (Ledger second = open()) {
            second.startHeartbeat("g", Duration.ofSeconds(5));
            assertEquals(1, second.reclaimDead(Duration.ofSeconds(60)));
            new ReverseWorker(cfg, second, omero, irods, irods, "g").drain(x -> { });
            assertEquals(Map.of("pending", 0L, "claimed", 0L, "done", 300L, "parked", 0L),
                second.status(Unit.Direction.REVERSE).byState());
        }
        assertEquals(600, irods.writes.size());
        assertTrue(irods.writes.values().stream().allMatch(n -> n == 1), "each file written once: " + irods.writes);
        assertEquals(300, omero.described.size(), "each fileset described once");
        assertEquals(300, omero.described.stream().distinct().count());
    }

    @Test
    void pushToACollectionCopiesUnderIt() throws Exception {
        omero.finished(70, "alice", "lab", "upload", now.get(), f(701, "a.tif"),
            FakeOmero.file(702, "a.tif", 5, "home/alice/data/sub/a.tif"));
        try (Ledger l = open()) {
            l.enqueue(Unit.fileset(70, "alice", "/tempZone/home/alice/saved/"));
            worker(l).drain(x -> { });
            assertEquals(List.of("/tempZone/home/alice/saved/70/home/alice/data/a.tif",
                "/tempZone/home/alice/saved/70/home/alice/data/sub/a.tif"), List.copyOf(irods.writes.keySet()),
                "file names repeat: the client path keeps them apart");
            assertFalse(irods.writes.containsKey("/tempZone/omero/lab/alice/70/a.tif"));
        }
    }

    @Test
    void theMapAnnotationNumbersRepeatedKeysAndStaysBounded() {
        List<org.rodsgate.reverse.place.Placed> placed = new java.util.ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            placed.add(new org.rodsgate.reverse.place.Placed(f(i, "f" + i + ".tif"), "/tempZone/o/f" + i + ".tif",
                "sha2:c" + i, "copied"));
        }
        var one = ReverseWorker.pairs(9, placed.subList(0, 1));
        assertEquals(List.of("irods.zone=tempZone", "irods.path=/tempZone/o/f1.tif", "irods.checksum=sha2:c1"),
            one.stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        var many = ReverseWorker.pairs(9, placed);
        assertEquals(1 + 2 * ReverseWorker.MAP_FILES + 1, many.size());
        assertEquals(many.size(), many.stream().map(java.util.Map.Entry::getKey).distinct().count(), "each key once");
        assertEquals("irods.path.150".equals(many.get(many.size() - 2).getKey()), false);
        assertEquals("50 more files: the iRODS objects with AVU omero.fileset = 9", many.get(many.size() - 1).getValue());
    }

    @Test
    void theFirstStartLeavesFilesetsUpToStartAfterAlone() throws Exception {
        omero.finished(3, "alice", "lab", "upload", now.get(), f(31, "old.tif"));
        omero.finished(8, "alice", "lab", "upload", now.get(), f(81, "new.tif"));
        cfg = new ReverseConfig(cfg.rules(), cfg.repository(), cfg.mountRoot(), cfg.poll(), 3, cfg.lookBack(),
            1000, cfg.failedImport(), cfg.pendingMax(), 3, cfg.backoff(), Map.of(), cfg.server(), true, null, null, "g",
            Duration.ofSeconds(5), 5, null);
        try (Ledger l = open()) {
            assertEquals(1, feed(l).pollOnce().queued());
            assertEquals(null, l.stateOf("Fileset:3"), "below reverse.start_after_fileset: left alone");
            assertEquals(Ledger.PENDING, l.stateOf("Fileset:8"));
        }
    }
}

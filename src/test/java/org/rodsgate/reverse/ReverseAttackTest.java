package org.rodsgate.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.ledger.Ledger;

/**
 * Issue 12, attack (b12c): the reverse feed and worker under inputs that are each one KIND of fault — a unit taken
 * up before its import finished, a kill between placing and recording, a deletion of a parked fileset.
 */
class ReverseAttackTest {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final FakeOmero omero = new FakeOmero();
    final FakeIrods irods = new FakeIrods();
    final ReverseConfig cfg = ReverseFeedTest.config(Duration.ofSeconds(600), ReverseFeedTest.copy());

    Ledger open() throws Exception {
        return Ledger.sqlite(dir.resolve("ledger.db"), now::get);
    }

    ReverseFeed feed(Ledger l) {
        return new ReverseFeed(cfg, omero, l, irods, now::get);
    }

    ReverseWorker worker(Ledger l) {
        return new ReverseWorker(cfg, l, omero, irods, irods, "g");
    }

    static OmeroOriginalFile f(long id, String name) {
        return FakeOmero.file(id, name, 100 + id, "home/alice/data/" + name);
    }

    /** Polls and drains as a running gateway would, {@code rounds} times, {@code stepMillis} apart. */
    void run(Ledger l, ReverseFeed feed, int rounds, long stepMillis) throws Exception {
        for (int i = 0; i < rounds; i++) {
            feed.pollOnce();
            worker(l).drain(x -> { });
            now.addAndGet(stepMillis);
        }
    }

    @Test
    void aRetriedFailedImportThatFinishesLaterIsPlacedNotParkedForever() throws Exception {
        omero.start(30, "alice", "lab", "upload", now.get(), f(301, "a.tif"));
        omero.uploadFinished(30); // upload done, no images: "failed" after failed_import_minutes
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            feed.pollOnce();
            now.addAndGet(121 * 60_000L);
            assertEquals(1, feed.pollOnce().failedImports());
            assertEquals(1, l.retry("Fileset:30"), "the operator retries it before it has finished");
            run(l, feed, 6, 120_000); // more than reverse.max_attempts (3) rounds past the backoff
            assertEquals(Ledger.PARKED, l.stateOf("Fileset:30"));
            assertTrue(irods.calls.isEmpty(), "nothing placed while unfinished");
            omero.imagesAppear(30, 1); // the import finishes after all
            run(l, feed, 12, 120_000); // beyond the look-back window
            assertEquals(Ledger.DONE, l.stateOf("Fileset:30"), "a finished import is placed, whatever was retried");
            assertEquals(1, irods.writes.get("/tempZone/omero/lab/alice/30/a.tif"));
        }
    }

    @Test
    void aPushOfAnImportStillRunningIsPlacedWhenItFinishes() throws Exception {
        omero.start(31, "alice", "lab", "upload", now.get(), f(311, "a.tif"));
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            l.enqueue(org.rodsgate.ledger.Unit.fileset(31, "alice", null)); // taken up early, as push or retry do
            run(l, feed, 6, 120_000);
            assertTrue(irods.calls.isEmpty(), "nothing placed while unfinished");
            omero.uploadFinished(31);
            omero.imagesAppear(31, 2);
            run(l, feed, 12, 120_000);
            assertEquals(Ledger.DONE, l.stateOf("Fileset:31"));
        }
    }

    @Test
    void aCopyFoundInPlaceAfterAKillBeforeItWasRecordedIsNeverImportedBack() throws Exception {
        omero.finished(32, "alice", "lab", "upload", now.get(), f(321, "a.tif"), f(322, "b.tif"));
        // the killed run renamed a.tif into place, then died before recording what it wrote
        irods.objects.put("/tempZone/omero/lab/alice/32/a.tif", 421L);
        try (Ledger l = open()) {
            run(l, feed(l), 1, 1000);
            assertEquals(Ledger.DONE, l.stateOf("Fileset:32"));
            assertEquals(32, l.writtenBy("/tempZone/omero/lab/alice/32/a.tif"), "found, but written by this direction");
            assertEquals(32, l.writtenBy("/tempZone/omero/lab/alice/32/b.tif"));
        }
    }

    @Test
    void aFailedImportDeletedInOmeroIsNoLongerShownAsAProblem() throws Exception {
        omero.start(33, "alice", "lab", "upload", now.get(), f(331, "a.tif"));
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            feed.pollOnce();
            now.addAndGet(121 * 60_000L);
            assertEquals(1, feed.pollOnce().failedImports());
            omero.delete(33, now.get()); // the user gives up and deletes it
            run(l, feed, 2, 1000);
            assertEquals(Ledger.DONE, l.stateOf("Fileset:33"));
            assertEquals(0L, l.status(org.rodsgate.ledger.Unit.Direction.REVERSE).byState().get("parked"));
            assertTrue(irods.calls.isEmpty());
        }
    }

    @Test
    void aFilesetDeletedAndItsImagesReimportedIsPlacedAgainBesideTheMarkedOne() throws Exception {
        omero.finished(34, "alice", "lab", "upload", now.get(), f(341, "a.tif"));
        try (Ledger l = open()) {
            ReverseFeed feed = feed(l);
            run(l, feed, 1, 1000);
            omero.delete(34, now.get());
            omero.finished(35, "alice", "lab", "upload", now.get(), f(351, "a.tif")); // the same file again
            List<String> lines = new ArrayList<>();
            feed.pollOnce();
            worker(l).drain(lines::add);
            assertEquals(Ledger.DONE, l.stateOf("Fileset:35"), lines.toString());
            assertTrue(irods.avus.get("/tempZone/omero/lab/alice/34/a.tif").containsKey("omero.deleted"));
            assertEquals(1, irods.writes.get("/tempZone/omero/lab/alice/35/a.tif"));
            assertEquals(1, irods.writes.get("/tempZone/omero/lab/alice/34/a.tif"), "the old copy kept, not rewritten");
        }
    }

    @Test
    void aFileSwitchedInWhileTheRestOfItsFilesetStillCopiesIsAlreadyKnownAsWritten() throws Exception {
        omero.finished(36, "alice", "lab", "upload", now.get(), f(361, "a.tif"), f(362, "b.tif"));
        try (Ledger l = open()) {
            List<String> seenUnrecorded = new ArrayList<>();
            org.rodsgate.reverse.place.Placement slow = new org.rodsgate.reverse.place.Placement() {
                @Override
                public List<org.rodsgate.reverse.place.Placed> place(org.rodsgate.reverse.place.PlacementRule rule,
                                                                     OmeroFileset fs, String user) throws java.io.IOException {
                    // the moment each file is renamed into place, the watcher may look at it
                    for (OmeroOriginalFile x : fs.files()) {
                        try {
                            if (l.writtenBy(FakeIrods.path(rule, fs, x)) < 0) {
                                seenUnrecorded.add(FakeIrods.path(rule, fs, x));
                            }
                        } catch (java.sql.SQLException e) {
                            throw new java.io.IOException(e);
                        }
                    }
                    return irods.place(rule, fs, user);
                }

                @Override
                public List<String> targets(org.rodsgate.reverse.place.PlacementRule rule, OmeroFileset fs,
                                            String user) {
                    return fs.files().stream().map(x -> FakeIrods.path(rule, fs, x)).toList();
                }
            };
            feed(l).pollOnce();
            new ReverseWorker(cfg, l, omero, slow, irods, "g").drain(x -> { });
            assertEquals(Ledger.DONE, l.stateOf("Fileset:36"));
            assertEquals(List.of(), seenUnrecorded, "switched in before it was recorded as the reverse direction's");
        }
    }

    @Test
    void aFilesetDeletedInOmeroWhileItsUnitDescribedItGetsOmeroDeletedOnWhatWasPlaced() throws Exception {
        omero.finished(37, "alice", "lab", "upload", now.get(), f(371, "a.tif"), f(372, "b.tif"));
        OmeroSide deleting = new OmeroSide() { // the user deletes the fileset just as the gateway links its images
            public List<OmeroFileset> filesetsAfter(long a, int l) throws java.io.IOException { return omero.filesetsAfter(a, l); }
            public List<OmeroFileset> filesets(List<Long> ids) throws java.io.IOException { return omero.filesets(ids); }
            public OmeroFileset fileset(long id) throws java.io.IOException { return omero.fileset(id); }
            public List<Long> images(long fs) throws java.io.IOException { return omero.images(fs); }
            public List<Deletion> deletionsAfter(long a, int l) throws java.io.IOException { return omero.deletionsAfter(a, l); }
            public List<Long> filesetsOf(String o) throws java.io.IOException { return omero.filesetsOf(o); }
            public void download(long id, Path to) throws java.io.IOException { omero.download(id, to); }
            public void describe(String user, long fs, List<Long> images, List<java.util.Map.Entry<String, String>> pairs)
                throws java.io.IOException {
                omero.delete(fs, now.get());
                throw new java.io.IOException("omero obj new ImageAnnotationLink: Image:" + images.get(0) + " not found");
            }
        };
        try (Ledger l = open()) {
            ReverseFeed feed = new ReverseFeed(cfg, deleting, l, irods, now::get);
            feed.pollOnce();
            new ReverseWorker(cfg, l, deleting, irods, irods, "g").drain(x -> { });
            for (int i = 0; i < 4; i++) { // past the backoff; the deletion event is read too
                now.addAndGet(120_000);
                feed.pollOnce();
                new ReverseWorker(cfg, l, deleting, irods, irods, "g").drain(x -> { });
            }
            assertEquals(Ledger.DONE, l.stateOf("Fileset:37"));
            for (String p : List.of("/tempZone/omero/lab/alice/37/a.tif", "/tempZone/omero/lab/alice/37/b.tif")) {
                assertTrue(irods.objects.containsKey(p), "kept: " + p);
                assertTrue(irods.avus.containsKey(p) && irods.avus.get(p).containsKey("omero.deleted"),
                    "no omero.deleted on " + p + ": " + irods.avus.get(p));
            }
        }
    }
}

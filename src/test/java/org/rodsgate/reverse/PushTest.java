package org.rodsgate.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.rodsgate.ledger.Unit;

/** Issue 12, "save to iRODS": `rodsgate push` shares the ledger with the feed, so nothing is placed twice. */
class PushTest {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final FakeOmero omero = new FakeOmero();
    final FakeIrods irods = new FakeIrods();
    final ReverseConfig cfg = ReverseFeedTest.config(Duration.ofSeconds(600), ReverseFeedTest.copy());

    @Test
    void pushPlacesNowAndTheFeedDoesNotPlaceItAgain() throws Exception {
        omero.finished(1, "alice", "lab", "upload", now.get(), FakeOmero.file(11, "a.tif", 10, "home/a/a.tif"));
        omero.finished(2, "alice", "lab", "upload", now.get(), FakeOmero.file(21, "b.tif", 20, "home/a/b.tif"));
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), now::get)) {
            ReverseWorker w = new ReverseWorker(cfg, l, omero, irods, irods, "push");
            Push push = new Push(l, omero, w, "push");
            List<Integer> steps = new ArrayList<>();
            List<Push.Outcome> out = push.push(List.of(1L, 2L), null, (o, n) -> steps.add(n));
            assertEquals(List.of(1, 2), steps);
            assertEquals(List.of("PLACED", "PLACED"), out.stream().map(Push.Outcome::state).toList());
            assertEquals(30, out.stream().mapToLong(Push.Outcome::bytes).sum());
            assertEquals("ALREADY", push.push(List.of(1L), null, (o, n) -> { }).get(0).state());
            new ReverseFeed(cfg, omero, l, irods, now::get).pollOnce();
            assertEquals(0, new ReverseWorker(cfg, l, omero, irods, irods, "g").drain(x -> { }));
            assertEquals(2, irods.writes.size());
            assertTrue(irods.writes.values().stream().allMatch(n -> n == 1));
        }
    }

    @Test
    void aFilesetAnotherGatewayIsPlacingIsLeftToIt() throws Exception {
        omero.finished(3, "alice", "lab", "upload", now.get(), FakeOmero.file(31, "a.tif", 10, "home/a/a.tif"));
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), now::get)) {
            l.enqueue(Unit.fileset(3, "alice", null));
            l.claim("other", Duration.ofMinutes(5), Unit.Direction.REVERSE).orElseThrow();
            Push push = new Push(l, omero, new ReverseWorker(cfg, l, omero, irods, irods, "push"), "push");
            assertEquals("ELSEWHERE", push.push(List.of(3L), null, (o, n) -> { }).get(0).state());
            assertTrue(irods.calls.isEmpty());
        }
    }

    @Test
    void aBadObjectIsRefusedWithItsName() throws Exception {
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), now::get)) {
            Push push = new Push(l, omero, null, "push");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> push.filesets("Plate:3"));
            assertTrue(e.getMessage().contains("'Plate:3'"), e.getMessage());
            var nf = assertThrows(java.nio.file.NoSuchFileException.class, () -> push.filesets("Fileset:99"));
            assertTrue(nf.getFile().equals("Fileset:99") && nf.getReason().contains("no fileset behind it"),
                nf.getMessage());
        }
    }

    @Test
    void aPercentInThePushCollectionIsTakenLiterally() {
        OmeroFileset fs = omero.finished(4, "alice", "lab", "upload", now.get(), FakeOmero.file(41, "a.tif", 1, "a.tif"));
        var rule = new ReverseWorker(cfg, null, omero, irods, irods, "push").ruleFor(fs, "/z/100%user%/");
        assertEquals("/z/100%%user%%/%fileset%/%name%", rule.template());
    }
}

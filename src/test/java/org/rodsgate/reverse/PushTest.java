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
import org.rodsgate.reverse.place.PlacementRule;

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
    static ReverseConfig rules(PlacementRule... rules) {
        List<ReverseConfig.Rule> r = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            r.add(new ReverseConfig.Rule(i == rules.length - 1 ? "*" : "group:g" + i, rules[i]));
        }
        return new ReverseConfig(r, Path.of("/OMERO/ManagedRepository"), Path.of("/mnt/irods"), Duration.ofSeconds(10),
            3, Duration.ofSeconds(600), 1000, Duration.ofMinutes(120), Duration.ofDays(7), 3, Duration.ofSeconds(30),
            java.util.Map.of(), "omero.example.org:4064", true, null, null, "g", Duration.ofSeconds(5), 0, null);
    }

    static final PlacementRule IN_PLACE = new PlacementRule(PlacementRule.Kind.IN_PLACE, null, null, null, null, 0);

    /** newcomer2 H1: `push --to` copies an upload whatever the configured rule (here the catch-all in_place). */
    @Test
    void pushToCopiesAnUploadWhateverTheRule() throws Exception {
        for (PlacementRule configured : List.of(IN_PLACE,
            new PlacementRule(PlacementRule.Kind.MANAGED_ON_MOUNT, null, null, null, null, 0))) {
            FakeIrods irods = new FakeIrods();
            ReverseConfig c = rules(configured);
            omero.finished(63, "alice", "lab", "upload", now.get(), FakeOmero.file(631, "a1.tif", 10,
                "tmp/newcomer trial/data/a1.tif"));
            try (Ledger l = Ledger.sqlite(dir.resolve(configured.kind() + ".db"), now::get)) {
                Push push = new Push(l, omero, new ReverseWorker(c, l, omero, irods, irods, "push"), "push");
                Push.Outcome o = push.push(List.of(63L), "/tempZone/home/rods/pushed", (x, n) -> { }).get(0);
                assertEquals("PLACED", o.state(), o.line());
                assertEquals(List.of("place Fileset:63 COPY"), irods.calls);
                assertEquals(java.util.Set.of("/tempZone/home/rods/pushed/63/a1.tif"), irods.writes.keySet());
            }
        }
    }

    /** newcomer2 H1: ... but a fileset really imported in place from the mount is described where it is. */
    @Test
    void pushToOfAnInPlaceImportDescribesItWhereItIs() throws Exception {
        ReverseConfig c = rules(ReverseFeedTest.copy());
        omero.finished(64, "alice", "lab", "ln_s", now.get(), FakeOmero.file(641, "c.tif", 10,
            "mnt/irods/tempZone/inbox/c.tif"));
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), now::get)) {
            Push push = new Push(l, omero, new ReverseWorker(c, l, omero, irods, irods, "push"), "push");
            Push.Outcome o = push.push(List.of(64L), "/tempZone/home/rods/pushed", (x, n) -> { }).get(0);
            assertEquals("PLACED", o.state(), o.line());
            assertEquals(List.of("place Fileset:64 IN_PLACE"), irods.calls);
            assertTrue(irods.writes.isEmpty());
        }
    }

    /** newcomer2 M4: `push --to` keeps a configured copy rule's window (and says it waits, not FAILED). */
    @Test
    void pushToKeepsTheCopyRulesWindowAndSaysItWaits() throws Exception {
        ReverseConfig c = rules(new PlacementRule(PlacementRule.Kind.COPY, ReverseFeedTest.copy().template(), null,
            java.time.LocalTime.of(22, 0), java.time.LocalTime.of(3, 0), 5000));
        OmeroFileset fs = omero.finished(65, "alice", "lab", "upload", now.get(), FakeOmero.file(651, "a.tif", 1, "a.tif"));
        PlacementRule r = new ReverseWorker(c, null, omero, irods, irods, "push").ruleFor(fs, "/z/pushed");
        assertEquals(java.time.LocalTime.of(22, 0), r.windowStart());
        assertEquals(5000, r.bytesPerSecond());
        irods.notBefore = now.get() + 3_600_000;
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), now::get)) {
            Push push = new Push(l, omero, new ReverseWorker(c, l, omero, irods, irods, "push"), "push");
            Push.Outcome o = push.push(List.of(65L), null, (x, n) -> { }).get(0);
            assertEquals("WAITING", o.state(), o.line());
            assertTrue(o.line().contains("not before"), o.line());
            assertEquals(Ledger.PENDING, l.stateOf("Fileset:65"));
        }
    }
}

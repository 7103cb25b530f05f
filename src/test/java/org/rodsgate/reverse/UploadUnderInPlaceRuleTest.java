package org.rodsgate.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;

/**
 * newcomer2 H2: an upload that falls to an {@code in_place} rule (the worked example's catch-all) is not a failure
 * retried N times and parked: it is done at once, "not placed", with the reason (shown by status); nothing is
 * placed, and {@code retry KEY} takes it up again after the rules changed.
 */
class UploadUnderInPlaceRuleTest {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final FakeOmero omero = new FakeOmero();
    final FakeIrods irods = new FakeIrods();

    @Test
    void anUploadFallingToAnInPlaceRuleIsNotPlacedWithTheReasonAtOnce() throws Exception {
        ReverseConfig cfg = PushTest.rules(ReverseFeedTest.copy(), PushTest.IN_PLACE); // group:g0 copy, * in_place
        omero.finished(63, "alice", "lab", "upload", now.get(), FakeOmero.file(631, "a1.tif", 10,
            "tmp/newcomer trial/data/a1.tif"));
        omero.finished(66, "bob", "lab", "ln_s", now.get(), FakeOmero.file(661, "b.tif", 10, "data/elsewhere/b.tif"));
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), now::get)) {
            l.enqueue(Unit.fileset(63, "alice", null));
            l.enqueue(Unit.fileset(66, "bob", null));
            ReverseWorker w = new ReverseWorker(cfg, l, omero, irods, irods, "g");
            List<String> lines = new java.util.ArrayList<>();
            assertEquals(0, w.drain(lines::add));
            assertTrue(irods.calls.isEmpty(), irods.calls.toString());
            assertEquals(Ledger.DONE, l.stateOf("Fileset:63"));
            assertEquals(Ledger.DONE, l.stateOf("Fileset:66"));
            String errors = String.join("\n", l.status(Unit.Direction.REVERSE).lastErrors());
            assertTrue(errors.contains("Fileset:63 [done, 0 attempts]: not placed: rule '*' is in_place")
                && errors.contains("uploaded (transfer upload)") && errors.contains("put a copy rule"), errors);
            assertTrue(errors.contains("Fileset:66 [done, 0 attempts]: not placed")
                && errors.contains("imported by link from outside the mount /mnt/irods (e.g. /data/elsewhere/b.tif)"),
                errors);
            // nothing due again: not retried N times
            now.addAndGet(86_400_000L);
            assertEquals(0, w.drain(x -> { }));
            assertTrue(irods.calls.isEmpty());
            // retry KEY (e.g. after a copy rule was added) takes it up again; push does too
            assertEquals(1, l.retry("Fileset:63", Unit.Direction.REVERSE));
            assertEquals(Ledger.PENDING, l.stateOf("Fileset:63"));
            ReverseConfig copyAll = PushTest.rules(ReverseFeedTest.copy());
            assertEquals(1, new ReverseWorker(copyAll, l, omero, irods, irods, "g").drain(x -> { }));
            assertEquals(List.of("place Fileset:63 COPY"), irods.calls);
            Push push = new Push(l, omero, new ReverseWorker(copyAll, l, omero, irods, irods, "p"), "p");
            assertEquals("PLACED", push.push(List.of(66L), null, (o, n) -> { }).get(0).state());
        }
    }
}

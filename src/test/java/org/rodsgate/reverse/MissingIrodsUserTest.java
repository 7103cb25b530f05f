package org.rodsgate.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;

/** newcomer2 M6: an OMERO owner without an iRODS user is parked at once, naming the mapping to fix. */
class MissingIrodsUserTest {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final FakeOmero omero = new FakeOmero();
    final FakeIrods irods = new FakeIrods();

    @Test
    void aMissingIrodsUserIsParkedAtOnceNamingTheMapping() throws Exception {
        omero.finished(63, "alice", "lab", "upload", now.get(), FakeOmero.file(631, "a1.tif", 10, "data/a1.tif"));
        irods.failWith = new IrodsException(ErrorCode.CAT_INVALID_CLIENT_USER.code, "authentication failed: no iRODS"
            + " user alice#tempZone at localhost:1247 for rods to act as (CAT_INVALID_CLIENT_USER)", true, null);
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), now::get)) {
            l.enqueue(Unit.fileset(63, "alice", null));
            ReverseWorker w = new ReverseWorker(PushTest.rules(ReverseFeedTest.copy()), l, omero, irods, irods, "g");
            w.drain(x -> { });
            assertEquals(Ledger.PARKED, l.stateOf("Fileset:63"), "parked after one attempt, not retried N times");
            String errors = String.join("\n", l.status(Unit.Direction.REVERSE).lastErrors());
            assertTrue(errors.contains("OMERO user alice maps to iRODS user alice") && errors.contains("reverse.user_map")
                && errors.contains("rodsgate retry Fileset:63"), errors);
            irods.failWith = null;
            assertEquals(1, l.retry("Fileset:63", Unit.Direction.REVERSE));
            assertEquals(1, w.drain(x -> { }));
        }
    }
}

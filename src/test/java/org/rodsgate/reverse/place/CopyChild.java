package org.rodsgate.reverse.place;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;

/**
 * A separate process for {@link IrodsPlacementKillTest}: copies one file with IrodsPlacement COPY at a capped rate
 * and prints "sent N" after each chunk, so the test can kill it with SIGKILL in the middle.
 * Arguments: port, repository dir, template, file id, OriginalFile.path, name, size, SHA-1 hex, bytes per second.
 */
public final class CopyChild {
    private CopyChild() {}

    public static void main(String[] a) throws Exception {
        IrodsAccount rods = IrodsAccount.of("localhost", Integer.parseInt(a[0]), "tempZone", "rods", "rods");
        try (ConnectionPool pool = new ConnectionPool()) {
            IrodsPlacement p = new IrodsPlacement(pool, rods, Path.of(a[1]), null, null, null,
                new IrodsPlacement.Tuning(64 << 10, ZoneOffset.UTC, System::currentTimeMillis));
            AtomicLong sent = new AtomicLong();
            p.onChunk((b, off, n) -> {
                System.out.println("sent " + sent.addAndGet(n));
                System.out.flush();
            });
            OmeroOriginalFile f = new OmeroOriginalFile(Long.parseLong(a[3]), a[4], a[5], Long.parseLong(a[6]), a[7],
                "SHA1-160", a[4] + a[5]);
            OmeroFileset fs = new OmeroFileset(Long.parseLong(a[3]), "rods", "lab", a[4], "upload", true, 1, 0,
                List.of(f));
            p.place(new PlacementRule(PlacementRule.Kind.COPY, a[2], null, null, null, Long.parseLong(a[8])), fs,
                "rods");
            System.out.println("done");
        }
    }
}

package org.rodsgate.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
import org.rodsgate.ledger.Ledger;
import org.rodsgate.omero.OmeroCli;
import org.rodsgate.testing.WithSandbox;

/**
 * Issue 12, attack (b12c): a hidden work object (a reverse copy cut by a crash or stalled by its bandwidth cap, a
 * mount write paused) settles like any object; it is never imported, whatever watch.exclude says — it is
 * incomplete, and its bytes reach OMERO under the final name once renamed.
 */
class WatcherWorkObjectAttackTest extends WithSandbox {
    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aStalledWorkObjectInAWatchedCollectionIsNeverImportedEvenWithoutTheHiddenExclude() throws Exception {
        Path mnt = dir.resolve("mnt");
        String w = "/tempZone/home/rods/work-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods()); ConnectionPool pool = new ConnectionPool();
             Ledger ledger = Ledger.sqlite(dir.resolve("ledger.db"), now::get)) {
            s.mkdir(w + "/D", true);
            WatchConfig cfg = new WatchConfig(List.of(w), mnt, Duration.ofSeconds(5), Duration.ofSeconds(2),
                List.of("*"), List.of("*.tmp"), "owner", null, Map.of(), null, dir.resolve("ledger.db"), null, null,
                null, 3, Duration.ofSeconds(1), "test", List.of(), WatcherStatesTest.settings(),
                WatchConfig.OnChange.STALE, Duration.ofSeconds(5));
            Watcher watcher = new Watcher(cfg, new ChangeFeed(pool, sandbox.rods(), List.of(w)), ledger, null,
                new OmeroCli(WatcherStatesTest.settings(), WatcherStatesTest.dashF()), null, now::get);
            for (String name : List.of(".rodsgate-part-0123456789abcdef", ".rodsgate-gone-fedcba9876543210",
                "x.tif")) {
                IrodsSession.OpenFile f = s.create(w + "/D/" + name);
                s.write(f.fd(), new byte[7], 0, 7);
                s.close(f.fd());
                Files.createDirectories(Path.of(mnt + w + "/D"));
                Files.write(Path.of(mnt + w + "/D/" + name), new byte[7]);
            }
            watcher.pollOnce();
            now.addAndGet(6000);
            assertEquals(1, watcher.pollOnce(), "only x.tif is queued");
            for (Ledger.ObjectState o : ledger.objects(null, 100)) {
                if (o.path().contains(".rodsgate-")) {
                    assertEquals(Ledger.EXCLUDED, o.state(), o.path());
                    assertTrue(o.reason().contains("work object"), o.reason());
                }
            }
            assertEquals(w + "/D/x.tif", ledger.claim("t", Duration.ofMinutes(1)).orElseThrow().unit().key());
            assertTrue(ledger.claim("t", Duration.ofMinutes(1)).isEmpty());
        }
    }
}

package org.rodsgate.watch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.testing.WithSandbox;

/** Failing input 7, same kind: a watched path that can never hold data objects is refused, not silently watched. */
class GatewayTest extends WithSandbox {
    @TempDir
    Path dir;

    @Test
    void aWatchedDataObjectIsRefusedWithTheReason() throws Exception {
        String p = "/tempZone/home/rods/not-a-collection-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.close(s.create(p).fd());
        }
        WatchConfig cfg = new WatchConfig(List.of(p), dir, Duration.ofSeconds(5), Duration.ofSeconds(2), List.of("*"),
            List.of(), "owner", null, Map.of(), null, dir.resolve("ledger.db"), null, null, null, 3,
            Duration.ofSeconds(1), "t", List.of(), WatcherStatesTest.settings(), WatchConfig.OnChange.STALE,
            Duration.ofSeconds(5));
        ConfigException e = assertThrows(ConfigException.class,
            () -> Gateway.start(cfg, sandbox.rods(), null, null, false).close());
        assertTrue(e.getMessage().contains(p) && e.getMessage().contains("not a collection"), e.getMessage());
    }
}

package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.testing.WithSandbox;

/**
 * Issue 12, attack (b12c): the paths a placement announces before it starts are the paths it then writes — the
 * worker records them first, so the watcher never imports a file switched in while its fileset still copies.
 */
class PlacementTargetsAttackTest extends WithSandbox {
    @TempDir
    Path repo;
    ConnectionPool pool;
    String base;

    @BeforeEach
    void setUp() throws Exception {
        pool = new ConnectionPool();
        base = "/tempZone/home/rods/targets-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.mkdir(base, true);
        }
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    OmeroOriginalFile file(long id, String dir, String name, byte[] bytes) throws Exception {
        Path p = repo.resolve(dir + name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return new OmeroOriginalFile(id, dir, name, bytes.length, IrodsPlacementTest.sha1(bytes), "SHA1-160",
            "home/alice/" + dir + name);
    }

    @Test
    void theTargetsAnnouncedBeforeACopyAreTheObjectsItWrites() throws Exception {
        IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), repo, Path.of("/mnt/irods"), null, null,
            new IrodsPlacement.Tuning(1 << 16, ZoneOffset.UTC, () -> IrodsPlacementTest.NOON_UTC));
        OmeroFileset fs = IrodsPlacementTest.fileset(140, "lab", List.of(
            file(1, "u/", "a b.tif", IrodsPlacementTest.random(10, 1)),
            file(2, "u/sub/", "ü.tif", IrodsPlacementTest.random(20, 2))));
        for (String template : List.of(base + "/%group%/%user%/%fileset%/%name%",
            base + "/%omeroUser%/%year%-%month%-%day%/%fileset%/%clientPath%")) {
            PlacementRule rule = new PlacementRule(PlacementRule.Kind.COPY, template, null, null, null, 0);
            List<String> announced = p.targets(rule, fs, "rods");
            List<String> written = p.place(rule, fs, "rods").stream().map(Placed::irodsPath).toList();
            assertEquals(written, announced, template);
        }
        assertEquals(List.of(), p.targets(new PlacementRule(PlacementRule.Kind.IN_PLACE, null, null, null, null, 0),
            fs, "rods"), "in place writes nothing");
    }
}

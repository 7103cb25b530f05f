package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.Acl;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.testing.SandboxFixture;
import org.rodsgate.testing.WithSandbox;

/** IrodsAvuDescription against the in-process sandbox: AVUs, ACLs, deletions. */
class IrodsAvuDescriptionTest extends WithSandbox {
    ConnectionPool pool;
    final AtomicLong now = new AtomicLong(1_764_561_600_000L); // 2025-12-01T04:00:00Z
    String base;

    @BeforeEach
    void setUp() throws Exception {
        pool = new ConnectionPool();
        base = "/tempZone/home/alice/described-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            s.mkdir(base, true);
        }
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    List<Placed> objects(String... names) throws Exception {
        List<Placed> out = new ArrayList<>();
        try (IrodsSession s = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            long id = 100;
            for (String n : names) {
                IrodsSession.OpenFile f = s.create(base + "/" + n);
                s.write(f.fd(), n.getBytes(), 0, n.length());
                s.close(f.fd());
                out.add(new Placed(new OmeroOriginalFile(id++, "p/", n, n.length(), null, null, "data/" + n),
                    base + "/" + n, "", "copied"));
            }
        }
        return out;
    }

    static OmeroFileset fileset() {
        return new OmeroFileset(77, "alice", "lab", "p/", "upload", true, 2, 0, List.of());
    }

    static List<String> values(List<Avu> avus, String attr) {
        return avus.stream().filter(a -> a.attribute().equals(attr)).map(Avu::value).sorted().toList();
    }

    @Test
    void avusAreSetAndASecondCallChangesNothing() throws Exception {
        List<Placed> placed = objects("a.tif", "b it's.tif");
        IrodsAvuDescription d = new IrodsAvuDescription(pool, sandbox.rods(), now::get);
        PlacementRule copy = new PlacementRule(PlacementRule.Kind.COPY, "x", null, null, null, 0);
        d.describe(placed, fileset(), List.of(5L, 6L), "omero.example.org:4064", "alice", copy);
        List<Avu> first;
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            first = s.listAvus(placed.get(1).irodsPath(), false);
        }
        assertEquals(List.of("77"), values(first, "omero.fileset"));
        assertEquals(List.of("5", "6"), values(first, "omero.image"));
        assertEquals(List.of("alice"), values(first, "omero.owner"));
        assertEquals(List.of("lab"), values(first, "omero.group"));
        assertEquals(List.of("omero.example.org:4064"), values(first, "omero.server"));
        assertEquals(List.of("data/b it's.tif"), values(first, "omero.clientPath"));
        assertEquals(List.of("2025-12-01T04:00:00Z"), values(first, "omero.registered"));
        now.addAndGet(3_600_000);
        d.describe(placed, fileset(), List.of(5L, 6L), "omero.example.org:4064", "alice", copy);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            List<Avu> second = s.listAvus(placed.get(1).irodsPath(), false);
            assertEquals(first.size(), second.size(), "no AVU added twice: " + second);
            assertEquals(List.of("2025-12-01T04:00:00Z"), values(second, "omero.registered"),
                "the time of the first description is kept");
        }
        d.describe(placed, fileset(), List.of(6L, 9L), "omero.example.org:4064", "alice", copy);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertEquals(List.of("6", "9"), values(s.listAvus(placed.get(0).irodsPath(), false), "omero.image"));
        }
    }

    @Test
    void registerRuleGivesTheUserReadOnly() throws Exception {
        String obj = "/tempZone/home/rods/reg-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            IrodsSession.OpenFile f = s.create(obj);
            s.close(f.fd());
        }
        Placed p = new Placed(new OmeroOriginalFile(1, "p/", "r", 0, null, null, "r"), obj, "", "registered");
        new IrodsAvuDescription(pool, sandbox.rods(), now::get).describe(List.of(p), fileset(), List.of(1L), "o:4064",
            "bob", new PlacementRule(PlacementRule.Kind.REGISTER, "x", "demoResc", null, null, 0));
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            List<Acl> acls = s.listAcls(obj, false);
            assertTrue(acls.stream().anyMatch(a -> a.user().equals("bob")
                && a.normalizedAccess().equals("read_object")), acls.toString());
            assertTrue(acls.stream().anyMatch(a -> a.user().equals("rods") && a.normalizedAccess().equals("own")),
                acls.toString());
        }
    }

    @Test
    void markDeletedNeverDeletesAndSkipsWhatIsGone() throws Exception {
        List<Placed> placed = objects("c.tif");
        String path = placed.get(0).irodsPath();
        IrodsAvuDescription d = new IrodsAvuDescription(pool, sandbox.rods(), now::get);
        d.describe(placed, fileset(), List.of(5L), "o:4064", "alice", COPY);
        d.markDeleted(List.of(path, base + "/gone.tif"), 1_764_565_200_000L);
        d.markDeleted(List.of(path, base + "/gone.tif"), 1_764_565_200_000L);
        try (IrodsSession s = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            assertEquals(List.of("2025-12-01T05:00:00Z"), values(s.listAvus(path, false), "omero.deleted"));
            assertEquals(5, s.stat(path).size(), "the object and its bytes are untouched");
            assertArrayEquals("c.tif".getBytes(), IrodsPlacementTest.read(s, path));
        }
    }

    static final PlacementRule COPY = new PlacementRule(PlacementRule.Kind.COPY, "x", null, null, null, 0);

    @Test
    void markDeletedOfObjectsAUserReplacedOrRenamedMarksOnlyTheFilesetsOwn() throws Exception {
        List<Placed> placed = objects("keep.tif", "renamed.tif", "replaced.tif");
        IrodsAvuDescription d = new IrodsAvuDescription(pool, sandbox.rods(), now::get);
        d.describe(placed, fileset(), List.of(5L), "o:4064", "alice", COPY);
        String replaced = placed.get(2).irodsPath();
        String renamedTo = base + "/sub/moved by alice.tif";
        String other = "/tempZone/home/alice/other-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            s.mkdir(base + "/sub", true);
            s.rename(placed.get(1).irodsPath(), renamedTo, false);
            s.unlink(replaced);
            IrodsSession.OpenFile f = s.create(replaced);
            s.write(f.fd(), "alice's own".getBytes(), 0, 11);
            s.close(f.fd());
            // the same fileset id from another OMERO server: not this one's
            f = s.create(other);
            s.close(f.fd());
            s.addAvu(other, false, new Avu("omero.fileset", "77", ""));
            s.addAvu(other, false, new Avu("omero.server", "elsewhere:4064", ""));
        }
        d.markDeleted(placed.stream().map(Placed::irodsPath).toList(), 1_764_565_200_000L);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertEquals(List.of("2025-12-01T05:00:00Z"), values(s.listAvus(placed.get(0).irodsPath(), false),
                "omero.deleted"));
            assertEquals(List.of("2025-12-01T05:00:00Z"), values(s.listAvus(renamedTo, false), "omero.deleted"),
                "the object the user renamed is still the fileset's");
            assertEquals(List.of(), values(s.listAvus(replaced, false), "omero.deleted"),
                "what the user put in its place is not OMERO's fileset");
            assertEquals(List.of(), values(s.listAvus(other, false), "omero.deleted"),
                "another OMERO server's fileset 77 is not this one");
        }
    }

    @Test
    void markDeletedOfAFilesetDescribedWithoutAnOmeroServerStillMarksIt() throws Exception {
        List<Placed> placed = objects("noserver.tif");
        IrodsAvuDescription d = new IrodsAvuDescription(pool, sandbox.rods(), now::get);
        d.describe(placed, fileset(), List.of(5L), null, "alice", COPY);
        d.markDeleted(List.of(placed.get(0).irodsPath()), 1_764_565_200_000L);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertEquals(List.of("2025-12-01T05:00:00Z"), values(s.listAvus(placed.get(0).irodsPath(), false),
                "omero.deleted"));
        }
    }
}

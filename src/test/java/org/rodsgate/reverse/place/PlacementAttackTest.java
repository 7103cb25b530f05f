package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rodsgate.reverse.place.IrodsPlacementTest.fileset;
import static org.rodsgate.reverse.place.IrodsPlacementTest.putObject;
import static org.rodsgate.reverse.place.IrodsPlacementTest.random;
import static org.rodsgate.reverse.place.IrodsPlacementTest.read;
import static org.rodsgate.reverse.place.IrodsPlacementTest.sha1;
import static org.rodsgate.reverse.place.IrodsPlacementTest.workObjects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.irods.ApiNumber;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.testing.WithSandbox;

/** Inputs that tried to break IrodsPlacement (b12p): each test named after its input. */
class PlacementAttackTest extends WithSandbox {
    @TempDir
    Path repo;
    @TempDir
    Path outside;
    ConnectionPool pool;
    String base;

    @BeforeEach
    void setUp() throws Exception {
        pool = new ConnectionPool();
        base = "/tempZone/home/rods/attack-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.mkdir(base, true);
        }
    }

    @AfterEach
    void tearDown() {
        sandbox.server.faults().clear();
        pool.close();
    }

    IrodsPlacement placement(ConnectionPool p, int chunk) {
        return new IrodsPlacement(p, sandbox.rods(), repo, Path.of("/mnt/irods"), null, null,
            new IrodsPlacement.Tuning(chunk, ZoneOffset.UTC, () -> IrodsPlacementTest.NOON_UTC));
    }

    static PlacementRule copy(String template) {
        return new PlacementRule(PlacementRule.Kind.COPY, template, null, null, null, 0);
    }

    static PlacementRule register(String template) {
        return new PlacementRule(PlacementRule.Kind.REGISTER, template, "demoResc", null, null, 0);
    }

    OmeroOriginalFile file(long id, String dir, String name, byte[] bytes) throws Exception {
        Path p = repo.resolve(dir + name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return new OmeroOriginalFile(id, dir, name, bytes.length, sha1(bytes), "SHA1-160", dir + name);
    }

    @Test
    void twoGatewaysPlacingTheSameFilesetAtOnceLeaveOneByteIdenticalObject() throws Exception {
        byte[] a = random(3_000_000, 21);
        OmeroFileset fs = fileset(101, "lab", List.of(file(1, "u/", "same.bin", a)));
        PlacementRule rule = copy(base + "/%fileset%/%name%");
        ExecutorService ex = Executors.newFixedThreadPool(2);
        List<Future<List<Placed>>> got = new ArrayList<>();
        List<ConnectionPool> pools = List.of(new ConnectionPool(), new ConnectionPool());
        try {
            for (ConnectionPool p : pools) {
                IrodsPlacement pl = placement(p, 32 << 10);
                pl.onChunk((b, off, n) -> {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                });
                got.add(ex.submit((Callable<List<Placed>>) () -> pl.place(rule, fs, "rods")));
            }
            int ok = 0;
            for (Future<List<Placed>> f : got) {
                try {
                    f.get();
                    ok++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
                }
            }
            assertTrue(ok >= 1, "at least one of the two placements succeeds");
            // whichever failed succeeds on its retry, finding the finished object
            assertEquals("found", placement(pool, 32 << 10).place(rule, fs, "rods").get(0).how());
            try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
                assertArrayEquals(a, read(s, base + "/101/same.bin"));
                assertEquals(List.of(), workObjects(s, base + "/101"));
            }
        } finally {
            ex.shutdownNow();
            pools.forEach(ConnectionPool::close);
        }
    }

    @Test
    void targetExistingWithDifferentBytesOfTheSameSizeIsNeverOverwritten() throws Exception {
        byte[] a = random(50_000, 22);
        byte[] other = random(50_000, 23);
        OmeroFileset fs = fileset(102, "lab", List.of(file(2, "u/", "t.bin", a)));
        IrodsPlacement cut = placement(pool, 16 << 10);
        AtomicLong sent = new AtomicLong();
        cut.onChunk((b, off, n) -> {
            if (sent.addAndGet(n) > 20_000) {
                throw new IOException("cut");
            }
        });
        assertThrows(IOException.class, () -> cut.place(copy(base + "/%fileset%/%name%"), fs, "rods"));
        putObject(base + "/102/t.bin", other); // someone else's object appears under the name meanwhile
        IOException e = assertThrows(IOException.class,
            () -> placement(pool, 1 << 16).place(copy(base + "/%fileset%/%name%"), fs, "rods"));
        assertTrue(e.getMessage().contains("not overwritten"), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(other, read(s, base + "/102/t.bin"));
            assertEquals(List.of(), workObjects(s, base + "/102"));
        }
    }

    @Test
    void diskFullDuringACopyFailsClearlyAndTheRetryCompletes() throws Exception {
        byte[] a = random(1_000_000, 24);
        OmeroFileset fs = fileset(103, "lab", List.of(file(3, "u/", "full.bin", a)));
        PlacementRule rule = copy(base + "/%fileset%/%name%");
        IrodsPlacement p = placement(pool, 64 << 10);
        AtomicLong chunks = new AtomicLong();
        p.onChunk((b, off, n) -> {
            if (chunks.incrementAndGet() == 5) {
                sandbox.server.faults().failApi(ApiNumber.DATA_OBJ_WRITE, ErrorCode.SYS_RESC_QUOTA_EXCEEDED.code, 1);
            }
        });
        IOException e = assertThrows(IOException.class, () -> p.place(rule, fs, "rods"));
        assertTrue(e.getMessage().contains("QUOTA") && e.getMessage().contains(base + "/103/full.bin"),
            e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/103/full.bin"));
        }
        List<Placed> placed = placement(pool, 64 << 10).place(rule, fs, "rods");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
            assertEquals(List.of(), workObjects(s, base + "/103"));
        }
    }

    @Test
    void localFileChangedBetweenAttemptsIsRefusedNeverMixed() throws Exception {
        byte[] a = random(1_000_000, 25);
        OmeroOriginalFile f = file(4, "u/", "chg.bin", a);
        OmeroFileset fs = fileset(104, "lab", List.of(f));
        PlacementRule rule = copy(base + "/%fileset%/%name%");
        IrodsPlacement p = placement(pool, 64 << 10);
        AtomicLong sent = new AtomicLong();
        p.onChunk((b, off, n) -> {
            if (sent.addAndGet(n) > 500_000) {
                throw new IOException("cut");
            }
        });
        assertThrows(IOException.class, () -> p.place(rule, fs, "rods"));
        byte[] b = a.clone();
        b[10] ^= 1; // the prefix iRODS holds differs now
        Files.write(repo.resolve(f.repoPath()), b);
        IOException e = assertThrows(IOException.class, () -> placement(pool, 64 << 10).place(rule, fs, "rods"));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/104/chg.bin"));
            assertEquals(List.of(), workObjects(s, base + "/104"));
        }
    }

    @Test
    void namesWithNewlinePercentAndQuotesRoundTrip() throws Exception {
        byte[] a = random(100, 26);
        String odd = "line1\nline2 100% \"q\" 'q' \\ %%name%% tab\t.tif";
        OmeroFileset fs = fileset(105, "lab", List.of(file(5, "u/", odd, a)));
        List<Placed> placed = placement(pool, 1 << 16).place(copy(base + "/%fileset%/%name%"), fs, "rods");
        assertEquals(base + "/105/" + odd, placed.get(0).irodsPath());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
        }
    }

    @Test
    void aNameLongerThanIrodsAllowsIsRefusedNamingIt() throws Exception {
        String longName = "n".repeat(250) + ".tif";
        OmeroFileset fs = fileset(106, "lab", List.of(file(6, "u/", longName, random(10, 27))));
        String deep = base + "/" + "d".repeat(200) + "/" + "e".repeat(200) + "/" + "f".repeat(200) + "/"
            + "g".repeat(200) + "/%fileset%/%name%";
        IOException e = assertThrows(IOException.class, () -> placement(pool, 1 << 16).place(copy(deep), fs, "rods"));
        assertTrue(e.getMessage().contains(longName), e.getMessage());
    }

    @Test
    void registerOfARepositoryPathWithDotDotIsRefused() throws Exception {
        Path secret = outside.resolve("secret.txt");
        Files.writeString(secret, "not OMERO's");
        Path rel = repo.relativize(secret);
        String dir = rel.getParent().toString() + "/";
        OmeroOriginalFile f = new OmeroOriginalFile(7, dir, "secret.txt", 11, null, null, "secret.txt");
        IOException e = assertThrows(IOException.class,
            () -> placement(pool, 1 << 16).place(register(base + "/%fileset%/%name%"), fileset(107, "lab",
                List.of(f)), "rods"));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/107/secret.txt"));
        }
    }

    @Test
    void registerOfASymlinkThatEscapesTheRepositoryIsRefused() throws Exception {
        Path secret = outside.resolve("secret2.txt");
        Files.writeString(secret, "not OMERO's");
        Files.createDirectories(repo.resolve("u"));
        Files.createSymbolicLink(repo.resolve("u/link.txt"), secret);
        OmeroOriginalFile f = new OmeroOriginalFile(8, "u/", "link.txt", 11, null, null, "link.txt");
        IOException e = assertThrows(IOException.class,
            () -> placement(pool, 1 << 16).place(register(base + "/%fileset%/%name%"), fileset(108, "lab",
                List.of(f)), "rods"));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/108/link.txt"));
        }
    }

    @Test
    void registerOfADirectoryIsRefusedNamingIt() throws Exception {
        Files.createDirectories(repo.resolve("u/adir.tif"));
        OmeroOriginalFile f = new OmeroOriginalFile(9, "u/", "adir.tif", 0, null, null, "adir.tif");
        IOException e = assertThrows(IOException.class,
            () -> placement(pool, 1 << 16).place(register(base + "/%fileset%/%name%"), fileset(109, "lab",
                List.of(f)), "rods"));
        assertTrue(e.getMessage().contains("adir.tif"), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/109/adir.tif"));
        }
    }

    @Test
    void describeWithUnicodeQuotesNewlinesInEveryValueRoundTrips() throws Exception {
        byte[] a = random(10, 28);
        String name = "ß 数据 'q' \"d\"\nline.tif";
        OmeroOriginalFile f = file(10, "u/", name, a);
        OmeroFileset fs = new OmeroFileset(110, "ölaf 'o", "lab \"x\" ü", "u/", "upload", true, 1,
            IrodsPlacementTest.NOON_UTC, List.of(f));
        List<Placed> placed = placement(pool, 1 << 16).place(copy(base + "/%fileset%/%name%"), fs, "rods");
        IrodsAvuDescription d = new IrodsAvuDescription(pool, sandbox.rods());
        d.describe(placed, fs, List.of(1L), "omero:4064", "rods", copy("x"));
        d.describe(placed, fs, List.of(1L), "omero:4064", "rods", copy("x"));
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            List<org.rodsgate.irods.Avu> avus = s.listAvus(placed.get(0).irodsPath(), false);
            assertEquals(List.of("ölaf 'o"), IrodsAvuDescriptionTest.values(avus, "omero.owner"));
            assertEquals(List.of("lab \"x\" ü"), IrodsAvuDescriptionTest.values(avus, "omero.group"));
            assertEquals(List.of("u/" + name), IrodsAvuDescriptionTest.values(avus, "omero.clientPath"));
            assertEquals(7, avus.size(), avus.toString());
        }
    }

    @Test
    void describeForAnIrodsUserThatDoesNotExistFailsNamingUserAndPath() throws Exception {
        OmeroOriginalFile f = file(11, "u/", "nouser.tif", random(10, 29));
        OmeroFileset fs = fileset(111, "lab", List.of(f));
        List<Placed> placed = placement(pool, 1 << 16).place(register(base + "/%fileset%/%name%"), fs, "rods");
        IOException e = assertThrows(IOException.class, () -> new IrodsAvuDescription(pool, sandbox.rods())
            .describe(placed, fs, List.of(1L), "omero:4064", "nosuchuser", register("x")));
        assertTrue(e.getMessage().contains("nosuchuser") && e.getMessage().contains(base + "/111/nouser.tif"),
            e.getMessage());
    }

    @Test
    void connectionCutMidCopyThenRetryContinuesByteIdentical() throws Exception {
        byte[] a = random(2_000_000, 30);
        OmeroFileset fs = fileset(112, "lab", List.of(file(12, "u/", "cut.bin", a)));
        PlacementRule rule = copy(base + "/%fileset%/%name%");
        IrodsPlacement p = placement(pool, 64 << 10);
        AtomicLong chunks = new AtomicLong();
        p.onChunk((b, off, n) -> {
            if (chunks.incrementAndGet() == 10) {
                sandbox.server.faults().cutAfterBytes(200); // a few write replies more, then the socket is cut
            }
        });
        IOException e = assertThrows(IOException.class, () -> p.place(rule, fs, "rods"));
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/112/cut.bin"), "nothing under the final name: " + e.getMessage());
        }
        List<Placed> placed = null;
        for (int i = 0; i < 50 && placed == null; i++) { // until the server has let go of the dead connection
            try {
                placed = placement(pool, 64 << 10).place(rule, fs, "rods");
            } catch (IOException retry) {
                Thread.sleep(100);
            }
        }
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
            assertEquals(List.of(), workObjects(s, base + "/112"));
        }
    }

    String workName(OmeroOriginalFile f, String target) {
        return org.rodsgate.fs.open.WorkNames.part(target, f.id() + "|" + f.size() + "|" + f.hasher() + "|"
            + f.hash());
    }

    @Test
    void aWorkObjectHoldingOtherBytesIsNotTrustedTheCopyStartsOver() throws Exception {
        byte[] a = random(500_000, 31);
        OmeroOriginalFile f = file(13, "u/", "w.bin", a);
        String target = base + "/113/w.bin";
        putObject(workName(f, target), random(200_000, 32));
        List<Placed> placed = placement(pool, 64 << 10).place(copy(base + "/%fileset%/%name%"),
            fileset(113, "lab", List.of(f)), "rods");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
            assertEquals(List.of(), workObjects(s, base + "/113"));
        }
    }

    @Test
    void aWorkObjectLongerThanTheFileIsStartedAfresh() throws Exception {
        byte[] a = random(100_000, 33);
        OmeroOriginalFile f = file(14, "u/", "l.bin", a);
        String target = base + "/114/l.bin";
        putObject(workName(f, target), random(300_000, 34));
        List<Placed> placed = placement(pool, 64 << 10).place(copy(base + "/%fileset%/%name%"),
            fileset(114, "lab", List.of(f)), "rods");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
            assertEquals(List.of(), workObjects(s, base + "/114"));
        }
    }

    @Test
    void templateWithoutTheFilesetMakingTwoFilesetsCollideIsRefusedNotShared() throws Exception {
        byte[] a = random(1000, 35);
        OmeroFileset first = fileset(115, "lab", List.of(file(15, "u/", "same name.tif", a)));
        OmeroFileset second = fileset(116, "lab", List.of(file(16, "v/", "same name.tif", a)));
        IrodsAvuDescription d = new IrodsAvuDescription(pool, sandbox.rods());
        for (PlacementRule rule : List.of(copy(base + "/c/%name%"), register(base + "/r/%name%"))) {
            List<Placed> placed = placement(pool, 1 << 16).place(rule, first, "rods");
            d.describe(placed, first, List.of(1L), "omero:4064", "rods", rule);
            IOException e = assertThrows(IOException.class, () -> placement(pool, 1 << 16).place(rule, second,
                "rods"));
            assertTrue(e.getMessage().contains("115") && e.getMessage().contains(placed.get(0).irodsPath()),
                e.getMessage());
            try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
                assertEquals(List.of("115"), IrodsAvuDescriptionTest.values(s.listAvus(placed.get(0).irodsPath(),
                    false), "omero.fileset"));
            }
            assertEquals("found", placement(pool, 1 << 16).place(rule, first, "rods").get(0).how(),
                "the fileset that placed it finds it again");
        }
    }

    @Test
    void localFileOfAnotherSizeAfterACutCopyIsRefusedAndItsWorkObjectRemoved() throws Exception {
        byte[] a = random(1_000_000, 36);
        OmeroOriginalFile f = file(17, "u/", "shrunk.bin", a);
        OmeroFileset fs = fileset(117, "lab", List.of(f));
        PlacementRule rule = copy(base + "/%fileset%/%name%");
        IrodsPlacement p = placement(pool, 64 << 10);
        AtomicLong sent = new AtomicLong();
        p.onChunk((b, off, n) -> {
            if (sent.addAndGet(n) > 500_000) {
                throw new IOException("cut");
            }
        });
        assertThrows(IOException.class, () -> p.place(rule, fs, "rods"));
        Files.write(repo.resolve(f.repoPath()), java.util.Arrays.copyOf(a, 300_000));
        IOException e = assertThrows(IOException.class, () -> placement(pool, 64 << 10).place(rule, fs, "rods"));
        assertTrue(e.getMessage().contains("OMERO records 1000000 bytes"), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/117/shrunk.bin"));
            assertEquals(List.of(), workObjects(s, base + "/117"), "no stray work object");
        }
    }

    @Test
    void secondGatewayArrivingMidCopyNeverTouchesTheFirstsWorkObject() throws Exception {
        byte[] a = random(2_000_000, 37);
        OmeroFileset fs = fileset(118, "lab", List.of(file(18, "u/", "mid.bin", a)));
        PlacementRule rule = copy(base + "/%fileset%/%name%");
        java.util.concurrent.CountDownLatch half = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondDone = new java.util.concurrent.CountDownLatch(1);
        IrodsPlacement first = placement(new ConnectionPool(), 64 << 10);
        AtomicLong sent = new AtomicLong();
        first.onChunk((b, off, n) -> {
            if (sent.addAndGet(n) > 1_000_000 && half.getCount() > 0) {
                half.countDown();
                try {
                    secondDone.await(); // the first holds its work object open while the second tries
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        });
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<List<Placed>> one = ex.submit(() -> first.place(rule, fs, "rods"));
            half.await();
            Thread.sleep(300); // the read-ahead chunk is sent, the first's writes are in iRODS
            String outcome;
            try {
                outcome = placement(pool, 64 << 10).place(rule, fs, "rods").get(0).how();
            } catch (IOException e) {
                outcome = e.getMessage();
            } finally {
                secondDone.countDown();
            }
            List<Placed> placed = one.get();
            assertEquals("copied", placed.get(0).how(), "the first copy completes; the second said: " + outcome);
            try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
                assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
                assertEquals(List.of(), workObjects(s, base + "/118"));
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void anEmptyFileIsCopiedVerifiedAndFoundAgain() throws Exception {
        OmeroFileset fs = fileset(119, "lab", List.of(file(19, "u/", "empty.txt", new byte[0])));
        PlacementRule rule = copy(base + "/%fileset%/%name%");
        assertEquals("copied", placement(pool, 1 << 16).place(rule, fs, "rods").get(0).how());
        assertEquals("found", placement(pool, 1 << 16).place(rule, fs, "rods").get(0).how());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertEquals(0, s.stat(base + "/119/empty.txt").size());
            assertEquals(List.of(), workObjects(s, base + "/119"));
        }
    }

    @Test
    void aHasherRodsgateCannotRecomputeStillGetsSizeAndIrodsChecksum() throws Exception {
        byte[] a = random(70_000, 38);
        Path p = repo.resolve("u/crc.bin");
        Files.createDirectories(p.getParent());
        Files.write(p, a);
        OmeroOriginalFile f = new OmeroOriginalFile(20, "u/", "crc.bin", a.length, "1a2b3c4d", "CRC-32", "u/crc.bin");
        List<Placed> placed = placement(pool, 1 << 14).place(copy(base + "/%fileset%/%name%"),
            fileset(120, "lab", List.of(f)), "rods");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
        }
    }

    /** A local directory standing for the mount (the mount shows iRODS "/" there) with {@code obj} in it. */
    Path mountWith(String obj) throws IOException {
        Path mnt = outside.resolve("mnt");
        Path f = mnt.resolve(obj.substring(1));
        Files.createDirectories(f.getParent());
        Files.write(f, new byte[0]);
        return mnt;
    }

    @Test
    void inPlaceClientPathThroughALocalSymlinkIntoTheMountIsFound() throws Exception {
        byte[] a = random(321, 39);
        String obj = base + "/via-alias/s.tif";
        putObject(obj, a);
        Path mnt = mountWith(obj);
        Path alias = Files.createSymbolicLink(outside.resolve("alias"), mnt.resolve("tempZone"));
        OmeroOriginalFile f = new OmeroOriginalFile(21, "t/", "s.tif", a.length, sha1(a), "SHA1-160",
            alias.resolve(obj.substring("/tempZone/".length())).toString().substring(1));
        IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), repo, mnt, null, null,
            new IrodsPlacement.Tuning(1 << 16, ZoneOffset.UTC, () -> IrodsPlacementTest.NOON_UTC));
        List<Placed> placed = p.place(new PlacementRule(PlacementRule.Kind.IN_PLACE, null, null, null, null, 0),
            new OmeroFileset(121, "alice", "lab", "t/", "ln_s", true, 1, 0, List.of(f)), "rods");
        assertEquals(obj, placed.get(0).irodsPath());
    }

    @Test
    void copyOfAFileLinkedIntoTheMountThroughALocalSymlinkIsRefusedNoLoop() throws Exception {
        String obj = base + "/loop-alias/x.tif";
        Path mnt = mountWith(obj);
        Path alias = Files.createSymbolicLink(outside.resolve("alias2"), mnt);
        Files.createDirectories(repo.resolve("la/"));
        Files.createSymbolicLink(repo.resolve("la/x.tif"), alias.resolve(obj.substring(1)));
        OmeroOriginalFile f = new OmeroOriginalFile(22, "la/", "x.tif", 0, null, null, "x.tif");
        IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), repo, mnt, null, null,
            new IrodsPlacement.Tuning(1 << 16, ZoneOffset.UTC, () -> IrodsPlacementTest.NOON_UTC));
        IOException e = assertThrows(IOException.class, () -> p.place(copy(base + "/%fileset%/%name%"),
            fileset(122, "lab", List.of(f)), "rods"));
        assertTrue(e.getMessage().contains("in iRODS already") && e.getMessage().contains(obj), e.getMessage());
    }

    @Test
    void templateWithLiteralPercentSignsWritesThemAsDoubledPercent() throws Exception {
        byte[] a = random(10, 40);
        OmeroFileset fs = fileset(123, "lab", List.of(file(23, "u/", "p%name%.tif", a)));
        List<Placed> placed = placement(pool, 1 << 16).place(copy(base + "/100%%/a%%b%%c/%fileset%%%/%name%"), fs,
            "rods");
        assertEquals(base + "/100%/a%b%c/123%/p%name%.tif", placed.get(0).irodsPath());
        IOException e = assertThrows(IOException.class, () -> placement(pool, 1 << 16).place(
            copy(base + "/a%b%c/%name%"), fs, "rods"));
        assertTrue(e.getMessage().contains("%b%") && e.getMessage().contains("%%"), e.getMessage());
    }

    @Test
    void anotherGatewayFinishingFirstLeavesOneObjectAndNoWorkObject() throws Exception {
        byte[] a = random(300_000, 41);
        OmeroFileset fs = fileset(124, "lab", List.of(file(24, "u/", "race.bin", a)));
        String target = base + "/124/race.bin";
        IrodsPlacement p = placement(pool, 64 << 10);
        AtomicLong sent = new AtomicLong();
        p.onChunk((b, off, n) -> {
            if (sent.addAndGet(n) == a.length) {
                putObject(target, a); // the other gateway's copy is switched in while this one sends its last chunk
            }
        });
        List<Placed> placed = p.place(copy(base + "/%fileset%/%name%"), fs, "rods");
        assertEquals("found", placed.get(0).how());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, target));
            assertEquals(List.of(), workObjects(s, base + "/124"), "this gateway's verified work object is removed");
        }
    }

    @Test
    void copyForAnIrodsUserThatDoesNotExistFailsNamingTheUser() throws Exception {
        OmeroFileset fs = fileset(125, "lab", List.of(file(25, "u/", "nobody.bin", random(10, 42))));
        IOException e = assertThrows(IOException.class, () -> placement(pool, 1 << 16).place(
            copy(base + "/%fileset%/%name%"), fs, "nosuchuser"));
        assertTrue(e.getMessage().contains("nosuchuser"), e.getMessage());
    }

    @Test
    void registerOfAFileAnotherObjectAlreadyRegistersIsRefusedNamingIt() throws Exception {
        byte[] a = random(500, 43);
        OmeroOriginalFile f = file(26, "u/", "twice.tif", a);
        String other = base + "/someone-registered-it.tif";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.register(repo.resolve(f.repoPath()).toRealPath().toString(), other, null, true);
        }
        IOException e = assertThrows(IOException.class, () -> placement(pool, 1 << 16).place(
            register(base + "/%fileset%/%name%"), fileset(126, "lab", List.of(f)), "rods"));
        assertTrue(e.getMessage().contains(other), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/126/twice.tif"), "no second object pointing at OMERO's file");
        }
    }

    @Test
    void aGroupOrOwnerNameWithASlashOnlyMattersToTemplatesThatUseIt() throws Exception {
        byte[] a = random(10, 44);
        OmeroFileset fs = new OmeroFileset(127, "ali/ce", "lab/one", "u/", "upload", true, 1,
            IrodsPlacementTest.NOON_UTC, List.of(file(27, "u/", "slash.tif", a)));
        List<Placed> placed = placement(pool, 1 << 16).place(copy(base + "/%fileset%/%name%"), fs, "rods");
        assertEquals(base + "/127/slash.tif", placed.get(0).irodsPath());
        IOException e = assertThrows(IOException.class, () -> placement(pool, 1 << 16).place(
            copy(base + "/%group%/%name%"), fs, "rods"));
        assertTrue(e.getMessage().contains("lab/one"), e.getMessage());
    }
}

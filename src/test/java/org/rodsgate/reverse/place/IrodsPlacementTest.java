package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.fs.open.WorkNames;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.testing.WithSandbox;

/** IrodsPlacement against the in-process sandbox: copies (resumed, verified, templated, windowed) and lookups. */
class IrodsPlacementTest extends WithSandbox {
    static final long NOON_UTC = ZonedDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();

    @TempDir
    Path repo;
    ConnectionPool pool;
    final AtomicLong now = new AtomicLong(NOON_UTC);
    String base;

    @BeforeEach
    void setUp() throws Exception {
        pool = new ConnectionPool();
        base = "/tempZone/home/rods/reverse-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.mkdir(base, true);
        }
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    IrodsPlacement placement(int chunk) {
        return new IrodsPlacement(pool, sandbox.rods(), repo, Path.of("/mnt/irods"), null, null,
            new IrodsPlacement.Tuning(chunk, ZoneOffset.UTC, now::get));
    }

    PlacementRule copyRule(String template) {
        return new PlacementRule(PlacementRule.Kind.COPY, template, null, null, null, 0);
    }

    static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    /** Writes a file into the ManagedRepository and describes it as OMERO would. */
    OmeroOriginalFile file(long id, String dir, String name, byte[] bytes, String clientPath) throws Exception {
        Path p = repo.resolve(dir + name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return new OmeroOriginalFile(id, dir, name, bytes.length, sha1(bytes), "SHA1-160", clientPath);
    }

    static OmeroFileset fileset(long id, String group, List<OmeroOriginalFile> files) {
        return new OmeroFileset(id, "alice", group, "alice_2/2026-12/01/12-00-00.000/", "upload", true, 1,
            NOON_UTC, files);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(IrodsSession s, String path) throws IOException {
        IrodsSession.OpenFile f = s.open(path, IrodsSession.O_RDONLY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 20];
        for (int n; (n = s.read(f.fd(), buf, 0, buf.length)) > 0; ) {
            out.write(buf, 0, n);
        }
        s.close(f.fd());
        return out.toByteArray();
    }

    /** Placing {@code fs} fails with a message holding {@code words}. */
    void refused(PlacementRule rule, OmeroFileset fs, String words) {
        IOException e = assertThrows(IOException.class, () -> placement(64 << 10).place(rule, fs, "rods"));
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    /** An object written as rods, its collection made first. */
    static void putObject(String path, byte[] bytes) throws IOException {
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.mkdir(org.rodsgate.irods.Paths.parent(path), true);
            IrodsSession.OpenFile f = s.create(path);
            s.write(f.fd(), bytes, 0, bytes.length);
            s.close(f.fd());
        }
    }

    static List<String> workObjects(IrodsSession s, String coll) throws IOException {
        List<String> out = new ArrayList<>();
        for (ObjStat st : s.list(coll)) {
            if (WorkNames.isWork(st.name())) {
                out.add(st.name());
            }
        }
        return out;
    }

    @Test
    void copyPutsEveryFileUnderTheTemplateWithVerifiedChecksums() throws Exception {
        byte[] a = random(300_000, 1);
        byte[] b = random(5, 2);
        OmeroFileset fs = fileset(41, "lab", List.of(file(1, "alice_2/x/", "a.tif", a, "home/alice/a.tif"),
            file(2, "alice_2/x/sub/", "b.txt", b, "home/alice/sub/b.txt")));
        List<Placed> placed = placement(64 << 10).place(copyRule(base + "/%group%/%fileset%/%clientPath%"), fs,
            "rods");
        assertEquals(2, placed.size());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertEquals(base + "/lab/41/home/alice/a.tif", placed.get(0).irodsPath());
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
            assertArrayEquals(b, read(s, placed.get(1).irodsPath()));
            assertEquals("copied", placed.get(0).how());
            assertEquals(Digests.toIrods(new Digests.Sum(Digests.Algo.SHA256,
                MessageDigest.getInstance("SHA-256").digest(a))), placed.get(0).checksum());
            assertEquals(List.of(), workObjects(s, base + "/lab/41/home/alice"));
        }
        List<Placed> again = placement(64 << 10).place(copyRule(base + "/%group%/%fileset%/%clientPath%"), fs,
            "rods");
        assertEquals("found", again.get(0).how(), "a second call finds the finished copies and copies nothing");
    }

    @Test
    void cutMidCopyThenResumeLeavesNoPartialObjectUnderTheFinalNameAndEndsByteIdentical() throws Exception {
        byte[] a = random(1_000_000, 3);
        OmeroFileset fs = fileset(42, "lab", List.of(file(3, "alice_2/y/", "big.bin", a, "data/big.bin")));
        PlacementRule rule = copyRule(base + "/%fileset%/%name%");
        IrodsPlacement p = placement(64 << 10);
        AtomicLong sent = new AtomicLong();
        p.onChunk((buf, off, n) -> {
            if (sent.addAndGet(n) > 400_000) {
                throw new IOException("cut: the process dies here");
            }
        });
        IOException cut = assertThrows(IOException.class, () -> p.place(rule, fs, "rods"));
        assertTrue(cut.getMessage().contains("cut"), cut.getMessage());
        String target = base + "/42/big.bin";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(target), "nothing under the final name after a cut");
            List<String> work = workObjects(s, base + "/42");
            assertEquals(1, work.size(), "the hidden work object is kept for the next attempt");
            long partial = s.stat(base + "/42/" + work.get(0)).size();
            assertTrue(partial > 0 && partial < a.length, "partial work object: " + partial);
        }
        p.onChunk(null);
        sent.set(0);
        IrodsPlacement again = placement(64 << 10);
        AtomicLong resent = new AtomicLong();
        again.onChunk((buf, off, n) -> resent.addAndGet(n));
        List<Placed> placed = again.place(rule, fs, "rods");
        assertTrue(resent.get() < a.length, "continued where iRODS had the bytes, sent " + resent.get());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, target));
            assertEquals(List.of(), workObjects(s, base + "/42"));
            assertEquals(placed.get(0).checksum(), s.checksum(target));
        }
    }

    @Test
    void checksumMismatchIsRefusedNothingSwitchedInWithAClearError() throws Exception {
        byte[] a = random(200_000, 4);
        OmeroOriginalFile good = file(5, "alice_2/z/", "c.tif", a, "data/c.tif");
        OmeroOriginalFile wrong = new OmeroOriginalFile(5, good.path(), good.name(), good.size(),
            sha1("something else".getBytes(StandardCharsets.UTF_8)), "SHA1-160", good.clientPath());
        OmeroFileset fs = fileset(43, "lab", List.of(wrong));
        IOException e = assertThrows(IOException.class,
            () -> placement(64 << 10).place(copyRule(base + "/%fileset%/%name%"), fs, "rods"));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(base + "/43/c.tif")
            && e.getMessage().contains(wrong.hash()), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/43/c.tif"));
            assertEquals(List.of(), workObjects(s, base + "/43"), "the unverified work object is removed");
        }
    }

    @Test
    void sizeChangedOnDiskIsRefused() throws Exception {
        OmeroOriginalFile f = file(6, "alice_2/w/", "d.tif", random(1000, 5), "data/d.tif");
        Files.write(repo.resolve(f.repoPath()), random(999, 5));
        refused(copyRule(base + "/%fileset%/%name%"), fileset(44, "lab", List.of(f)), "OMERO records 1000 bytes");
    }

    @Test
    void templateWithOddNamesQuotesSpacesUnicode() throws Exception {
        byte[] a = random(1234, 6);
        String odd = "it's a \"test\" & <x> || été 数据 %name%.tif";
        OmeroFileset fs = new OmeroFileset(45, "alice", "lab 'one' ü", "p/", "upload", true, 1, NOON_UTC,
            List.of(file(7, "p/", odd, a, "Users/al ice/d'ir/" + odd)));
        List<Placed> placed = placement(64 << 10).place(
            copyRule(base + "/%group%/%year%-%month%-%day%/%fileset%/%clientPath%"), fs, "rods");
        String want = base + "/lab 'one' ü/2026-12-01/45/Users/al ice/d'ir/" + odd;
        assertEquals(want, placed.get(0).irodsPath());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, want));
        }
        assertEquals("found", placement(64 << 10).place(
            copyRule(base + "/%group%/%year%-%month%-%day%/%fileset%/%clientPath%"), fs, "rods").get(0).how());
    }

    @Test
    void templateThatWouldLeaveItsPlaceIsRefused() throws Exception {
        OmeroFileset fs = fileset(46, "lab", List.of(file(8, "q/", "e.tif", random(10, 7), "a/../../e.tif")));
        IOException e = assertThrows(IOException.class,
            () -> placement(64 << 10).place(copyRule(base + "/%clientPath%"), fs, "rods"));
        assertTrue(e.getMessage().contains("'.' and '..'"), e.getMessage());
        IOException unknown = assertThrows(IOException.class,
            () -> placement(64 << 10).place(copyRule(base + "/%nosuch%/%name%"), fs, "rods"));
        assertTrue(unknown.getMessage().contains("%nosuch%"), unknown.getMessage());
    }

    @Test
    void windowClosedThrowsNotYetWithTheOpeningTime() throws Exception {
        OmeroFileset fs = fileset(47, "lab", List.of(file(9, "r/", "f.tif", random(10, 8), "f.tif")));
        PlacementRule night = new PlacementRule(PlacementRule.Kind.COPY, base + "/%fileset%/%name%", null,
            LocalTime.of(22, 0), LocalTime.of(6, 0), 0);
        Placement.NotYet e = assertThrows(Placement.NotYet.class, () -> placement(64 << 10).place(night, fs, "rods"));
        assertEquals(NOON_UTC + 10 * 3600_000L, e.notBeforeMillis(), e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/47"), "nothing was started");
        }
        now.set(NOON_UTC + 11 * 3600_000L); // 23:00
        assertEquals("copied", placement(64 << 10).place(night, fs, "rods").get(0).how());
    }

    @Test
    void copyAsTheMappedUserMakesTheObjectsTheirs() throws Exception {
        OmeroFileset fs = fileset(48, "lab", List.of(file(10, "s/", "g.tif", random(100, 9), "g.tif")));
        String home = "/tempZone/home/alice/omero-" + System.nanoTime();
        List<Placed> placed = placement(64 << 10).place(copyRule(home + "/%fileset%/%name%"), fs, "alice");
        try (IrodsSession s = IrodsSession.open(sandbox.account("alice",
            org.rodsgate.testing.SandboxFixture.ALICE_PW))) {
            assertEquals("alice", s.stat(placed.get(0).irodsPath()).owner());
        }
    }

    @Test
    void inPlaceFindsTheObjectsThroughTheMountRoot() throws Exception {
        byte[] a = random(777, 10);
        String obj = base + "/inplace/h it's.tif";
        putObject(obj, a);
        OmeroOriginalFile f = new OmeroOriginalFile(11, "t/", "h it's.tif", a.length, sha1(a), "SHA1-160",
            "mnt/irods" + obj);
        OmeroFileset fs = new OmeroFileset(49, "alice", "lab", "t/", "ln_s", true, 1, NOON_UTC, List.of(f));
        PlacementRule rule = new PlacementRule(PlacementRule.Kind.IN_PLACE, null, null, null, null, 0);
        List<Placed> placed = placement(64 << 10).place(rule, fs, "rods");
        assertEquals(obj, placed.get(0).irodsPath());
        assertEquals("found", placed.get(0).how());
        assertTrue(placed.get(0).checksum().startsWith("sha2:"));
        OmeroOriginalFile bigger = new OmeroOriginalFile(11, "t/", "h it's.tif", a.length + 1, null, "SHA1-160",
            "mnt/irods" + obj);
        IOException e = assertThrows(IOException.class, () -> placement(64 << 10).place(rule,
            fs.withFiles(List.of(bigger)), "rods"));
        assertTrue(e.getMessage().contains("OMERO records " + (a.length + 1)), e.getMessage());
        OmeroOriginalFile elsewhere = new OmeroOriginalFile(11, "t/", "x.tif", 1, null, null, "data/x.tif");
        IOException off = assertThrows(IOException.class, () -> placement(64 << 10).place(rule,
            fs.withFiles(List.of(elsewhere)), "rods"));
        assertTrue(off.getMessage().contains("not under the mount root"), off.getMessage());
    }

    @Test
    void managedOnMountMapsTheRepositoryPathThroughTheMount() throws Exception {
        byte[] a = random(55, 11);
        String obj = base + "/ManagedRepository/alice_2/2026-12/01/i.tif";
        putObject(obj, a);
        IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), Path.of("/mnt/irods" + base + "/ManagedRepository"),
            Path.of("/mnt/irods"), null, null, new IrodsPlacement.Tuning(1 << 16, ZoneOffset.UTC, now::get));
        OmeroOriginalFile f = new OmeroOriginalFile(12, "alice_2/2026-12/01/", "i.tif", a.length, sha1(a),
            "SHA1-160", "C:/Users/alice/i.tif");
        List<Placed> placed = p.place(new PlacementRule(PlacementRule.Kind.MANAGED_ON_MOUNT, null, null, null, null,
            0), fileset(50, "lab", List.of(f)), "rods");
        assertEquals(obj, placed.get(0).irodsPath());
    }
    PlacementRule registerRule(String template) {
        return new PlacementRule(PlacementRule.Kind.REGISTER, template, "demoResc", null, null, 0);
    }

    @Test
    void registerPlacesTheFilesInPlaceWithoutCopying() throws Exception {
        byte[] a = random(4321, 12);
        OmeroOriginalFile f = file(13, "alice_2/reg/", "r it's.tif", a, "data/r it's.tif");
        OmeroFileset fs = fileset(51, "lab", List.of(f));
        List<Placed> placed = placement(64 << 10).place(registerRule(base + "/%fileset%/%name%"), fs, "alice");
        assertEquals("registered", placed.get(0).how());
        String obj = base + "/51/r it's.tif";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            List<List<String>> rows = s.queryAll(s.whereDataObject(org.rodsgate.irods.query.GenQuery.select(
                org.rodsgate.irods.query.Column.D_DATA_PATH), obj));
            assertEquals(repo.resolve(f.repoPath()).toString(), rows.get(0).get(0), "the object is OMERO's file");
            assertEquals("rods", s.stat(obj).owner(), "registered objects stay the gateway's");
            assertArrayEquals(a, read(s, obj));
            assertEquals(placed.get(0).checksum(), s.stat(obj).checksum());
            assertEquals(List.of("51"), s.listAvus(obj, false).stream().filter(x -> x.attribute()
                .equals("omero.fileset")).map(org.rodsgate.irods.Avu::value).toList(), "OMERO's at once (newcomer2 H4)");
        }
        assertEquals("found", placement(64 << 10).place(registerRule(base + "/%fileset%/%name%"), fs, "alice")
            .get(0).how(), "registered before: found, not registered twice");
    }

    @Test
    void registerOfAMissingPhysicalPathFailsNamingIt() throws Exception {
        OmeroOriginalFile f = new OmeroOriginalFile(14, "alice_2/gone/", "m.tif", 10, null, null, "m.tif");
        IOException e = assertThrows(IOException.class, () -> placement(64 << 10)
            .place(registerRule(base + "/%fileset%/%name%"), fileset(52, "lab", List.of(f)), "alice"));
        assertTrue(e.getMessage().contains("UNIX_FILE_STAT_ERR") && e.getMessage().contains("m.tif"),
            e.getMessage());
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/52/m.tif"));
        }
    }

    @Test
    void registerAsNonAdminIsRefusedWithTheIrodsError() throws Exception {
        OmeroOriginalFile f = file(15, "alice_2/na/", "n.tif", random(10, 13), "n.tif");
        IrodsPlacement asAlice = new IrodsPlacement(pool, sandbox.account("alice",
            org.rodsgate.testing.SandboxFixture.ALICE_PW), repo, null, null, null,
            new IrodsPlacement.Tuning(1 << 16, ZoneOffset.UTC, now::get));
        String home = "/tempZone/home/alice/reg-" + System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> asAlice.place(registerRule(home + "/%name%"),
            fileset(53, "lab", List.of(f)), "alice"));
        assertTrue(e.getMessage().contains("PATH_REG_NOT_ALLOWED"), e.getMessage());
    }

    @Test
    void registerOfAFileThatDiffersFromOmerosRecordIsRefusedBeforehand() throws Exception {
        OmeroOriginalFile f = file(16, "alice_2/mm/", "o.tif", random(100, 14), "o.tif");
        Files.write(repo.resolve(f.repoPath()), random(100, 15));
        refused(registerRule(base + "/%fileset%/%name%"), fileset(54, "lab", List.of(f)), "checksum mismatch");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/54/o.tif"));
        }
    }
    /** Only download is asked of OMERO by a copy; the rest of the interface is not used here. */
    static final class DownloadOnly implements org.rodsgate.reverse.OmeroSide {
        final java.util.Map<Long, byte[]> files = new java.util.HashMap<>();
        final List<Long> asked = new ArrayList<>();

        @Override
        public void download(long originalFile, Path to) throws IOException {
            asked.add(originalFile);
            byte[] b = files.get(originalFile);
            if (b == null) {
                throw new IOException("no OriginalFile:" + originalFile);
            }
            Files.write(to, b);
        }

        @Override
        public List<OmeroFileset> filesetsAfter(long afterId, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<OmeroFileset> filesets(List<Long> ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OmeroFileset fileset(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> images(long fileset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Deletion> deletionsAfter(long afterEvent, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Long> filesetsOf(String object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void describe(String user, long fileset, List<Long> images,
                             List<java.util.Map.Entry<String, String>> pairs) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aFileTheRepositoryDoesNotLetUsReadIsDownloadedFromOmero() throws Exception {
        byte[] a = random(150_000, 16);
        DownloadOnly omero = new DownloadOnly();
        omero.files.put(17L, a);
        Path spool = repo.resolve("spool");
        IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), repo.resolve("not-here"), null, omero, spool,
            new IrodsPlacement.Tuning(1 << 16, ZoneOffset.UTC, now::get));
        OmeroOriginalFile f = new OmeroOriginalFile(17, "u/", "dl.tif", a.length, sha1(a), "SHA1-160", "dl.tif");
        List<Placed> placed = p.place(copyRule(base + "/%fileset%/%name%"), fileset(55, "lab", List.of(f)), "rods");
        assertEquals(List.of(17L), omero.asked);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertArrayEquals(a, read(s, placed.get(0).irodsPath()));
        }
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count(), "the downloaded copy is removed");
        }
        OmeroOriginalFile missing = new OmeroOriginalFile(18, "u/", "x.tif", 1, null, null, "x.tif");
        IOException e = assertThrows(IOException.class, () -> p.place(copyRule(base + "/%fileset%/%name%"),
            fileset(56, "lab", List.of(missing)), "rods"));
        assertTrue(e.getMessage().contains("download from OMERO failed") && e.getMessage().contains("u/x.tif"),
            e.getMessage());
    }

    @Test
    void bandwidthCapHoldsACopyToItsRate() throws Exception {
        byte[] a = random(1_500_000, 17);
        OmeroFileset fs = fileset(57, "lab", List.of(file(19, "v/", "capped.bin", a, "capped.bin")));
        long t0 = System.nanoTime();
        placement(64 << 10).place(new PlacementRule(PlacementRule.Kind.COPY, base + "/%fileset%/%name%", null, null,
            null, 1_000_000), fs, "rods");
        double s = (System.nanoTime() - t0) / 1e9;
        // one second of burst (1 MB), then 0.5 MB at 1 MB/s
        assertTrue(s >= 0.45, "1.5 MB at 1 MB/s with a 1 MB burst takes at least 0.5 s, took " + s);
    }
    @Test
    void inPlaceFollowsTheManagedRepositoryLinkWhenTheClientPathIsElsewhere() throws Exception {
        byte[] a = random(99, 18);
        String obj = base + "/linked/l.tif";
        putObject(obj, a);
        Files.createDirectories(repo.resolve("w/"));
        Files.createSymbolicLink(repo.resolve("w/l.tif"), Path.of("/mnt/irods" + obj)); // as omero import ln_s
        OmeroOriginalFile f = new OmeroOriginalFile(20, "w/", "l.tif", a.length, sha1(a), "SHA1-160",
            "home/someone/copied-from-elsewhere/l.tif");
        List<Placed> placed = placement(64 << 10).place(new PlacementRule(PlacementRule.Kind.IN_PLACE, null, null,
            null, null, 0), new OmeroFileset(58, "alice", "lab", "w/", "ln_s", true, 1, NOON_UTC, List.of(f)), "rods");
        assertEquals(obj, placed.get(0).irodsPath());
    }
    @Test
    void copyOfAFileLinkedIntoTheMountIsRefusedNoLoop() throws Exception {
        Files.createDirectories(repo.resolve("loop/"));
        Files.createSymbolicLink(repo.resolve("loop/x.tif"), Path.of("/mnt/irods" + base + "/somewhere/x.tif"));
        OmeroOriginalFile f = new OmeroOriginalFile(21, "loop/", "x.tif", 3, null, null, "mnt/irods/x.tif");
        refused(copyRule(base + "/%fileset%/%name%"), fileset(59, "lab", List.of(f)), "place it with IN_PLACE");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertNull(s.statOrNull(base + "/59"), "nothing was created");
        }
    }
    /**
     * newcomer2 H3: copies run as the owner's iRODS user; a collection they may not create is refused naming that
     * user (and the OMERO owner), the collection, the first missing one and where write is needed, and what to do;
     * once an administrator prepared it as the README says (create, inherit, write for the user), the copy works.
     */
    @Test
    void aCollectionTheOwnerCannotCreateNamesTheUserAndWhatToDo() throws Exception {
        String group = "lightsheet" + System.nanoTime();
        OmeroFileset fs = new OmeroFileset(171, "john.doe", group, "alice_2/2026-12/01/12-00-00.000/", "upload", true,
            1, NOON_UTC, List.of(file(17, "s/", "stack.tif", random(100, 17), "data/run7/stack.tif")));
        String top = "/tempZone/omero-" + System.nanoTime();
        PlacementRule rule = copyRule(top + "/%group%/%user%/%fileset%/%clientPath%");
        IOException e = assertThrows(IOException.class, () -> placement(64 << 10).place(rule, fs, "alice"));
        String m = e.getMessage();
        assertTrue(m.contains("copies run as iRODS user alice (OMERO owner john.doe)")
            && m.contains("may not create collection " + top + "/" + group + "/alice/171/data/run7")
            && m.contains(top + " is the first on its path that does not exist; alice needs write permission on"
            + " /tempZone") && m.contains("CAT_NO_ACCESS_PERMISSION") && m.contains("imkdir -p " + top)
            && m.contains("ichmod -r inherit " + top), m);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            // the README's preparation: the collection, inherit, write for the group (not the user: with inherit,
            // a user's own ACL on the top would replace the own the user gets on what they create, as in iRODS)
            s.connection().call(org.rodsgate.irods.ApiNumber.GENERAL_ADMIN, admin("add", "user", group, "rodsgroup"));
            s.connection().call(org.rodsgate.irods.ApiNumber.GENERAL_ADMIN, admin("modify", "group", group, "add",
                "alice"));
            s.mkdir(top, true);
            s.setAcl(top, "", "inherit", false);
            s.setAcl(top, group, "write", false);
            IOException still = assertThrows(IOException.class, () -> placement(64 << 10).place(rule, fs, "bob"));
            assertTrue(still.getMessage().contains("bob needs write permission on " + top), still.getMessage());
        }
        List<Placed> placed = placement(64 << 10).place(rule, fs, "alice");
        assertEquals("copied", placed.get(0).how());
        assertEquals(top + "/" + group + "/alice/171/data/run7/stack.tif", placed.get(0).irodsPath());
    }

    /**
     * newcomer2 H4: a copy carries omero.fileset and omero.server from the moment it appears under its name (set on
     * the work object before the rename), so a watcher with another ledger knows it as OMERO's without the ledger.
     */
    @Test
    void aCopyCarriesItsFilesetAvusFromTheMomentItAppears() throws Exception {
        OmeroFileset fs = fileset(107, "lab", List.of(file(18, "s/", "r2.tif", random(1000, 18), "r2.tif")));
        List<String> seenAtRename = new ArrayList<>();
        IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), repo, Path.of("/mnt/irods"), null, null,
            new IrodsPlacement.Tuning(64 << 10, ZoneOffset.UTC, now::get), "omero.example.org:4064");
        List<Placed> placed = p.place(copyRule(base + "/inbox/%fileset%/%name%"), fs, "rods");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            for (org.rodsgate.irods.Avu x : s.listAvus(placed.get(0).irodsPath(), false)) {
                seenAtRename.add(x.attribute() + "=" + x.value());
            }
        }
        assertTrue(seenAtRename.containsAll(List.of("omero.fileset=107", "omero.server=omero.example.org:4064")),
            seenAtRename.toString());
    }

    /**
     * newcomer2 H5: with managed_on_mount the objects belong to the iRODS identity OMERO's server writes with (bob
     * here), not to the OMERO owner's iRODS user (alice, who cannot see them): looked up and described as the
     * gateway / the objects' owner, and alice gets read (OMERO owns the bytes).
     */
    @Test
    void managedOnMountWorksOnWhatOmeroWroteAsAnotherIrodsUser() throws Exception {
        byte[] a = random(321, 19);
        String mr = "/tempZone/home/bob/MR-" + System.nanoTime();
        String obj = mr + "/alice_2/2026-12/01/m1.tif";
        try (IrodsSession bob = IrodsSession.open(sandbox.account("bob",
            org.rodsgate.testing.SandboxFixture.BOB_PW))) {
            bob.mkdir(Paths.parent(obj), true);
            IrodsSession.OpenFile f = bob.create(obj);
            bob.write(f.fd(), a, 0, a.length);
            bob.close(f.fd());
        }
        IrodsPlacement p = new IrodsPlacement(pool, sandbox.rods(), Path.of("/mnt/irods" + mr), Path.of("/mnt/irods"),
            null, null, new IrodsPlacement.Tuning(1 << 16, ZoneOffset.UTC, now::get));
        OmeroOriginalFile f = new OmeroOriginalFile(20, "alice_2/2026-12/01/", "m1.tif", a.length, sha1(a),
            "SHA1-160", "home/alice/m1.tif");
        OmeroFileset fs = fileset(185, "lab", List.of(f));
        PlacementRule rule = new PlacementRule(PlacementRule.Kind.MANAGED_ON_MOUNT, null, null, null, null, 0);
        List<Placed> placed = p.place(rule, fs, "alice");
        assertEquals(obj, placed.get(0).irodsPath());
        new IrodsAvuDescription(pool, sandbox.rods()).describe(placed, fs, List.of(186L), "omero:4064", "alice", rule);
        try (IrodsSession alice = IrodsSession.open(sandbox.account("alice",
            org.rodsgate.testing.SandboxFixture.ALICE_PW))) {
            assertArrayEquals(a, read(alice, obj), "alice reads OMERO's object");
            assertTrue(alice.listAvus(obj, false).stream().anyMatch(x -> x.attribute().equals("omero.fileset")
                && x.value().equals("185")));
            assertEquals("bob", alice.stat(obj).owner(), "still OMERO's identity's");
            assertTrue(alice.listAcls(obj, false).stream().noneMatch(x -> x.user().equals("alice")
                && x.normalizedAccess().equals("own")), "alice does not own OMERO's bytes");
        }
    }

    static byte[] admin(String... args) {
        org.rodsgate.irods.protocol.PackWriter w = org.rodsgate.irods.protocol.PackWriter.client("generalAdminInp_PI");
        for (int i = 0; i < 10; i++) {
            w.str("arg" + i, i < args.length ? args[i] : "");
        }
        return w.bytes();
    }
}

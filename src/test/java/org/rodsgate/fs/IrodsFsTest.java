package org.rodsgate.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.Paths;
import org.rodsgate.testing.SandboxFixture;
import org.rodsgate.testing.WithSandbox;

/** The filesystem core against the sandbox, in-process: semantics, errnos, identity, cache, resilience. */
class IrodsFsTest extends WithSandbox {
    ConnectionPool pool;
    IrodsFs fs;
    final Caller me = new Caller(1000, 1000, 1);
    String base;
    String dir;

    @BeforeEach
    void mount() throws Exception {
        pool = new ConnectionPool();
        fs = new IrodsFs(Mappings.zoneRoot(), new MountOwnerIdentity(sandbox.rods()), pool,
            new MetadataCache(MetadataCache.Settings.defaults()),
            FsSettings.defaults(1000, 1000, Files.createTempDirectory("spill")));
        dir = "t" + System.nanoTime();
        base = "/tempZone/home/rods/" + dir;
        fs.mkdir(me, base);
    }

    @AfterEach
    void unmount() {
        fs.close();
        pool.close();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    void writeFile(String path, byte[] data) throws Exception {
        long fh = fs.create(me, path, 1);
        for (int off = 0; off < data.length; off += 131072) {
            fs.write(fh, data, off, Math.min(131072, data.length - off), off);
        }
        fs.flush(fh);
        fs.release(fh);
    }

    byte[] readFile(String path) throws Exception {
        long size = fs.getattr(me, path).size();
        byte[] out = new byte[(int) size];
        long fh = fs.open(me, path, 0);
        int at = 0;
        while (at < size) {
            int n = fs.read(fh, out, at, (int) Math.min(131072, size - at), at);
            if (n <= 0) {
                break;
            }
            at += n;
        }
        fs.release(fh);
        return out;
    }

    static int errno(Executable e) {
        return Errors.errno(assertThrows(Exception.class, e::run));
    }

    interface Executable {
        void run() throws Exception;
    }

    @Test
    void writeThenReadBackWithAttributes() throws Exception {
        byte[] data = bytes(5_000_000, 1);
        writeFile(base + "/a.bin", data);
        Attr a = fs.getattr(me, base + "/a.bin");
        assertEquals(data.length, a.size());
        assertEquals(Attr.S_IFREG, a.mode() & 0170000);
        assertTrue(a.ino() > 0);
        assertArrayEquals(data, readFile(base + "/a.bin"));
        List<DirEntry> l = fs.readdir(me, base);
        assertEquals(1, l.size());
        assertEquals(a.ino(), l.get(0).attr().ino(), "inode = iRODS data id, the same in listings and stat");
    }

    @Test
    void randomWritesGoThroughTheSpillFileAndLandAtClose() throws Exception {
        byte[] data = bytes(3_000_000, 2);
        writeFile(base + "/r.bin", data);
        long fh = fs.open(me, base + "/r.bin", 2);
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            int off = r.nextInt(data.length - 5000);
            byte[] patch = bytes(1 + r.nextInt(4999), i);
            fs.write(fh, patch, 0, patch.length, off);
            System.arraycopy(patch, 0, data, off, patch.length);
        }
        byte[] tail = bytes(1000, 99);
        fs.write(fh, tail, 0, tail.length, data.length + 500); // a hole, then data
        fs.flush(fh);
        fs.release(fh);
        byte[] expected = new byte[data.length + 1500];
        System.arraycopy(data, 0, expected, 0, data.length);
        System.arraycopy(tail, 0, expected, data.length + 500, tail.length);
        assertArrayEquals(expected, readFile(base + "/r.bin"));
    }

    @Test
    void appendStreamsFromTheEnd() throws Exception {
        writeFile(base + "/log", "one\n".getBytes());
        long fh = fs.open(me, base + "/log", 1 | 0x400);
        fs.write(fh, "two\n".getBytes(), 0, 4, 4);
        fs.flush(fh);
        fs.release(fh);
        assertEquals("one\ntwo\n", new String(readFile(base + "/log")));
    }

    @Test
    void truncateShrinksAndGrows() throws Exception {
        writeFile(base + "/t", "0123456789".getBytes());
        fs.truncate(me, base + "/t", 4);
        assertEquals("0123", new String(readFile(base + "/t")));
        fs.truncate(me, base + "/t", 6);
        assertArrayEquals(new byte[] {'0', '1', '2', '3', 0, 0}, readFile(base + "/t"));
        long fh = fs.open(me, base + "/t", 2 | IrodsFs.O_TRUNC);
        fs.release(fh);
        assertEquals(0, fs.getattr(me, base + "/t").size());
    }

    @Test
    void renameFollowsPosix() throws Exception {
        writeFile(base + "/a", "A".getBytes());
        writeFile(base + "/b", "B".getBytes());
        fs.rename(me, base + "/a", base + "/b");
        assertEquals("A", new String(readFile(base + "/b")));
        assertEquals(Errno.ENOENT.value, errno(() -> fs.getattr(me, base + "/a")));
        fs.mkdir(me, base + "/d1");
        fs.mkdir(me, base + "/d2");
        writeFile(base + "/d1/f", "F".getBytes());
        fs.rename(me, base + "/d1", base + "/d2"); // over an empty directory
        assertEquals("F", new String(readFile(base + "/d2/f")));
        fs.mkdir(me, base + "/d3");
        writeFile(base + "/d3/g", "G".getBytes());
        assertEquals(Errno.ENOTEMPTY.value, errno(() -> fs.rename(me, base + "/d2", base + "/d3")));
        assertEquals(Errno.EISDIR.value, errno(() -> fs.rename(me, base + "/b", base + "/d3")));
        assertEquals(Errno.ENOTDIR.value, errno(() -> fs.rename(me, base + "/d3", base + "/b")));
        assertEquals(Errno.EINVAL.value, errno(() -> fs.rename(me, base + "/d3", base + "/d3/sub")));
    }

    @Test
    void namespaceErrors() throws Exception {
        fs.mkdir(me, base + "/d");
        writeFile(base + "/d/x", new byte[] {1});
        assertEquals(Errno.ENOTEMPTY.value, errno(() -> fs.rmdir(me, base + "/d")));
        assertEquals(Errno.EEXIST.value, errno(() -> fs.mkdir(me, base + "/d")));
        assertEquals(Errno.EISDIR.value, errno(() -> fs.unlink(me, base + "/d")));
        assertEquals(Errno.ENOTDIR.value, errno(() -> fs.rmdir(me, base + "/d/x")));
        assertEquals(Errno.ENOENT.value, errno(() -> fs.open(me, base + "/nope", 0)));
        assertEquals(Errno.EISDIR.value, errno(() -> fs.open(me, base + "/d", 0)));
        fs.unlink(me, base + "/d/x");
        fs.rmdir(me, base + "/d");
        assertEquals(Errno.ENOENT.value, errno(() -> fs.getattr(me, base + "/d")));
    }

    @Test
    void extendedAttributesAreAvus() throws Exception {
        writeFile(base + "/x", "data".getBytes());
        String p = base + "/x";
        fs.setxattr(me, p, "user.project", "P1".getBytes(), 0);
        assertEquals("P1", new String(fs.getxattr(me, p, "user.project")));
        // the computed checksum is readable by name but not listed, so copying tools do not try to set it
        assertEquals(List.of("user.project"), fs.listxattr(me, p));
        fs.setxattr(me, p, "user.irods.note", "an AVU like any other".getBytes(), 0);
        assertEquals(List.of("user.project", "user.irods.note"), fs.listxattr(me, p));
        fs.removexattr(me, p, "user.irods.note");
        // values iRODS cannot hold as text: empty (setfattr -n NAME) and bytes that are not UTF-8 come back exactly
        byte[] binary = {0, (byte) 0xff, (byte) 0xfe, 10, 'b', '6', '4', ':'};
        fs.setxattr(me, p, "user.empty", new byte[0], 0);
        fs.setxattr(me, p, "user.binary", binary, 0);
        fs.setxattr(me, p, "user.text", "b64:AAAA".getBytes(), 0);
        assertArrayEquals(new byte[0], fs.getxattr(me, p, "user.empty"));
        assertArrayEquals(binary, fs.getxattr(me, p, "user.binary"));
        assertEquals("b64:AAAA", new String(fs.getxattr(me, p, "user.text")), "text that looks encoded stays text");
        for (String n : List.of("user.empty", "user.binary", "user.text")) {
            fs.removexattr(me, p, n);
        }
        assertEquals(Errno.EEXIST.value, errno(() -> fs.setxattr(me, p, "user.project", "P2".getBytes(), 1)));
        fs.setxattr(me, p, "user.project", "P2".getBytes(), 2);
        assertEquals("P2", new String(fs.getxattr(me, p, "user.project")));
        String sum = new String(fs.getxattr(me, p, "user.irods.checksum"), StandardCharsets.UTF_8);
        assertTrue(sum.startsWith("sha2:"), sum);
        assertEquals(Errno.EPERM.value, errno(() -> fs.setxattr(me, p, "user.irods.checksum", "x".getBytes(), 0)));
        assertEquals(Errno.ENODATA.value, errno(() -> fs.getxattr(me, p, "security.selinux")));
        assertEquals(Errno.ENOTSUP.value, errno(() -> fs.setxattr(me, p, "trusted.x", "1".getBytes(), 0)));
        fs.removexattr(me, p, "user.project");
        assertEquals(Errno.ENODATA.value, errno(() -> fs.getxattr(me, p, "user.project")));
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertTrue(s.listAvus(p, false).isEmpty(), "removed in iRODS, not just in the cache");
        }
    }

    @Test
    void chmodAndChownDoNotPretend() throws Exception {
        writeFile(base + "/m", new byte[] {1});
        fs.chmod(me, base + "/m", 0644);
        fs.chmod(me, base + "/m", 0755);
        fs.chown(me, base + "/m", 1000, 1000);
        assertEquals(Errno.EPERM.value, errno(() -> fs.chown(me, base + "/m", 0, 0)));
    }

    @Test
    void readOnlyMappingsAndVirtualDirectories() throws Exception {
        writeFile(base + "/ro.txt", "ro".getBytes());
        IrodsFs ro = new IrodsFs(new Mappings(List.of(new Mappings.Mapping("/data/rods", base, true))),
            new MountOwnerIdentity(sandbox.rods()), pool, new MetadataCache(MetadataCache.Settings.defaults()),
            FsSettings.defaults(1000, 1000, Files.createTempDirectory("spill")));
        assertEquals(List.of("data"), ro.readdir(me, "/").stream().map(DirEntry::name).toList());
        assertEquals(List.of("rods"), ro.readdir(me, "/data").stream().map(DirEntry::name).toList());
        assertEquals(List.of("ro.txt"), ro.readdir(me, "/data/rods").stream().map(DirEntry::name).toList());
        assertEquals(0444, ro.getattr(me, "/data/rods/ro.txt").mode() & 0777);
        assertEquals(Errno.EROFS.value, errno(() -> ro.unlink(me, "/data/rods/ro.txt")));
        assertEquals(Errno.EROFS.value, errno(() -> ro.open(me, "/data/rods/ro.txt", 1)));
        assertEquals(Errno.ENOENT.value, errno(() -> ro.getattr(me, "/elsewhere")));
        ro.close();
    }

    @Test
    void perUserIdentityEnforcesIrodsRights() throws Exception {
        Map<Integer, String> names = Map.of(2001, "alice", 2002, "bob", 2003, "nobody-in-irods", 2004, "rods");
        IrodsFs pu = new IrodsFs(Mappings.zoneRoot(),
            new PerUserIdentity(sandbox.rods(), Map.of(), uid -> names.get(uid)), pool,
            new MetadataCache(MetadataCache.Settings.defaults()),
            FsSettings.defaults(0, 0, Files.createTempDirectory("spill")));
        Caller alice = new Caller(2001, 2001, 1);
        Caller bob = new Caller(2002, 2002, 1);
        long fh = pu.create(alice, "/tempZone/home/alice/mine.txt", 1);
        pu.write(fh, "alice's".getBytes(), 0, 7, 0);
        pu.flush(fh);
        pu.release(fh);
        assertEquals(Errno.ENOENT.value, errno(() -> pu.getattr(bob, "/tempZone/home/alice/mine.txt")),
            "strict ACLs: bob does not see alice's file");
        assertEquals(Errno.ENOENT.value, errno(() -> pu.open(bob, "/tempZone/home/alice/mine.txt", 0)));
        assertEquals(Errno.ENOENT.value, errno(() -> pu.readdir(bob, "/tempZone/home/alice")),
            "alice's home is not readable by bob, so iRODS does not show it to him");
        assertEquals(Errno.EACCES.value, errno(() -> pu.create(bob, "/tempZone/home/alice/bobs.txt", 1)));
        assertEquals(Errno.EACCES.value, errno(() -> pu.getattr(new Caller(2999, 1, 1), "/tempZone")),
            "a uid with no name has no identity: never the admin's");
        assertEquals(Errno.EACCES.value, errno(() -> pu.getattr(new Caller(2003, 1, 1), "/tempZone")),
            "a name that is no iRODS user is refused by iRODS");
        assertEquals(Errno.EACCES.value, errno(() -> pu.readdir(new Caller(2004, 1, 1), "/tempZone/home")),
            "a local account named like the proxy rodsadmin gets no iRODS identity");
        assertEquals(2001, pu.getattr(alice, "/tempZone/home/alice/mine.txt").uid());
        pu.close();
    }

    /**
     * Issue 10 input 1: on a zone whose ACLs are a fresh real zone's (nobody but rods may see /, /zone, /zone/home),
     * an ordinary user in per-user mode traverses and lists those as passages to their home and to what is shared
     * with them, sees no name iRODS hides from them, and gets no right from the proxy.
     */
    @Test
    void perUserTraversalOnAFreshZone() throws Exception {
        Map<Integer, String> names = Map.of(2001, "alice", 2002, "bob");
        IrodsFs pu = new IrodsFs(Mappings.zoneRoot(),
            new PerUserIdentity(sandbox.rods(), Map.of(), uid -> names.get(uid)), pool,
            new MetadataCache(MetadataCache.Settings.defaults()),
            FsSettings.defaults(0, 0, Files.createTempDirectory("spill")));
        Caller alice = new Caller(2001, 2001, 1);
        Caller bob = new Caller(2002, 2002, 1);
        try (IrodsSession asAlice = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            assertTrue(asAlice.statOrNull("/tempZone/home") == null, "the sandbox hides /tempZone/home from alice");
        }
        String shared = "/tempZone/home/bob/shared" + System.nanoTime();
        pu.mkdir(bob, shared);
        long fh = pu.create(bob, "/tempZone/home/bob/private" + System.nanoTime() + ".txt", 1);
        pu.release(fh);
        try (IrodsSession asBob = IrodsSession.open(sandbox.account("bob", SandboxFixture.BOB_PW))) {
            asBob.setAcl(shared, "alice", "read", false);
        }
        assertEquals(Attr.S_IFDIR, pu.getattr(alice, "/").mode() & Attr.S_IFDIR);
        assertEquals(0555, pu.getattr(alice, "/tempZone").mode() & 0777, "a passage is read-only");
        assertEquals(List.of("tempZone"), names(pu.readdir(alice, "/")));
        assertEquals(List.of("home", "trash"), names(pu.readdir(alice, "/tempZone")),
            "trash leads to alice's own trash collection");
        assertEquals(List.of("alice"), names(pu.readdir(alice, "/tempZone/trash/home")));
        List<String> home = names(pu.readdir(alice, "/tempZone/home"));
        assertTrue(home.contains("alice") && home.contains("bob") && home.contains("public"), home.toString());
        assertTrue(!home.contains("rods"), "rods's home is hidden from alice: " + home);
        assertEquals(List.of(Paths.name(shared)), names(pu.readdir(alice, "/tempZone/home/bob")),
            "only what bob shared, not his private file");
        assertEquals(Errno.ENOENT.value, errno(() -> pu.getattr(alice, "/tempZone/home/rods")));
        assertEquals(Errno.ENOENT.value, errno(() -> pu.getattr(alice, "/tempZone/trash/home/bob")));
        assertEquals(Errno.ENOENT.value, errno(() -> pu.getattr(alice, "/tempZone/nosuch")));
        assertEquals(Errno.EACCES.value, errno(() -> pu.mkdir(alice, "/tempZone/home/intruder")),
            "a passage gives no right: iRODS refuses as alice");
        assertEquals(Errno.EACCES.value, errno(() -> pu.mkdir(alice, "/tempZone/home/bob/intruder")));
        assertEquals(0755, pu.getattr(alice, "/tempZone/home/alice").mode() & 0777, "her home is hers");
        String single = "/tempZone/home/bob/single" + System.nanoTime() + ".txt";
        long sf = pu.create(bob, single, 1);
        pu.release(sf);
        try (IrodsSession asBob = IrodsSession.open(sandbox.account("bob", SandboxFixture.BOB_PW))) {
            asBob.setAcl(single, "alice", "read", false);
        }
        pu.cache().invalidateTree("/tempZone/home/bob");
        assertTrue(names(pu.readdir(alice, "/tempZone/home/bob")).contains(Paths.name(single)),
            "a file shared alone in a hidden collection is listed there");
        pu.close();
    }

    /**
     * Issue 10 input 5: by default (mount.checksum: compute) a file written through the mount has a checksum once
     * closed, as after iput -K; with off it has none, as on a 5.0.2 server that was not asked for one.
     */
    @Test
    void checksumPolicyAtClose() throws Exception {
        byte[] data = bytes(100_000, 5);
        writeFile(base + "/summed", data);
        String expected = "sha2:" + java.util.Base64.getEncoder().encodeToString(
            java.security.MessageDigest.getInstance("SHA-256").digest(data));
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertEquals(expected, s.stat(base + "/summed").checksum());
        }
        IrodsFs off = new IrodsFs(Mappings.zoneRoot(), new MountOwnerIdentity(sandbox.rods()), pool,
            new MetadataCache(MetadataCache.Settings.defaults()),
            FsSettings.defaults(1000, 1000, Files.createTempDirectory("spill")).withChecksum(false));
        long fh = off.create(me, base + "/unsummed", 1);
        off.write(fh, data, 0, data.length, 0);
        off.flush(fh);
        off.release(fh);
        off.close();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertEquals("", s.stat(base + "/unsummed").checksum(), "5.0.2 computes none unless asked");
            assertEquals(data.length, s.stat(base + "/unsummed").size());
        }
    }

    /**
     * Issue 10 input 4: a file another client has open for writing — iRODS 5.0.2 answers HIERARCHY_ERROR to the open
     * — is EBUSY through the mount, for open, rename and unlink, not EIO; once closed it opens normally.
     */
    @Test
    void aFileOpenForWritingElsewhereIsBusy() throws Exception {
        String p = base + "/locked.bin";
        writeFile(p, bytes(1000, 3));
        try (IrodsSession other = IrodsSession.open(sandbox.rods())) {
            IrodsSession.OpenFile w = other.open(p, IrodsSession.O_WRONLY);
            try {
                fs.cache().invalidate(p);
                assertEquals(Errno.EBUSY.value, errno(() -> fs.open(me, p, 0)));
                assertEquals(Errno.EBUSY.value, errno(() -> fs.rename(me, p, base + "/moved.bin")));
                assertEquals(Errno.EBUSY.value, errno(() -> fs.unlink(me, p)));
            } finally {
                other.close(w.fd());
            }
        }
        assertArrayEquals(bytes(1000, 3), readFile(p));
    }

    /** Mount-owner mode with an ordinary account on fresh-zone ACLs: the same passages lead to its home. */
    @Test
    void mountOwnerModeWithAnOrdinaryAccountWalksToItsHome() throws Exception {
        IrodsFs asAlice = new IrodsFs(Mappings.zoneRoot(),
            new MountOwnerIdentity(sandbox.account("alice", SandboxFixture.ALICE_PW)), pool,
            new MetadataCache(MetadataCache.Settings.defaults()),
            FsSettings.defaults(1000, 1000, Files.createTempDirectory("spill")));
        assertEquals(List.of("tempZone"), names(asAlice.readdir(me, "/")));
        assertTrue(names(asAlice.readdir(me, "/tempZone/home")).contains("alice"));
        assertEquals(Errno.ENOENT.value, errno(() -> asAlice.getattr(me, "/tempZone/home/rods")));
        asAlice.close();
    }

    private static List<String> names(List<DirEntry> l) {
        return l.stream().map(DirEntry::name).sorted().toList();
    }

    @Test
    void listingFeedsStatsWithoutFurtherRequests() throws Exception {
        for (int i = 0; i < 30; i++) {
            writeFile(base + "/f" + i, new byte[] {(byte) i});
        }
        fs.readdir(me, base);
        long before = sandbox.server.stats().total();
        for (int i = 0; i < 30; i++) {
            fs.getattr(me, base + "/f" + i);
        }
        assertEquals(before, sandbox.server.stats().total(), "ls -l after readdir costs no iRODS request");
    }

    @Test
    void readsSurviveAConnectionCut() throws Exception {
        byte[] data = bytes(40_000_000, 5);
        writeFile(base + "/big", data);
        long fh = fs.open(me, base + "/big", 0);
        byte[] out = new byte[data.length];
        int at = 0;
        boolean cut = false;
        while (at < data.length) {
            if (!cut && at > 10_000_000) {
                sandbox.server.faults().cutAfterBytes(100_000); // the next reply is cut in the middle
                cut = true;
            }
            int n = fs.read(fh, out, at, Math.min(131072, data.length - at), at);
            at += n;
        }
        fs.release(fh);
        sandbox.server.faults().clear();
        assertArrayEquals(data, out);
    }

    @Test
    void writesSurviveAConnectionCut() throws Exception {
        byte[] data = bytes(30_000_000, 6);
        long fh = fs.create(me, base + "/w", 1);
        for (int off = 0; off < data.length; off += 131072) {
            if (off == 131072 * 100) {
                sandbox.server.faults().cutAfterBytes(10); // the reply to the next chunk is lost
            }
            fs.write(fh, data, off, Math.min(131072, data.length - off), off);
        }
        fs.flush(fh);
        fs.release(fh);
        sandbox.server.faults().clear();
        assertArrayEquals(data, readFile(base + "/w"));
    }

    @Test
    void aWriteFailureIsReportedAtCloseNotDropped() throws Exception {
        long fh = fs.create(me, base + "/fail", 1);
        sandbox.server.faults().failApi(676, -510000 - 28, -1); // UNIX_FILE_WRITE_ERR + ENOSPC, every time
        try {
            byte[] chunk = new byte[9 << 20];
            Exception w = assertThrows(Exception.class, () -> fs.write(fh, chunk, 0, chunk.length, 0));
            assertEquals(Errno.ENOSPC.value, Errors.errno(w));
            assertEquals(Errno.ENOSPC.value, errno(() -> fs.flush(fh)), "the failure is reported again at close");
        } finally {
            sandbox.server.faults().clear();
            fs.release(fh);
        }
    }

    @Test
    void aNewVersionKeepsTheObjectsAvusAndShares() throws Exception {
        String p = base + "/meta";
        long fh = fs.create(me, p, 1);
        fs.write(fh, bytes(200_000, 8), 0, 200_000, 0);
        fs.flush(fh);
        fs.release(fh);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.addAvu(p, false, new org.rodsgate.irods.Avu("project", "P7", ""));
            s.setAcl(p, "alice", "read", false);
        }
        fh = fs.open(me, p, 2);
        fs.write(fh, "EDIT".getBytes(), 0, 4, 1000); // in the middle: a spill, switched in at close
        fs.flush(fh);
        fs.release(fh);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertTrue(s.listAvus(p, false).stream().anyMatch(a -> a.attribute().equals("project")
                && a.value().equals("P7")), "AVUs carried over");
            assertTrue(s.listAcls(p, false).stream().anyMatch(a -> a.user().equals("alice")), "shares carried over");
            assertTrue(s.list(base).stream().noneMatch(o -> o.name().startsWith(".rodsgate-")), "no work object left");
        }
        byte[] back = readFile(p);
        assertEquals("EDIT", new String(back, 1000, 4));
    }

    @Test
    void aWriterWhoMayNotCreateBesideTheObjectReplacesItInPlace() throws Exception {
        Map<Integer, String> names = Map.of(2001, "alice", 2002, "bob");
        IrodsFs pu = new IrodsFs(Mappings.zoneRoot(),
            new PerUserIdentity(sandbox.rods(), Map.of(), uid -> names.get(uid)), pool,
            new MetadataCache(MetadataCache.Settings.defaults()),
            FsSettings.defaults(0, 0, Files.createTempDirectory("spill")));
        Caller alice = new Caller(2001, 2001, 1);
        Caller bob = new Caller(2002, 2002, 1);
        String p = "/tempZone/home/alice/shared-rw-" + System.nanoTime();
        long fh = pu.create(alice, p, 0x241);
        pu.write(fh, "alice's text".getBytes(), 0, 12, 0);
        pu.flush(fh);
        pu.release(fh);
        try (IrodsSession s = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            s.setAcl(p, "bob", "write", false); // the object only: bob may not create in alice's home
        }
        fh = pu.open(bob, p, 0x201); // O_WRONLY | O_TRUNC
        pu.write(fh, "bob".getBytes(), 0, 3, 0);
        pu.flush(fh);
        pu.release(fh);
        fh = pu.open(alice, p, 0);
        byte[] b = new byte[16];
        int n = pu.read(fh, b, 0, 16, 0);
        pu.release(fh);
        assertEquals("bob", new String(b, 0, n));
        pu.close();
    }
}

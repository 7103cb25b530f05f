package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client must do against any iRODS server: run against the sandbox always, and against a real server
 * when one is configured. Works in a fresh collection under the account's home, removed afterwards.
 */
abstract class ClientContract {
    protected abstract IrodsAccount account();

    protected IrodsSession s;
    protected String base;

    @BeforeEach
    void open() throws IrodsException {
        s = IrodsSession.open(account());
        base = account().home() + "/rodsgate-test-" + System.nanoTime();
        s.mkdir(base, false);
    }

    @AfterEach
    void cleanUp() throws IrodsException {
        if (s != null) {
            try {
                s.rmdir(base, true);
            } finally {
                s.close();
            }
        }
    }

    protected static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected void writeObject(String path, byte[] data) throws IrodsException {
        IrodsSession.OpenFile f = s.create(path);
        s.write(f.fd(), data, 0, data.length);
        s.close(f.fd());
    }

    protected byte[] readObject(String path) throws IrodsException {
        IrodsSession.OpenFile f = s.open(path, IrodsSession.O_RDONLY);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = s.read(f.fd(), buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        s.close(f.fd());
        return out.toByteArray();
    }

    @Test
    void serverInfoNamesTheZone() throws IrodsException {
        assertEquals(account().zone(), s.serverInfo().zone());
        assertTrue(s.serverVersion().atLeast(4, 2, 0));
    }

    @Test
    void statOfCollectionAndMissingPath() throws IrodsException {
        ObjStat st = s.stat(base);
        assertTrue(st.isCollection());
        assertTrue(st.id() > 0);
        IrodsException e = assertThrows(IrodsException.class, () -> s.stat(base + "/missing"));
        assertEquals(Errno.ENOENT.value, e.errno());
        assertNull(s.statOrNull(base + "/missing"));
    }

    @Test
    void writeReadSeekAndStat() throws IrodsException {
        byte[] data = bytes(3_000_000, 7);
        String p = base + "/data.bin";
        writeObject(p, data);
        ObjStat st = s.stat(p);
        assertFalse(st.isCollection());
        assertEquals(data.length, st.size());
        assertArrayEquals(data, readObject(p));
        IrodsSession.OpenFile f = s.open(p, IrodsSession.O_RDONLY);
        assertEquals(1_000_000, s.seek(f.fd(), 1_000_000, IrodsSession.SEEK_SET));
        byte[] buf = new byte[10];
        assertEquals(10, s.read(f.fd(), buf, 0, 10));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1_000_000, 1_000_010), buf);
        assertEquals(data.length - 5, s.seek(f.fd(), -5, IrodsSession.SEEK_END));
        assertEquals(5, s.read(f.fd(), new byte[100], 0, 100), "short read at end of file");
        assertEquals(0, s.read(f.fd(), new byte[100], 0, 100), "EOF");
        s.close(f.fd());
    }

    @Test
    void oddNamesRoundTrip() throws IrodsException {
        for (String name : List.of("it's & <x>.txt", "spaces  in name", "ünïcødé 文字.tif", "q\"uote", "per%cent_")) {
            String p = base + "/" + name;
            writeObject(p, name.getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(name.getBytes(StandardCharsets.UTF_8), readObject(p), name);
        }
        String dir = base + "/dir with 'quote'";
        s.mkdir(dir, false);
        writeObject(dir + "/x", new byte[] {1});
        List<ObjStat> l = s.list(base);
        assertEquals(6, l.size());
        assertTrue(l.stream().anyMatch(e -> e.path().equals(dir) && e.isCollection()));
        assertEquals(1, s.list(dir).size());
    }

    /**
     * Issue 7, failing input 7: names are values, never patterns. Names with {@code % _ ' \\} and names that iRODS
     * would cut into two conditions ({@code x' || like '%}) list, and carry AVUs and ACLs, exactly — with
     * siblings whose names those patterns would match present.
     */
    @Test
    void genqueryWildcardsInNamesMatchLiterally() throws IrodsException {
        List<String> colls = List.of("x' || like '%", "it's || fun", "a' && <> 'b", "100%", "a_c", "back\\slash",
            "q'uote");
        for (String c : colls) {
            s.mkdir(base + "/" + c, false);
            writeObject(base + "/" + c + "/inside " + c, c.getBytes(StandardCharsets.UTF_8));
        }
        s.mkdir(base + "/abc", false);
        writeObject(base + "/abc/other", new byte[] {1});
        writeObject(base + "/x' || like '%.txt", new byte[] {2});
        for (String c : colls) {
            String coll = base + "/" + c;
            List<ObjStat> l = s.list(coll);
            assertEquals(List.of(coll + "/inside " + c), l.stream().map(ObjStat::path).toList(), c);
            s.mkdir(coll + "/sub", false);
            assertEquals(2, s.list(coll).size(), c);
            writeObject(coll + "/sub/deep", new byte[] {3}); // a path whose middle GenQuery cannot carry
            assertEquals(List.of(coll + "/sub/deep"), s.list(coll + "/sub").stream().map(ObjStat::path).toList(), c);
            String obj = coll + "/inside " + c;
            s.addAvu(obj, false, new Avu("name", c, ""));
            assertEquals(List.of(new Avu("name", c, "")), s.listAvus(obj, false), c);
            s.addAvu(coll, true, new Avu("coll", c, ""));
            assertEquals(List.of(new Avu("coll", c, "")), s.listAvus(coll, true), c);
            assertFalse(s.listAcls(obj, false).isEmpty(), c);
            assertFalse(s.listAcls(coll, true).isEmpty(), c);
        }
        assertEquals(colls.size() + 2, s.list(base).size());
    }

    /** Issue 7, failing input 8: control characters in names come back byte for byte. */
    @Test
    void controlCharactersInNamesRoundTrip() throws IrodsException {
        for (String name : List.of("\u0001ctl", "esc\u001b[1m", "tab\there", "bell\u0007", "del\u007f", "new\nline",
            "cr\rhere", " lead and trail ")) {
            String p = base + "/" + name;
            writeObject(p, name.getBytes(StandardCharsets.UTF_8));
            assertEquals(p, s.stat(p).path());
            assertArrayEquals(name.getBytes(StandardCharsets.UTF_8), readObject(p), name);
            s.addAvu(p, false, new Avu("a\u0001", "v\u0002", ""));
            assertEquals(List.of(new Avu("a\u0001", "v\u0002", "")), s.listAvus(p, false));
        }
        s.mkdir(base + "/\u0001dir", false);
        assertTrue(s.list(base).stream().anyMatch(e -> e.path().equals(base + "/\u0001dir") && e.isCollection()));
        assertTrue(s.list(base).stream().anyMatch(e -> e.path().equals(base + "/\u0001ctl")));
    }

    /** Issue 7, failing input 14: truncation clears the stored checksum, as iRODS 5.0.2 does. */
    @Test
    void truncateClearsTheChecksum() throws IrodsException {
        writeObject(base + "/sum.txt", "twenty-two bytes long\n".getBytes(StandardCharsets.UTF_8));
        String before = s.checksum(base + "/sum.txt");
        assertTrue(before.startsWith("sha2:"), before);
        assertEquals(before, s.stat(base + "/sum.txt").checksum());
        s.truncate(base + "/sum.txt", 3);
        assertEquals("", s.stat(base + "/sum.txt").checksum());
        String after = s.checksum(base + "/sum.txt");
        assertFalse(after.equals(before), "the checksum of the truncated contents");
    }

    @Test
    void mkdirWithParentsAndClashes() throws IrodsException {
        s.mkdir(base + "/a/b/c", true);
        assertTrue(s.stat(base + "/a/b/c").isCollection());
        s.mkdir(base + "/a/b/c", true); // mkdir -p of an existing collection succeeds
        assertEquals(Errno.EEXIST.value, assertThrows(IrodsException.class, () -> s.mkdir(base + "/a", false)).errno());
        assertEquals(Errno.ENOENT.value,
            assertThrows(IrodsException.class, () -> s.mkdir(base + "/x/y", false)).errno());
        writeObject(base + "/obj", new byte[] {1});
        assertEquals(Errno.EEXIST.value,
            assertThrows(IrodsException.class, () -> s.mkdir(base + "/obj", false)).errno());
    }

    @Test
    void renameObjectsAndCollectionsWithAndWithoutOverwrite() throws IrodsException {
        writeObject(base + "/a", "A".getBytes());
        writeObject(base + "/b", "B".getBytes());
        assertEquals(Errno.EEXIST.value,
            assertThrows(IrodsException.class, () -> s.rename(base + "/a", base + "/b", false)).errno());
        s.rename(base + "/a", base + "/b", true);
        assertArrayEquals("A".getBytes(), readObject(base + "/b"));
        assertNull(s.statOrNull(base + "/a"));
        s.mkdir(base + "/d1/sub", true);
        writeObject(base + "/d1/sub/f", "F".getBytes());
        s.rename(base + "/d1", base + "/d2", false);
        assertArrayEquals("F".getBytes(), readObject(base + "/d2/sub/f"));
        assertNull(s.statOrNull(base + "/d1"));
        s.rename(base + "/b", base + "/d2/sub/b", false);
        assertArrayEquals("A".getBytes(), readObject(base + "/d2/sub/b"));
    }

    @Test
    void truncateUnlinkAndRmdir() throws IrodsException {
        writeObject(base + "/t", bytes(1000, 1));
        s.truncate(base + "/t", 10);
        assertEquals(10, s.stat(base + "/t").size());
        assertEquals(10, readObject(base + "/t").length);
        s.unlink(base + "/t");
        assertNull(s.statOrNull(base + "/t"));
        s.mkdir(base + "/full", false);
        for (int i = 0; i < 23; i++) {
            writeObject(base + "/full/f" + i, new byte[] {(byte) i});
        }
        assertEquals(Errno.ENOTEMPTY.value,
            assertThrows(IrodsException.class, () -> s.rmdir(base + "/full", false)).errno());
        s.rmdir(base + "/full", true); // more than 10 objects: progress replies on the way
        assertNull(s.statOrNull(base + "/full"));
        s.mkdir(base + "/empty", false);
        s.rmdir(base + "/empty", false);
        assertNull(s.statOrNull(base + "/empty"));
    }

    @Test
    void setModifyTime() throws IrodsException {
        writeObject(base + "/m", new byte[] {1});
        s.setModifyTime(base + "/m", 1_600_000_000L);
        assertEquals(1_600_000_000L, s.stat(base + "/m").modifyTime());
        s.setModifyTime(base, 1_600_000_100L);
        assertEquals(1_600_000_100L, s.stat(base).modifyTime());
    }

    @Test
    void avusOnObjectsAndCollections() throws IrodsException {
        String p = base + "/meta";
        writeObject(p, new byte[] {1});
        s.addAvu(p, false, new Avu("omero.image", "1", ""));
        s.addAvu(p, false, new Avu("omero.image", "2", ""));
        s.addAvu(p, false, new Avu("k'&<", "v\"'>", "u"));
        assertEquals(Errno.EEXIST.value, assertThrows(IrodsException.class,
            () -> s.addAvu(p, false, new Avu("omero.image", "1", ""))).errno());
        assertEquals(3, s.listAvus(p, false).size());
        assertTrue(s.listAvus(p, false).contains(new Avu("k'&<", "v\"'>", "u")));
        s.setAvu(p, false, new Avu("omero.image", "9", ""));
        assertEquals(List.of(new Avu("omero.image", "9", "")),
            s.listAvus(p, false).stream().filter(a -> a.attribute().equals("omero.image")).toList());
        s.removeAvu(p, false, new Avu("omero.image", "9", ""));
        assertEquals(1, s.listAvus(p, false).size());
        s.addAvu(base, true, new Avu("project", "P1", ""));
        assertEquals(List.of(new Avu("project", "P1", "")), s.listAvus(base, true));
    }

    @Test
    void aclsListAndSet() throws IrodsException {
        String p = base + "/acl";
        writeObject(p, new byte[] {1});
        List<Acl> acls = s.listAcls(p, false);
        assertTrue(acls.stream().anyMatch(a -> a.user().equals(account().clientUser())
            && a.normalizedAccess().equals("own")), acls.toString());
        s.setAcl(p, "public", "read", false);
        assertTrue(s.listAcls(p, false).stream().anyMatch(a -> a.user().equals("public")
            && a.normalizedAccess().equals("read_object")));
        s.setAcl(p, "public", "null", false);
        assertFalse(s.listAcls(p, false).stream().anyMatch(a -> a.user().equals("public")));
        assertTrue(s.listAcls(base, true).stream().anyMatch(a -> a.normalizedAccess().equals("own")));
    }

    @Test
    void offsetsBeyondFourGibibytes() throws IrodsException {
        String p = base + "/sparse";
        long far = 5L << 30;
        IrodsSession.OpenFile f = s.create(p);
        assertEquals(far, s.seek(f.fd(), far, IrodsSession.SEEK_SET));
        s.write(f.fd(), "tail".getBytes(), 0, 4);
        s.close(f.fd());
        assertEquals(far + 4, s.stat(p).size());
        f = s.open(p, IrodsSession.O_RDONLY);
        s.seek(f.fd(), far + 1, IrodsSession.SEEK_SET);
        byte[] b = new byte[8];
        assertEquals(3, s.read(f.fd(), b, 0, 8));
        assertEquals("ail", new String(b, 0, 3));
        s.close(f.fd());
    }

    @Test
    void openOfMissingObjectIsEnoent() {
        IrodsException e = assertThrows(IrodsException.class, () -> s.open(base + "/nope", IrodsSession.O_RDONLY));
        assertEquals(Errno.ENOENT.value, e.errno());
        assertFalse(e.connectionDead(), "an iRODS error leaves the connection usable");
    }

    /**
     * Issue 10 input 7 (irods/irods#6510): a/junk1 onto an existing b/junk2 while a/junk2 exists. A forced rename
     * would make the server delete b/junk2 and then fail; the client goes through a temporary name instead.
     */
    @Test
    void renameAcrossCollectionsOntoANameTakenInTheSourceLosesNothing() throws IrodsException {
        s.mkdir(base + "/a", false);
        s.mkdir(base + "/b", false);
        writeObject(base + "/a/junk1", "one".getBytes(StandardCharsets.UTF_8));
        writeObject(base + "/a/junk2", "two".getBytes(StandardCharsets.UTF_8));
        s.rename(base + "/a/junk1", base + "/b/junk2", false);
        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), readObject(base + "/b/junk2"), "plain rename");
        writeObject(base + "/a/junk1", "new".getBytes(StandardCharsets.UTF_8));
        s.rename(base + "/a/junk1", base + "/b/junk2", true);
        assertArrayEquals("new".getBytes(StandardCharsets.UTF_8), readObject(base + "/b/junk2"), "replaced");
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), readObject(base + "/a/junk2"), "sibling intact");
        assertNull(s.statOrNull(base + "/a/junk1"));
        List<String> names = new java.util.ArrayList<>();
        for (ObjStat e : s.list(base + "/b")) {
            names.add(e.name());
        }
        assertEquals(List.of("junk2"), names, "no temporary name left behind");
    }

    /** Issue 10 input 4: opening, renaming or deleting an object another client has open for writing: EBUSY. */
    @Test
    void lockedObjectsAreBusy() throws IrodsException {
        String p = base + "/locked.txt";
        IrodsSession.OpenFile w = s.create(p);
        s.write(w.fd(), "being written".getBytes(StandardCharsets.UTF_8), 0, 13);
        try (IrodsSession other = IrodsSession.open(account())) {
            assertEquals(Errno.EBUSY.value, assertThrows(IrodsException.class,
                () -> other.open(p, IrodsSession.O_RDONLY)).errno());
            assertEquals(Errno.EBUSY.value, assertThrows(IrodsException.class,
                () -> other.open(p, IrodsSession.O_WRONLY)).errno());
            assertEquals(Errno.EBUSY.value, assertThrows(IrodsException.class,
                () -> other.rename(p, base + "/moved.txt", false)).errno());
            assertEquals(Errno.EBUSY.value, assertThrows(IrodsException.class, () -> other.unlink(p)).errno());
        } finally {
            s.close(w.fd());
        }
        assertArrayEquals("being written".getBytes(StandardCharsets.UTF_8), readObject(p));
    }

    /** Issue 10 input 3: removing an AVU that is not there: CAT_SUCCESS_BUT_WITH_NO_INFO, ENODATA, path named. */
    @Test
    void removingAMissingAvuSaysSo() throws IrodsException {
        String p = base + "/avu.txt";
        writeObject(p, new byte[1]);
        IrodsException e = assertThrows(IrodsException.class, () -> s.removeAvu(p, false, new Avu("a", "b", "")));
        assertEquals("CAT_SUCCESS_BUT_WITH_NO_INFO", e.codeName());
        assertEquals(Errno.ENODATA.value, e.errno());
        assertTrue(e.getMessage().contains(p), e.getMessage());
    }

    /** Issue 10 input 6: a missing path's message names the operation and the path. */
    @Test
    void messagesNameTheOperationAndThePath() {
        IrodsException e = assertThrows(IrodsException.class, () -> s.stat(base + "/nothing"));
        assertEquals("stat " + base + "/nothing: USER_FILE_DOES_NOT_EXIST (no such data object or collection)",
            e.getMessage());
    }
}

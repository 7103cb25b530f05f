package org.rodsgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.testing.SandboxFixture;
import org.rodsgate.testing.WithSandbox;

/** The sandbox's PHY_PATH_REG (API 630) as iRODS 5.0.2 answers it, through rodsgate's client. */
class PathRegistrationTest extends WithSandbox {
    @TempDir
    Path disk;

    static byte[] readAll(IrodsSession s, String path) throws Exception {
        IrodsSession.OpenFile f = s.open(path, IrodsSession.O_RDONLY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        for (int n; (n = s.read(f.fd(), buf, 0, buf.length)) > 0; ) {
            out.write(buf, 0, n);
        }
        s.close(f.fd());
        return out.toByteArray();
    }

    @Test
    void adminRegistersAFileInPlaceWithItsChecksum() throws Exception {
        byte[] b = "registered in place\n".getBytes();
        Path file = Files.write(disk.resolve("omero file's.tif"), b);
        String obj = "/tempZone/home/rods/reg-" + System.nanoTime() + ".tif";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.register(file.toString(), obj, "demoResc", true);
            ObjStat st = s.statWithReplicaStatus(obj);
            assertEquals(b.length, st.size());
            assertEquals(1, st.replStatus());
            assertEquals("rods", st.owner());
            assertEquals("sha2:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(b)),
                st.checksum());
            assertArrayEquals(b, readAll(s, obj), "the object reads the registered file");
            IrodsException again = assertThrows(IrodsException.class,
                () -> s.register(file.toString(), obj, null, false));
            assertTrue(again.is(ErrorCode.CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME), again.getMessage());
            s.unregister(obj);
            assertEquals(null, s.statOrNull(obj));
            assertArrayEquals(b, Files.readAllBytes(file), "unregistering leaves the file as it was");
        }
    }

    @Test
    void registerAsNonAdminIsRefusedWithPathRegNotAllowed() throws Exception {
        Path file = Files.write(disk.resolve("a.tif"), new byte[10]);
        try (IrodsSession s = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            IrodsException e = assertThrows(IrodsException.class,
                () -> s.register(file.toString(), "/tempZone/home/alice/a.tif", null, true));
            assertTrue(e.is(ErrorCode.PATH_REG_NOT_ALLOWED), e.getMessage());
            assertTrue(e.getMessage().contains("/tempZone/home/alice/a.tif"), e.getMessage());
            assertEquals(null, s.statOrNull("/tempZone/home/alice/a.tif"));
        }
        try (IrodsSession s = IrodsSession.open(sandbox.rods().proxyFor("alice"))) {
            IrodsException e = assertThrows(IrodsException.class,
                () -> s.register(file.toString(), "/tempZone/home/alice/a.tif", null, true));
            assertTrue(e.is(ErrorCode.PATH_REG_NOT_ALLOWED), "the client user decides, not the proxy: " + e);
        }
    }

    @Test
    void registerOfAMissingPhysicalPathFailsWithUnixFileStatErr() throws Exception {
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            String obj = "/tempZone/home/rods/missing-" + System.nanoTime();
            IrodsException e = assertThrows(IrodsException.class,
                () -> s.register(disk.resolve("nothing here").toString(), obj, null, true));
            assertEquals(ErrorCode.UNIX_FILE_STAT_ERR.code - 2, e.code(), e.getMessage());
            assertEquals(null, s.statOrNull(obj));
            IrodsException dir = assertThrows(IrodsException.class, () -> s.register(disk.toString(), obj, null,
                false));
            assertEquals(-52000, dir.code(), "a directory is not a file: " + dir.getMessage());
            IrodsException resc = assertThrows(IrodsException.class,
                () -> s.register(disk.toString(), obj, "noSuchResc", false));
            assertEquals(-78000, resc.code(), resc.getMessage());
        }
    }

    @Test
    void registerNeedsWriteAccessToTheCollectionEvenForAnAdmin() throws Exception {
        Path file = Files.write(disk.resolve("b.tif"), new byte[3]);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            IrodsException e = assertThrows(IrodsException.class,
                () -> s.register(file.toString(), "/tempZone/home/alice/b-" + System.nanoTime(), null, false));
            assertTrue(e.is(ErrorCode.CAT_NO_ACCESS_PERMISSION), e.getMessage());
            IrodsException coll = assertThrows(IrodsException.class,
                () -> s.register(file.toString(), "/tempZone/home/rods/no/such/coll/b", null, false));
            assertTrue(coll.is(ErrorCode.CAT_UNKNOWN_COLLECTION), coll.getMessage());
        }
    }

    /**
     * filePathReg (rsPhyPathReg.cpp, 5.0.2): the size is the dataSize keyword when it parses, else the request's
     * dataSize field when positive, else a stat of the file; a keyword that does not parse counts as absent and the
     * file is stat'ed (it is not taken as 0).
     */
    @Test
    void registerTakesItsSizeFromTheDataSizeKeywordOrFieldOrAStatAsFilePathRegDoes() throws Exception {
        byte[] b = "twelve bytes".getBytes();
        Path file = Files.write(disk.resolve("sized.tif"), b);
        String base = "/tempZone/home/rods/sized-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.mkdir(base, true);
            org.rodsgate.irods.IrodsConnection c = s.connection();
            c.call(org.rodsgate.irods.ApiNumber.PHY_PATH_REG, org.rodsgate.irods.protocol.DataObjInp
                .path(base + "/bad").with("filePath", file.toString()).with("dataSize", "twelve").pack());
            assertEquals(b.length, s.stat(base + "/bad").size(), "a dataSize that does not parse: the file's size");
            c.call(org.rodsgate.irods.ApiNumber.PHY_PATH_REG, org.rodsgate.irods.protocol.DataObjInp
                .path(base + "/kw").with("filePath", file.toString()).with("dataSize", "5").pack());
            assertEquals(5, s.stat(base + "/kw").size(), "the keyword, no stat");
            c.call(org.rodsgate.irods.ApiNumber.PHY_PATH_REG, new org.rodsgate.irods.protocol.DataObjInp(
                base + "/field", 0, 0, 0, 7, 0, 0, new java.util.LinkedHashMap<>(java.util.Map.of("filePath",
                disk.resolve("missing.tif").toString()))).pack());
            assertEquals(7, s.stat(base + "/field").size(), "the request's dataSize field, no stat");
        }
    }
}

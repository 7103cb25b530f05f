package org.rodsgate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.irods.ApiNumber;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.testing.WithSandbox;

/** {@code rodsgate put} (Transfer.put over the shared FileUpload) against the in-process sandbox. */
class TransferPutTest extends WithSandbox {
    @TempDir
    Path dir;

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

    static List<String> names(IrodsSession s, String coll) throws IOException {
        return s.list(coll).stream().map(ObjStat::name).toList();
    }

    String coll(IrodsSession s) throws IOException {
        String c = "/tempZone/home/rods/put-" + System.nanoTime();
        s.mkdir(c, true);
        return c;
    }

    @Test
    void putOfAFileOfSeveralChunksIsByteIdenticalWithItsChecksum() throws Exception {
        byte[] a = new byte[2 * (8 << 20) + 12345];
        new Random(1).nextBytes(a);
        Path src = dir.resolve("big.bin");
        Files.write(src, a);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            String c = coll(s);
            assertEquals(a.length, Transfer.put(s, src, c + "/big.bin", false));
            assertArrayEquals(a, read(s, c + "/big.bin"));
            assertTrue(s.stat(c + "/big.bin").checksum().startsWith("sha2:"));
            assertEquals(List.of("big.bin"), names(s, c));
        }
    }

    /** A file whose length is not what a stat said when the upload began (procfs: 0 bytes, then content). */
    @Test
    void putOfAFileWhoseLengthChangesWhileItIsReadLeavesNothingUnderTheName() throws Exception {
        Path src = Path.of("/proc/self/status");
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            String c = coll(s);
            IOException e = assertThrows(IOException.class, () -> Transfer.put(s, src, c + "/status", false));
            assertTrue(e.getMessage().contains(src.toString()) && e.getMessage().contains("changed"),
                e.getMessage());
            assertNull(s.statOrNull(c + "/status"), "nothing under the final name");
            assertEquals(List.of(), names(s, c), "no temporary object left");
        }
    }

    @Test
    void putWhoseChecksumIrodsComputesDiffersFailsAndLeavesNothing() throws Exception {
        byte[] a = new byte[100_000];
        new Random(2).nextBytes(a);
        Path src = dir.resolve("c.bin");
        Files.write(src, a);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            String c = coll(s);
            sandbox.server.faults().failApi(ApiNumber.DATA_OBJ_CHKSUM, ErrorCode.USER_CHKSUM_MISMATCH.code, 1);
            try {
                IOException e = assertThrows(IOException.class, () -> Transfer.put(s, src, c + "/c.bin", false));
                assertTrue(e.getMessage().contains("USER_CHKSUM_MISMATCH"), e.getMessage());
            } finally {
                sandbox.server.faults().clear();
            }
            assertEquals(List.of(), names(s, c), "nothing left after a failed verification");
        }
    }

    @Test
    void putCutByAFullDiskLeavesNothingLookingComplete() throws Exception {
        byte[] a = new byte[3 * (8 << 20)];
        new Random(3).nextBytes(a);
        Path src = dir.resolve("d.bin");
        Files.write(src, a);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            String c = coll(s);
            sandbox.server.faults().failApi(ApiNumber.DATA_OBJ_WRITE, ErrorCode.SYS_RESC_QUOTA_EXCEEDED.code, 1);
            try {
                IOException e = assertThrows(IOException.class, () -> Transfer.put(s, src, c + "/d.bin", false));
                assertTrue(e.getMessage().contains("QUOTA") && e.getMessage().contains(c + "/.d.bin")
                    && e.getMessage().contains(src.toString()), e.getMessage());
            } finally {
                sandbox.server.faults().clear();
            }
            assertEquals(List.of(), names(s, c), "nothing left after a failed upload");
        }
    }

    @Test
    void putOverwriteCutByAFullDiskKeepsThePreviousObjectWhole() throws Exception {
        byte[] old = "the previous version".getBytes();
        byte[] a = new byte[3 * (8 << 20)];
        new Random(4).nextBytes(a);
        Path src = dir.resolve("e.bin");
        Files.write(src, a);
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            String c = coll(s);
            Path prev = dir.resolve("prev.bin");
            Files.write(prev, old);
            Transfer.put(s, prev, c + "/e.bin", false);
            s.addAvu(c + "/e.bin", false, new org.rodsgate.irods.Avu("kept", "yes", ""));
            sandbox.server.faults().failApi(ApiNumber.DATA_OBJ_WRITE, ErrorCode.SYS_RESC_QUOTA_EXCEEDED.code, 1);
            try {
                IOException e = assertThrows(IOException.class, () -> Transfer.put(s, src, c + "/e.bin", true));
                assertTrue(e.getMessage().contains("QUOTA"), e.getMessage());
            } finally {
                sandbox.server.faults().clear();
            }
            assertArrayEquals(old, read(s, c + "/e.bin"), "the previous version, whole");
            assertEquals(List.of("e.bin"), names(s, c), "no temporary object left");
            assertEquals(a.length, Transfer.put(s, src, c + "/e.bin", true));
            assertArrayEquals(a, read(s, c + "/e.bin"));
            assertTrue(s.listAvus(c + "/e.bin", false).stream().anyMatch(v -> v.attribute().equals("kept")),
                "an overwrite keeps the object's AVUs, as iput -f does");
            assertEquals(List.of("e.bin"), names(s, c));
        }
    }
}

package org.rodsgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.testing.WithSandbox;

/**
 * A vault that fails under a request (disk full) is answered as iRODS 5.0.2's unixfilesystem plugin answers it:
 * UNIX_FILE_WRITE_ERR minus the errno (-513028 for ENOSPC), the connection kept; not by dropping the connection.
 */
class VaultErrorsTest extends WithSandbox {
    @Test
    void writeIntoAFullDiskAnswersUnixFileWriteErrWithEnospcAndKeepsTheConnection() throws Exception {
        Path full = Path.of("/dev/full"); // every write: ENOSPC, as a full disk
        assumeTrue(Files.isWritable(full), "/dev/full is writable here");
        String obj = "/tempZone/home/rods/full-" + System.nanoTime();
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.register(full.toString(), obj, null, false);
            IrodsSession.OpenFile f = s.open(obj, IrodsSession.O_WRONLY);
            IrodsException e = assertThrows(IrodsException.class, () -> s.write(f.fd(), new byte[4096], 0, 4096));
            assertEquals(ErrorCode.UNIX_FILE_WRITE_ERR.code - 28, e.code(), e.getMessage());
            assertEquals(28, e.errno(), "ENOSPC");
            assertTrue(!e.connectionDead(), "the connection stays");
            s.close(f.fd());
            assertTrue(s.statOrNull(obj) != null, "the same connection answers the next request");
            s.unregister(obj);
        }
    }
}

package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {
    @Test
    void mapsCodesToErrno() {
        assertEquals(Errno.ENOENT.value, ErrorCode.errnoOf(-808000));
        assertEquals(Errno.ENOENT.value, ErrorCode.errnoOf(-310000));
        assertEquals(Errno.EEXIST.value, ErrorCode.errnoOf(-834000));
        assertEquals(Errno.EACCES.value, ErrorCode.errnoOf(-818000));
        assertEquals(Errno.ENOTEMPTY.value, ErrorCode.errnoOf(-821000));
        assertEquals(Errno.EBUSY.value, ErrorCode.errnoOf(-405000));
        assertEquals(Errno.EIO.value, ErrorCode.errnoOf(-999000), "unknown codes mean EIO");
    }

    @Test
    void codesWithAnErrnoSuffixCarryIt() {
        assertEquals(Errno.ENOENT.value, ErrorCode.errnoOf(-510002));
        assertEquals("UNIX_FILE_OPEN_ERR+ENOENT", ErrorCode.nameOf(-510002));
        assertEquals(Errno.ENOSPC.value, ErrorCode.errnoOf(-517028));
    }

    @Test
    void exceptionCarriesCodeNameErrnoAndLiveness() {
        IrodsException e = new IrodsException(-818000, "denied");
        assertEquals("CAT_NO_ACCESS_PERMISSION", e.codeName());
        assertEquals(Errno.EACCES.value, e.errno());
        assertFalse(e.connectionDead());
        IrodsException t = IrodsException.transport("gone", null, Errno.ENOTCONN.value);
        assertTrue(t.connectionDead());
        assertEquals(Errno.ENOTCONN.value, t.errno());
    }
}

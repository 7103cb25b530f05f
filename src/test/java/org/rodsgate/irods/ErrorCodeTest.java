package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
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

    /** Every constant is a code of iRODS's table under the same name: the table is the authority. */
    @Test
    void everyConstantMatchesTheTable() {
        for (ErrorCode e : ErrorCode.values()) {
            assertEquals(e.name(), ErrorCode.table().get(e.code), "code " + e.code);
        }
    }

    /** The whole table (4.2 to 5.0): several hundred codes, each named and each meaning some errno. */
    @Test
    void wholeTableKnownAndMapped() {
        Map<Integer, String> t = ErrorCode.table();
        assertTrue(t.size() > 700, "table has " + t.size() + " codes");
        for (Map.Entry<Integer, String> c : t.entrySet()) {
            assertEquals(c.getValue(), ErrorCode.nameOf(c.getKey()));
            assertTrue(ErrorCode.errnoOf(c.getKey()) > 0, c.getValue());
        }
        assertEquals("CAT_SUCCESS_BUT_WITH_NO_INFO", ErrorCode.nameOf(-819000));
        assertEquals("UNIX_FILE_READ_ERR", ErrorCode.nameOf(-512000));
        assertEquals("SYS_PARA_OPR_NO_SUPPORT", ErrorCode.nameOf(-34000), "4.2-only code");
        assertEquals("END_OF_LIFE_SYS_DUPLICATE_XMSG_TICKET", ErrorCode.nameOf(-61000), "5.0 name first");
        assertEquals("SYS_NO_HANDLER_REPLY_MSG", ErrorCode.nameOf(-99999999));
    }

    /** Issue 10 input 2: a proxied login for a name iRODS does not know is EACCES, not EIO. */
    @Test
    void invalidClientUserIsEacces() {
        assertEquals("CAT_INVALID_CLIENT_USER", ErrorCode.nameOf(-832000));
        assertEquals(Errno.EACCES.value, ErrorCode.errnoOf(-832000));
    }

    /** Unknown sub-codes get their family's name and errno (-819001 is CAT_SUCCESS_BUT_WITH_NO_INFO's). */
    @Test
    void unknownSubCodesGetTheirFamilyName() {
        assertEquals("CAT_SUCCESS_BUT_WITH_NO_INFO+EPERM", ErrorCode.nameOf(-819001));
        assertEquals(Errno.ENODATA.value, ErrorCode.errnoOf(-819001));
        assertEquals("UNIX_FILE_STAT_ERR+ENOENT", ErrorCode.nameOf(-516002));
        assertEquals(Errno.ENOENT.value, ErrorCode.errnoOf(-516002));
        assertEquals("CAT_NO_ACCESS_PERMISSION", ErrorCode.nameOf(-818000));
        assertEquals("IRODS_ERROR_4000000", ErrorCode.nameOf(-4000000), "a code no table has");
    }

    /** Messages name the operation and the path (issue 10 input 6). */
    @Test
    void messagesNameOperationAndPath() {
        IrodsException e = new IrodsException(-310000, ErrorCode.describe(-310000)).in("stat", "/tempZone/home/x");
        assertEquals("stat /tempZone/home/x: USER_FILE_DOES_NOT_EXIST (no such data object or collection)",
            e.getMessage());
        assertEquals(Errno.ENOENT.value, e.errno());
        assertEquals(-310000, e.code());
    }
}

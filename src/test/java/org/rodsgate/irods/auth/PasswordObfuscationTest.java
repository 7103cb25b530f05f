package org.rodsgate.irods.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PasswordObfuscationTest {
    @Test
    void readsFilesWrittenByPythonIrodsclient() {
        // vectors from python3-irodsclient: irods.password_obfuscation.encode(pw, uid=..., mtime=1700000000)
        assertEquals("s3cr&t!", PasswordObfuscation.decode(".jis*fe#Mw(9+)\0", 1000));
        assertEquals("rods", PasswordObfuscation.decode(".qpz1me)/%0\0", 0));
    }

    @Test
    void writesWhatPythonIrodsclientWrites() {
        assertEquals(".jis*fe#Mw(9+)", PasswordObfuscation.encode("s3cr&t!", 1000, 1700000000));
    }

    @Test
    void roundTrips() {
        for (String pw : new String[] {"rods", "a b'c\"d", "ÄÖÜ-utf8", "~^[]{}"}) {
            assertEquals(pw, PasswordObfuscation.decode(PasswordObfuscation.encode(pw, 4242, 12345), 4242));
        }
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> PasswordObfuscation.decode("plain", 0));
    }
}

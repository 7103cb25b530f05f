package org.rodsgate.irods.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NativeDigestTest {
    @Test
    void matchesMd5OfChallengeAndPaddedPassword() {
        // expected value computed independently with Python's hashlib: md5(challenge + b'rods'.ljust(50, b'\0'))
        byte[] challenge = "0123456789abcdef".repeat(4).getBytes(StandardCharsets.US_ASCII);
        assertEquals("172102f63e1240ce66824813a21fcfac",
            HexFormat.of().formatHex(NativeDigest.compute(challenge, "rods")));
    }

    @Test
    void passwordsLongerThan50BytesAreTruncated() {
        byte[] challenge = new byte[64];
        String p50 = "x".repeat(50);
        assertEquals(HexFormat.of().formatHex(NativeDigest.compute(challenge, p50)),
            HexFormat.of().formatHex(NativeDigest.compute(challenge, p50 + "tail")));
        assertNotEquals(HexFormat.of().formatHex(NativeDigest.compute(challenge, "a")),
            HexFormat.of().formatHex(NativeDigest.compute(challenge, "b")));
    }

    @Test
    void neverContainsZeroBytes() {
        for (int i = 0; i < 2000; i++) {
            for (byte b : NativeDigest.compute(new byte[64], "pw" + i)) {
                assertNotEquals(0, b);
            }
        }
    }
}

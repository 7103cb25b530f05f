package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * OMERO's hex hashes (ome.util.checksum: SHA1-160, MD5-128) against iRODS's checksums (sha2:/sha1:/sha512: base64,
 * bare hex MD5): the same digest in other notations compares equal.
 */
class DigestsTest {
    static final byte[] DATA = "the same bytes".getBytes(StandardCharsets.UTF_8);

    static byte[] digest(String alg) throws Exception {
        return MessageDigest.getInstance(alg).digest(DATA);
    }

    @Test
    void omeroSha1HexEqualsIrodsSha1Base64() throws Exception {
        String omero = HexFormat.of().formatHex(digest("SHA-1"));
        String irods = "sha1:" + Base64.getEncoder().encodeToString(digest("SHA-1"));
        assertTrue(Digests.ofOmero("SHA1-160", omero).sameAs(Digests.ofIrods(irods)));
        assertTrue(Digests.ofOmero("SHA1-160", omero.toUpperCase()).sameAs(Digests.ofIrods(irods)));
    }

    @Test
    void omeroMd5HexEqualsIrodsBareMd5() throws Exception {
        String hex = HexFormat.of().formatHex(digest("MD5"));
        assertTrue(Digests.ofOmero("MD5-128", hex).sameAs(Digests.ofIrods(hex)));
    }

    @Test
    void irodsSha2RoundTrips() throws Exception {
        String irods = "sha2:" + Base64.getEncoder().encodeToString(digest("SHA-256"));
        Digests.Sum s = Digests.ofIrods(irods);
        assertEquals(Digests.Algo.SHA256, s.algo());
        assertEquals(irods, Digests.toIrods(s));
        Digests d = new Digests(Digests.Algo.SHA256);
        d.update(DATA, 0, DATA.length);
        assertTrue(d.sum(Digests.Algo.SHA256).sameAs(s));
    }

    @Test
    void differentAlgorithmsNeverCompareEqual() throws Exception {
        Digests.Sum sha1 = Digests.ofOmero("SHA1-160", HexFormat.of().formatHex(digest("SHA-1")));
        assertTrue(!sha1.sameAs(Digests.ofIrods("sha2:" + Base64.getEncoder().encodeToString(digest("SHA-256")))));
    }

    @Test
    void whatCannotBeRecomputedIsNull() {
        assertNull(Digests.ofOmero("File-Size-64", "14"), "a size is not a digest");
        assertNull(Digests.ofOmero("Murmur3-128", "00ff"));
        assertNull(Digests.ofOmero("SHA1-160", "not hex"));
        assertNull(Digests.ofOmero("SHA1-160", "abcd"), "wrong length");
        assertNull(Digests.ofIrods(""));
        assertNull(Digests.ofIrods("adler32:0a0b0c0d"));
    }
}

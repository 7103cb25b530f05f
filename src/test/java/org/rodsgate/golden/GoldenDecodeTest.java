package org.rodsgate.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.auth.NativeDigest;
import org.rodsgate.irods.protocol.BinBytesBuf;
import org.rodsgate.irods.protocol.FrameIO;
import org.rodsgate.irods.protocol.GenQueryOut;
import org.rodsgate.irods.protocol.RError;
import org.rodsgate.irods.protocol.RodsObjStat;
import org.rodsgate.irods.protocol.VersionPi;
import org.rodsgate.irods.protocol.XmlNode;

/** The client's decoder reads every frame a real iRODS 5.0.2 sent, and agrees with its authentication. */
class GoldenDecodeTest {
    @Test
    void decodesEveryRecordedFrame() throws Exception {
        decodesEveryFrameOf(GoldenFrames.load(), 350);
    }

    /** The second recording (ACLs, proxies, locks, error codes): 297 records. */
    @Test
    void decodesEveryFrameOfTheAclAndErrorRecording() throws Exception {
        List<GoldenFrames.Row> rows = GoldenFrames.load("frames-irods-5.0.2-acl-and-errors.jsonl");
        decodesEveryFrameOf(rows, 297);
        for (GoldenFrames.Row r : rows) {
            if (!r.c2s() && r.intInfo() != null && r.intInfo() < 0 && r.intInfo() > -99_999_000) {
                assertTrue(org.rodsgate.irods.ErrorCode.table().containsKey(
                    org.rodsgate.irods.ErrorCode.family(r.intInfo())), r.exchange() + ": " + r.intInfo());
            }
        }
    }

    private static void decodesEveryFrameOf(List<GoldenFrames.Row> rows, int expected) throws Exception {
        assertEquals(expected, rows.size());
        int queries = 0;
        for (GoldenFrames.Row r : rows) {
            if (r.header() == null) {
                continue;
            }
            FrameIO.Header h = FrameIO.parseHeader(r.header().getBytes(StandardCharsets.US_ASCII));
            assertEquals(r.type(), h.type());
            assertEquals(r.intInfo().intValue(), h.intInfo());
            if (r.msg() != null) {
                assertEquals(h.msgLen(), r.msg().getBytes(StandardCharsets.UTF_8).length,
                    r.exchange() + "#" + r.seq() + ": msgLen");
                XmlNode n = XmlNode.parse(r.msg());
                if (!r.c2s() && "GenQueryOut_PI".equals(n.name())) {
                    GenQueryOut out = GenQueryOut.parse(n);
                    assertEquals(n.int32("rowCnt"), out.rows().size());
                    queries++;
                }
                if (!r.c2s() && "RodsObjStat_PI".equals(n.name())) {
                    assertTrue(RodsObjStat.parse(n).modifyTime().matches("\\d{11}"));
                }
                if ("Version_PI".equals(n.name())) {
                    assertEquals(400, VersionPi.parse(n).cookie());
                }
            }
            if (r.error() != null) {
                assertEquals(h.errorLen(), r.error().getBytes(StandardCharsets.UTF_8).length);
                assertNotNull(RError.parse(r.error().getBytes(StandardCharsets.UTF_8)).firstMessage());
            }
            if (r.bs() != null) {
                assertEquals(h.bsLen(), r.bs().length);
            }
        }
        assertTrue(queries > 20, "GenQuery replies decoded: " + queries);
    }

    @Test
    void specialCharactersDecodeToTheNameThatWasCreated() throws Exception {
        boolean seen = false;
        for (GoldenFrames.Row r : GoldenFrames.load()) {
            if (r.exchange().equals("genquery_special_chars") && !r.c2s() && r.msg() != null) {
                GenQueryOut out = GenQueryOut.parse(XmlNode.parse(r.msg()));
                assertTrue(out.rows().stream().anyMatch(row -> row.contains("it's & <x>.txt")), out.rows().toString());
                seen = true;
            }
        }
        assertTrue(seen);
    }

    @Test
    void legacyDigestMatchesWhatTheRealServerAccepted() throws Exception {
        byte[] challenge = null;
        for (GoldenFrames.Row r : GoldenFrames.load()) {
            if (!r.exchange().equals("auth_legacy_native")) {
                continue;
            }
            if (!r.c2s() && r.msg() != null && r.msg().contains("authRequestOut_PI")) {
                challenge = XmlNode.parse(r.msg()).bin("challenge");
            }
            if (r.c2s() && r.intInfo() != null && r.intInfo() == 704) {
                byte[] sent = XmlNode.parse(r.msg()).bin("response");
                assertArrayEquals(sent, NativeDigest.compute(challenge, "rods"));
                return;
            }
        }
        throw new AssertionError("no auth_legacy_native exchange found");
    }

    @Test
    void frameworkDigestMatchesWhatTheRealServerAccepted() throws Exception {
        String challenge = null;
        for (GoldenFrames.Row r : GoldenFrames.load()) {
            if (!r.exchange().equals("auth_framework_native") || r.msg() == null
                || !r.msg().contains("BinBytesBuf_PI")) {
                continue;
            }
            String json = BinBytesBuf.text(XmlNode.parse(r.msg()));
            var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            if (!r.c2s() && j.has("request_result") && challenge == null) {
                challenge = j.get("request_result").asText();
            }
            if (r.c2s() && j.has("digest")) {
                byte[] mine = NativeDigest.compute(challenge.getBytes(StandardCharsets.US_ASCII), "rods");
                assertEquals(j.get("digest").asText(), Base64.getEncoder().encodeToString(mine));
                return;
            }
        }
        throw new AssertionError("no framework digest found");
    }
}

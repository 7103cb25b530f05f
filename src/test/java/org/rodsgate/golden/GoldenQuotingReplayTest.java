package org.rodsgate.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.protocol.Frame;
import org.rodsgate.irods.protocol.FrameIO;
import org.rodsgate.irods.protocol.XmlNode;
import org.rodsgate.testing.WithSandbox;

/**
 * Replays, from the second recording against iRODS 5.0.2 ({@code frames-irods-5.0.2-acl-and-errors.jsonl}), the
 * exchanges that show how the server parses a quote inside a GenQuery value ({@code genquery_quote_*}: a raw
 * {@code '} is taken literally with {@code =} and with {@code like}, a doubled {@code ''} is not an escape,
 * {@code _} is a wildcard of {@code like}) and how truncation clears the stored checksum ({@code chksum_*}), with
 * their set-up, on one connection of a fresh sandbox; every reply is compared with the recorded one as
 * {@link GoldenReplayTest} does, and checksums, sizes and checksum-less stats by value.
 */
class GoldenQuotingReplayTest extends WithSandbox {
    private static boolean replayed(String exchange) {
        return exchange.equals("auth_framework_native_conn_b") || exchange.equals("coll_create_golden2")
            || exchange.equals("quote_name_create") || exchange.startsWith("genquery_quote_")
            || exchange.startsWith("chksum_") || exchange.startsWith("data_obj_chksum");
    }

    @Test
    void sandboxParsesQuotesAndClearsChecksumsLikeIrods502() throws Exception {
        List<GoldenFrames.Row> all = GoldenFrames.load("frames-irods-5.0.2-acl-and-errors.jsonl");
        // connection B's login first, then the exchanges in recorded order (the collection was made on A)
        List<GoldenFrames.Row> rows = new ArrayList<>(all.stream()
            .filter(r -> r.exchange().equals("auth_framework_native_conn_b")).toList());
        rows.addAll(all.stream().filter(r -> replayed(r.exchange())
            && !r.exchange().equals("auth_framework_native_conn_b")).toList());
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (Socket sock = new Socket("localhost", sandbox.server.port())) {
            sock.setSoTimeout(10_000);
            FrameIO io = new FrameIO(sock.getInputStream(), sock.getOutputStream());
            String challenge = null;
            for (int i = 0; i < rows.size(); i++) {
                GoldenFrames.Row r = rows.get(i);
                if (!r.c2s() || r.event() != null) {
                    continue;
                }
                byte[] msg = r.msg() == null ? null : r.msg().getBytes(StandardCharsets.UTF_8);
                if (GoldenFrames.isAuthResponse(r)) {
                    msg = GoldenReplayTest.digestRequest(r.msg(), challenge);
                }
                GoldenFrames.send(io, r, msg);
                GoldenFrames.Row expected = i + 1 < rows.size() && !rows.get(i + 1).c2s() ? rows.get(i + 1) : null;
                if (expected == null || expected.event() != null) {
                    continue;
                }
                Frame got = GoldenFrames.reply(io, r, mismatches);
                String c = GoldenFrames.challengeIn(got);
                challenge = c != null ? c : challenge;
                String where = r.exchange() + "#" + r.seq();
                compared++;
                GoldenReplayTest.compare(where, expected, got, mismatches);
                compareValues(where, expected, got, mismatches);
            }
        }
        assertTrue(compared >= 20, "replies compared: " + compared);
        assertEquals(List.of(), mismatches);
    }

    /** Checksums (STR_PI of 629) and the size and checksum of stats must be the recorded values themselves. */
    private static void compareValues(String where, GoldenFrames.Row exp, Frame got, List<String> out) {
        if (exp.msg() == null || got.msg() == null) {
            return;
        }
        XmlNode e = XmlNode.parse(exp.msg());
        XmlNode g = got.msgXml();
        List<String> fields = switch (e.name()) {
            case "RodsObjStat_PI" -> List.of("objSize", "chksum");
            case "STR_PI" -> exp.msg().contains("sha2:") ? List.of("myStr") : List.of();
            default -> List.of();
        };
        for (String f : fields) {
            if (!e.str(f, "").equals(g.str(f, ""))) {
                out.add(where + ": " + f + " '" + g.str(f, "") + "', iRODS '" + e.str(f, "") + "'");
            }
        }
    }
}

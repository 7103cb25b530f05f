package org.rodsgate.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.auth.NativeDigest;
import org.rodsgate.irods.protocol.BinBytesBuf;
import org.rodsgate.irods.protocol.Frame;
import org.rodsgate.irods.protocol.FrameIO;
import org.rodsgate.irods.protocol.XmlNode;
import org.rodsgate.sandbox.SandboxConfig;
import org.rodsgate.sandbox.SandboxServer;

/**
 * Replays the second recording (ACLs, proxies, locks, error codes; shared/irods-golden/README.md "Second
 * recording") against a sandbox set up like the recording zone — users alice and bob with a.txt and b.txt in their
 * homes, {@code /tempZone/home/public} owned by alice, bob, public and rods — connection by connection in the
 * recorded order (connections 6 and 7 interleave), and compares every reply with what iRODS 5.0.2 answered, as
 * {@link GoldenReplayTest} does. Differences that are expected are listed with their reasons.
 */
class GoldenAclReplayTest {
    static final String FILE = "frames-irods-5.0.2-acl-and-errors.jsonl";
    static final Map<String, String> PASSWORDS = Map.of("rods", "rods", "alice", "alice-pw", "bob", "bob-pw");
    /** Exchanges whose replies cannot match, and why. */
    static final Map<String, String> EXPECTED_DIFFERENCES = Map.of();

    @Test
    void sandboxAnswersTheAclAndErrorRecordingLikeIrods() throws Exception {
        Path dir = Files.createTempDirectory("rodsgate-golden-acl-");
        SandboxConfig cfg = SandboxConfig.defaults(dir).withPort(0).withUser("alice:alice-pw").withUser("bob:bob-pw");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        try (SandboxServer server = SandboxServer.start(cfg)) {
            setUpLikeTheRecordingZone(server.port());
            List<GoldenFrames.Row> rows = GoldenFrames.load(FILE);
            Map<Integer, Socket> sockets = new HashMap<>();
            Map<Integer, FrameIO> ios = new HashMap<>();
            Map<Integer, String> challenges = new HashMap<>();
            try {
                for (int i = 0; i < rows.size(); i++) {
                    GoldenFrames.Row r = rows.get(i);
                    if (!r.c2s()) {
                        continue;
                    }
                    int conn = r.conn();
                    if (!sockets.containsKey(conn)) {
                        Socket s = new Socket("localhost", server.port());
                        s.setSoTimeout(10_000);
                        sockets.put(conn, s);
                        ios.put(conn, new FrameIO(s.getInputStream(), s.getOutputStream()));
                    }
                    FrameIO io = ios.get(conn);
                    if ("client_close".equals(r.event())) {
                        sockets.get(conn).close();
                        compared++;
                        continue;
                    }
                    if ("raw_bytes".equals(r.event())) {
                        io.writeRaw(r.raw());
                    } else if (Frame.DISCONNECT.equals(r.type())) {
                        io.write(Frame.of(Frame.DISCONNECT, 0, null));
                        try {
                            io.read();
                            mismatches.add(r.exchange() + ": the server replied to RODS_DISCONNECT");
                        } catch (EOFException expected) {
                            compared++;
                        }
                        continue;
                    } else {
                        byte[] msg = r.msg() == null ? null : r.msg().getBytes(StandardCharsets.UTF_8);
                        if (GoldenFrames.isAuthResponse(r)) {
                            msg = digestRequest(r.msg(), challenges.get(conn), r.exchange().startsWith("auth_failed"));
                        }
                        GoldenFrames.send(io, r, msg);
                    }
                    GoldenFrames.Row expected = next(rows, i, conn);
                    if (expected == null || expected.event() != null) {
                        continue;
                    }
                    Frame got = GoldenFrames.reply(io, r, mismatches);
                    String c = GoldenFrames.challengeIn(got);
                    if (c != null) {
                        challenges.put(conn, c);
                    }
                    if (EXPECTED_DIFFERENCES.containsKey(r.exchange())) {
                        continue;
                    }
                    compared++;
                    GoldenReplayTest.compare(r.exchange() + "#" + r.seq(), expected, got, mismatches);
                    boolean errorPart = got.error() != null && got.error().length > 0;
                    if (errorPart != (expected.error() != null)) {
                        mismatches.add(r.exchange() + "#" + r.seq() + ": error part " + (errorPart ? "sent" : "missing"));
                    }
                }
            } finally {
                for (Socket s : sockets.values()) {
                    s.close();
                }
            }
        } finally {
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertTrue(compared > 120, "replies compared: " + compared);
        assertEquals(List.of(), mismatches);
    }

    /** The reply to request {@code i}: the next record of the same connection, if it is server to client. */
    private static GoldenFrames.Row next(List<GoldenFrames.Row> rows, int i, int conn) {
        for (int j = i + 1; j < rows.size(); j++) {
            if (rows.get(j).conn() == conn) {
                return rows.get(j).c2s() ? null : rows.get(j);
            }
        }
        return null;
    }

    /** alice's a.txt and bob's b.txt; /tempZone/home/public owned by alice, bob and public too. */
    private static void setUpLikeTheRecordingZone(int port) throws Exception {
        for (String u : List.of("alice", "bob")) {
            try (IrodsSession s = IrodsSession.open(IrodsAccount.of("localhost", port, "tempZone", u,
                PASSWORDS.get(u)))) {
                IrodsSession.OpenFile f = s.create("/tempZone/home/" + u + "/" + u.charAt(0) + ".txt");
                s.write(f.fd(), u.getBytes(StandardCharsets.UTF_8), 0, u.length());
                s.close(f.fd());
            }
        }
        try (IrodsSession s = IrodsSession.open(IrodsAccount.of("localhost", port, "tempZone", "rods", "rods"))) {
            for (String u : List.of("alice", "bob", "public")) {
                s.setAcl("/tempZone/home/public", u, "own", false);
            }
        }
    }

    private static byte[] digestRequest(String recorded, String challenge, boolean wrong) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode j = (ObjectNode) om.readTree(BinBytesBuf.text(XmlNode.parse(recorded)));
        String password = wrong ? "not-the-password" : PASSWORDS.get(j.get("user_name").asText());
        j.put("request_result", challenge);
        j.put("digest", Base64.getEncoder().encodeToString(
            NativeDigest.compute(challenge.getBytes(StandardCharsets.US_ASCII), password)));
        return BinBytesBuf.pack(j.toString(), false, false);
    }
}

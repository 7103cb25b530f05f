package org.rodsgate.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The frames recorded against a real iRODS 5.0.2 (src/test/resources/irods-golden, see its README). */
final class GoldenFrames {
    record Row(String exchange, int seq, int conn, String dir, String type, Integer intInfo, String header,
               String msg, String error, byte[] bs, String event, byte[] raw) {
        boolean c2s() {
            return "c2s".equals(dir);
        }
    }

    private GoldenFrames() {}

    static List<Row> load() throws IOException {
        return load("frames-irods-5.0.2.jsonl");
    }

    /** The frames of one recording in src/test/resources/irods-golden. */
    static List<Row> load(String file) throws IOException {
        ObjectMapper om = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        try (InputStream in = GoldenFrames.class.getResourceAsStream("/irods-golden/" + file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode j = om.readTree(line);
                rows.add(new Row(j.path("exchange").asText(), j.path("seq").asInt(), j.path("conn").asInt(),
                    j.path("dir").asText(), text(j, "type"), j.path("intInfo").isNull() ? null : j.path("intInfo").asInt(),
                    text(j, "header"), text(j, "msg"), text(j, "error"), b64(j, "bs_b64"), text(j, "event"),
                    b64(j, "raw_b64")));
            }
        }
        return rows;
    }

    private static String text(JsonNode j, String k) {
        JsonNode v = j.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static byte[] b64(JsonNode j, String k) {
        String s = text(j, k);
        return s == null ? null : Base64.getDecoder().decode(s);
    }

    /** Whether a recorded client frame is the native auth response, whose digest depends on the live challenge. */
    static boolean isAuthResponse(Row r) {
        return r.msg() != null && r.msg().contains("BinBytesBuf_PI") && org.rodsgate.irods.protocol.BinBytesBuf.text(
            org.rodsgate.irods.protocol.XmlNode.parse(r.msg())).contains("auth_agent_auth_response");
    }

    /** Sends a recorded client frame with {@code msg} (the recorded one, or a re-computed auth response). */
    static void send(org.rodsgate.irods.protocol.FrameIO io, Row r, byte[] msg) throws IOException {
        io.write(new org.rodsgate.irods.protocol.Frame(r.type(), r.intInfo(), msg, null, r.bs(), 0,
            r.bs() == null ? 0 : r.bs().length));
    }

    /** The server's reply to {@code r}; a missing reply fails naming the exchange and the mismatches so far. */
    static org.rodsgate.irods.protocol.Frame reply(org.rodsgate.irods.protocol.FrameIO io, Row r, List<String> mismatches) {
        try {
            return io.read();
        } catch (IOException e) {
            throw new AssertionError("no reply to " + r.exchange() + "#" + r.seq() + " (mismatches so far: "
                + mismatches + ")", e);
        }
    }

    /** The auth challenge a reply carries ({@code request_result} of its JSON), or null. */
    static String challengeIn(org.rodsgate.irods.protocol.Frame got) throws IOException {
        if (got.msg() != null && new String(got.msg(), StandardCharsets.UTF_8).contains("BinBytesBuf_PI")) {
            String json = org.rodsgate.irods.protocol.BinBytesBuf.text(got.msgXml());
            if (json.contains("request_result")) {
                return new ObjectMapper().readTree(json).get("request_result").asText();
            }
        }
        return null;
    }
}

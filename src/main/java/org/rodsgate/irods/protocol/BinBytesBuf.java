package org.rodsgate.irods.protocol;

import java.nio.charset.StandardCharsets;

/**
 * BinBytesBuf_PI carrying JSON (§3.2, §4.17): base64 in {@code buf}, {@code buflen} the decoded length. Servers end
 * their JSON with a NUL, which {@link #text} strips.
 */
public final class BinBytesBuf {
    private BinBytesBuf() {}

    public static byte[] pack(String json, boolean server, boolean trailingNul) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        if (trailingNul) {
            j = java.util.Arrays.copyOf(j, j.length + 1);
        }
        return PackWriter.of("BinBytesBuf_PI", server).i("buflen", j.length).bin("buf", j).bytes();
    }

    public static String text(XmlNode n) {
        byte[] b = n.bin("buf");
        if (b == null) {
            return "";
        }
        int len = b.length;
        while (len > 0 && b[len - 1] == 0) {
            len--;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }
}

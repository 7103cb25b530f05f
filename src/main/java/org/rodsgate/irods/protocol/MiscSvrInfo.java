package org.rodsgate.irods.protocol;

import java.nio.charset.StandardCharsets;

/** MiscSvrInfo_PI (§4.14); 4.3+ servers add a BinBytesBuf_PI with TLS certificate information. */
public record MiscSvrInfo(int serverType, long serverBootTime, String relVersion, String apiVersion, String zone,
                          String certInfoJson) {
    public byte[] pack() {
        PackWriter w = PackWriter.server("MiscSvrInfo_PI").i("serverType", serverType)
            .i("serverBootTime", serverBootTime).str("relVersion", relVersion).str("apiVersion", apiVersion)
            .str("rodsZone", zone);
        byte[] j = certInfoJson == null ? new byte[0] : certInfoJson.getBytes(StandardCharsets.UTF_8);
        w.open("BinBytesBuf_PI").i("buflen", j.length).bin("buf", j).close();
        return w.bytes();
    }

    public static MiscSvrInfo parse(XmlNode n) {
        XmlNode b = n.child("BinBytesBuf_PI");
        String cert = b == null ? null : BinBytesBuf.text(b);
        return new MiscSvrInfo(n.int32("serverType"), n.num("serverBootTime"), n.str("relVersion", ""),
            n.str("apiVersion", ""), n.str("rodsZone", ""), cert);
    }
}

package org.rodsgate.irods.protocol;

import java.util.ArrayList;
import java.util.List;

/** RError_PI: the server's error stack, which may come with success too (warnings, §1.7). */
public record RError(List<Entry> entries) {
    public record Entry(int status, String msg) {}

    public byte[] pack() {
        PackWriter w = PackWriter.server("RError_PI").i("count", entries.size());
        for (Entry e : entries) {
            w.open("RErrMsg_PI").i("status", e.status()).str("msg", e.msg()).close();
        }
        return w.bytes();
    }

    public static RError parse(byte[] b) {
        if (b == null || b.length == 0) {
            return new RError(List.of());
        }
        XmlNode n = XmlNode.parse(b);
        List<Entry> l = new ArrayList<>();
        for (XmlNode m : n.all("RErrMsg_PI")) {
            l.add(new Entry(m.int32("status"), m.str("msg", "")));
        }
        return new RError(l);
    }

    public String firstMessage() {
        return entries.isEmpty() ? null : entries.get(0).msg();
    }
}

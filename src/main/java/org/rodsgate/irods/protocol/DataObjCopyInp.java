package org.rodsgate.irods.protocol;

/** DataObjCopyInp_PI: two DataObjInp_PI, source then destination (rename, copy). */
public record DataObjCopyInp(DataObjInp src, DataObjInp dst) {
    public byte[] pack() {
        PackWriter w = PackWriter.client("DataObjCopyInp_PI");
        src.write(w);
        dst.write(w);
        return w.bytes();
    }

    public static DataObjCopyInp parse(XmlNode n) {
        var both = n.all("DataObjInp_PI");
        if (both.size() != 2) {
            throw new ProtocolException("DataObjCopyInp_PI needs two DataObjInp_PI, got " + both.size());
        }
        return new DataObjCopyInp(DataObjInp.parse(both.get(0)), DataObjInp.parse(both.get(1)));
    }
}

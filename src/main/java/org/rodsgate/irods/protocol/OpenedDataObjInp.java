package org.rodsgate.irods.protocol;

import java.util.Map;

/** OpenedDataObjInp_PI (§4.2): read, write, seek and close on an open descriptor. */
public record OpenedDataObjInp(int l1descInx, int len, int whence, int oprType, long offset, long bytesWritten,
                               Map<String, String> condInput) {

    public static OpenedDataObjInp of(int fd, int len, int whence, long offset) {
        return new OpenedDataObjInp(fd, len, whence, 0, offset, 0, Map.of());
    }

    public byte[] pack() {
        return PackWriter.client("OpenedDataObjInp_PI").i("l1descInx", l1descInx).i("len", len)
            .i("whence", whence).i("oprType", oprType).i("offset", offset).i("bytesWritten", bytesWritten)
            .kvp(condInput).bytes();
    }

    public static OpenedDataObjInp parse(XmlNode n) {
        return new OpenedDataObjInp(n.int32("l1descInx"), n.int32("len"), n.int32("whence"), n.int32("oprType"),
            n.num("offset"), n.num("bytesWritten"), n.kvp());
    }
}

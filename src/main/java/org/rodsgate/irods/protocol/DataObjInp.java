package org.rodsgate.irods.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/** DataObjInp_PI (§4.2): the input of open, create, unlink, stat, truncate, and half of a rename. */
public record DataObjInp(String objPath, int createMode, int openFlags, long offset, long dataSize, int numThreads,
                         int oprType, Map<String, String> condInput) {

    public static DataObjInp path(String p) {
        return new DataObjInp(p, 0, 0, 0, 0, 0, 0, new LinkedHashMap<>());
    }

    public DataObjInp with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(condInput);
        m.put(key, value);
        return new DataObjInp(objPath, createMode, openFlags, offset, dataSize, numThreads, oprType, m);
    }

    void write(PackWriter w) {
        w.open("DataObjInp_PI").str("objPath", objPath).i("createMode", createMode).i("openFlags", openFlags)
            .i("offset", offset).i("dataSize", dataSize).i("numThreads", numThreads).i("oprType", oprType)
            .kvp(condInput).close();
    }

    public byte[] pack() {
        return PackWriter.client("DataObjInp_PI").str("objPath", objPath).i("createMode", createMode)
            .i("openFlags", openFlags).i("offset", offset).i("dataSize", dataSize).i("numThreads", numThreads)
            .i("oprType", oprType).kvp(condInput).bytes();
    }

    public static DataObjInp parse(XmlNode n) {
        return new DataObjInp(n.str("objPath", ""), n.int32("createMode"), n.int32("openFlags"), n.num("offset"),
            n.num("dataSize"), n.int32("numThreads"), n.int32("oprType"), n.kvp());
    }
}

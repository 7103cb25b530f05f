package org.rodsgate.irods.protocol;

import java.util.Map;

/** CollInpNew_PI: mkdir and rmdir (§4.10, §4.11). */
public record CollInpNew(String collName, int flags, int oprType, Map<String, String> condInput) {
    public byte[] pack() {
        return PackWriter.client("CollInpNew_PI").str("collName", collName).i("flags", flags)
            .i("oprType", oprType).kvp(condInput).bytes();
    }

    public static CollInpNew parse(XmlNode n) {
        return new CollInpNew(n.str("collName", ""), n.int32("flags"), n.int32("oprType"), n.kvp());
    }
}

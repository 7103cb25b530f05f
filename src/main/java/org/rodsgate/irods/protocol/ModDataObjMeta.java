package org.rodsgate.irods.protocol;

import java.util.Map;

/**
 * ModDataObjMeta_PI (§4.16): a DataObjInfo_PI naming the object (every non-pointer string present, and
 * {@code dataAccessTime}, which 5.0 requires) and the regParam key-value pairs.
 */
public record ModDataObjMeta(String objPath, Map<String, String> regParam) {
    public byte[] pack() {
        PackWriter w = PackWriter.client("ModDataObjMeta_PI").open("DataObjInfo_PI").str("objPath", objPath)
            .str("rescName", "").str("rescHier", "").str("dataType", "").i("dataSize", 0).str("chksum", "")
            .str("version", "").str("filePath", "").str("dataOwnerName", "").str("dataOwnerZone", "")
            .i("replNum", 0).i("replStatus", 0).str("statusString", "").i("dataId", 0).i("collId", 0)
            .i("dataMapId", 0).i("flags", 0).str("dataComments", "").str("dataMode", "").str("dataExpiry", "")
            .str("dataCreate", "").str("dataModify", "").str("dataAccess", "").i("dataAccessInx", 0)
            .i("writeFlag", 0).str("destRescName", "").str("backupRescName", "").str("subPath", "")
            .i("regUid", 0).i("otherFlags", 0).kvp(null).str("in_pdmo", "").i("rescId", 0)
            .str("dataAccessTime", "").close();
        return w.kvp(regParam).bytes();
    }

    public static ModDataObjMeta parse(XmlNode n) {
        XmlNode info = n.child("DataObjInfo_PI");
        if (info == null) {
            throw new ProtocolException("ModDataObjMeta_PI without DataObjInfo_PI");
        }
        // the regParam is the KeyValPair_PI that follows DataObjInfo_PI (the one inside it belongs to it)
        return new ModDataObjMeta(info.str("objPath", ""), n.kvp());
    }
}

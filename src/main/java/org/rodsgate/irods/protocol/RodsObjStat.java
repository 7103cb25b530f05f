package org.rodsgate.irods.protocol;

/** RodsObjStat_PI, the output of OBJ_STAT (§4.5). Times are 11-digit epoch-second strings. */
public record RodsObjStat(long objSize, int objType, int dataMode, String dataId, String chksum, String ownerName,
                          String ownerZone, String createTime, String modifyTime) {
    public static final int DATA_OBJ_T = 1;
    public static final int COLL_OBJ_T = 2;

    public byte[] pack() {
        return PackWriter.server("RodsObjStat_PI").i("objSize", objSize).i("objType", objType)
            .i("dataMode", dataMode).str("dataId", dataId).str("chksum", chksum).str("ownerName", ownerName)
            .str("ownerZone", ownerZone).str("createTime", createTime).str("modifyTime", modifyTime).bytes();
    }

    public static RodsObjStat parse(XmlNode n) {
        return new RodsObjStat(n.num("objSize"), n.int32("objType"), n.int32("dataMode"), n.str("dataId", ""),
            n.str("chksum", ""), n.str("ownerName", ""), n.str("ownerZone", ""), n.str("createTime", "0"),
            n.str("modifyTime", "0"));
    }
}

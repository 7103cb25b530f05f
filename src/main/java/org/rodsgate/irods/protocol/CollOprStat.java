package org.rodsgate.irods.protocol;

/** CollOprStat_PI: progress and result of RM_COLL (§4.11). */
public record CollOprStat(int filesCnt, int totalFileCnt, long bytesWritten, String lastObjPath) {
    public byte[] pack() {
        return PackWriter.server("CollOprStat_PI").i("filesCnt", filesCnt).i("totalFileCnt", totalFileCnt)
            .i("bytesWritten", bytesWritten).str("lastObjPath", lastObjPath).bytes();
    }
}

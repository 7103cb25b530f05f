package org.rodsgate.irods;

/**
 * What iRODS knows of one path: a data object or a collection. Times are epoch seconds. {@code id} is the
 * DATA_ID or COLL_ID (stable across restarts, the basis of inode numbers). {@code replStatus} is that of the
 * replica the values came from (-1 for collections).
 */
public record ObjStat(String path, Kind kind, long id, long size, long createTime, long modifyTime, String owner,
                      String checksum, int replStatus) {
    public enum Kind { DATA_OBJECT, COLLECTION }

    public boolean isCollection() {
        return kind == Kind.COLLECTION;
    }

    public String name() {
        return Paths.name(path);
    }
}

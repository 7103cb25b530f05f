package org.rodsgate.fs;

/** Attributes of one entry as the kernel sees them. Times are epoch seconds; {@code ino} comes from iRODS ids. */
public record Attr(long ino, int mode, long size, long mtime, long ctime, int nlink, int uid, int gid) {
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;

    public boolean isDir() {
        return (mode & 0170000) == S_IFDIR;
    }
}

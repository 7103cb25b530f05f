package org.rodsgate.fs;

import java.nio.file.Path;

/**
 * Settings of the filesystem core, declared once.
 *
 * @param uid, gid     owner shown for entries in mount-owner mode (the mount process's by default)
 * @param spillDir     where random writes are staged before upload (local disk; one file per open file written
 *                     out of order, removed at close)
 * @param prefetch     read-ahead windows
 * @param checksum     ask iRODS to compute and store the checksum of a file written through the mount when it is
 *                     closed (mount.checksum: compute, the default, or off)
 */
public record FsSettings(int uid, int gid, Path spillDir, Prefetcher.Settings prefetch, boolean checksum) {
    public static FsSettings defaults(int uid, int gid, Path spillDir) {
        return new FsSettings(uid, gid, spillDir, Prefetcher.Settings.defaults(), true);
    }

    public FsSettings withChecksum(boolean on) {
        return new FsSettings(uid, gid, spillDir, prefetch, on);
    }
}

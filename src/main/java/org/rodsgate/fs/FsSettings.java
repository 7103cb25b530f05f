package org.rodsgate.fs;

import java.nio.file.Path;

/**
 * Settings of the filesystem core, declared once.
 *
 * @param uid, gid     owner shown for entries in mount-owner mode (the mount process's by default)
 * @param spillDir     where random writes are staged before upload (local disk; one file per open file written
 *                     out of order, removed at close)
 * @param prefetch     read-ahead windows
 */
public record FsSettings(int uid, int gid, Path spillDir, Prefetcher.Settings prefetch) {
    public static FsSettings defaults(int uid, int gid, Path spillDir) {
        return new FsSettings(uid, gid, spillDir, Prefetcher.Settings.defaults());
    }
}

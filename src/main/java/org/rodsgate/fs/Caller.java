package org.rodsgate.fs;

/** Who made a filesystem request (from the FUSE context). */
public record Caller(int uid, int gid, int pid) {
    public static final Caller ROOT = new Caller(0, 0, 0);
}

package org.rodsgate.fs.open;

import org.rodsgate.irods.ObjStat;

/**
 * The version of a data object a writer started from: its data id, size (bytes), modify time (epoch seconds, the
 * catalog's resolution) and checksum (empty when iRODS has none). A new version replaces the object only while the
 * object is still at this version; anything else is a concurrent change by another client (a conflict).
 */
public record Baseline(long id, long size, long modifyTime, String checksum) {
    public static Baseline of(ObjStat s) {
        return new Baseline(s.id(), s.size(), s.modifyTime(), s.checksum() == null ? "" : s.checksum());
    }

    /** Whether {@code now} is still this version (a missing object is not). */
    public boolean matches(ObjStat now) {
        if (now == null || now.isCollection()) {
            return false;
        }
        String sum = now.checksum() == null ? "" : now.checksum();
        boolean sumsAgree = checksum.isEmpty() || sum.isEmpty() || checksum.equals(sum);
        return now.id() == id && now.size() == size && now.modifyTime() == modifyTime && sumsAgree;
    }
}

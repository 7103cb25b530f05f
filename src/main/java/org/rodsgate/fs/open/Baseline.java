package org.rodsgate.fs.open;

import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.ObjStat;

/**
 * The version of a data object a writer started from: its data id, size (bytes), modify time (epoch seconds, the
 * catalog's resolution) and checksum (empty when iRODS has none). A new version replaces the object only while the
 * object is still at this version; anything else is a concurrent change by another client (a conflict).
 *
 * <p>The catalog keeps modify times in whole seconds, so an overwrite by another client in the same second as the
 * version the writer started from, with the same size, leaves id, size and modify time as they were. Such a
 * baseline is <em>racy</em> (git's "racy clean" problem): it was modified at most {@link #RACY_SECONDS} before it
 * was taken (gateway clock against the server's modify time). A racy baseline is pinned by content: its checksum is
 * taken from iRODS when it is captured ({@link #of(ObjStat, Checksummer)}), and the switch compares the object's
 * checksum then ({@link Replacement#commit}). That costs one server-side checksum of an object changed within the
 * last seconds; every other baseline costs nothing more. A server clock ahead of the gateway's by more than
 * {@link #RACY_SECONDS} makes more baselines racy (slower, still safe); one behind by more than that can let such a
 * same-second overwrite through, as without this check.
 *
 * @param racy whether the modify time cannot tell later changes apart (see above)
 */
public record Baseline(long id, long size, long modifyTime, String checksum, boolean racy) {
    /** How recent (seconds, before the gateway's clock) a modify time makes a baseline racy. */
    public static final long RACY_SECONDS = 2;

    /** Computes the object's checksum in iRODS (DATA_OBJ_CHKSUM: stored if it has one, else computed and stored). */
    @FunctionalInterface
    public interface Checksummer {
        String checksum() throws IrodsException;
    }

    /** The baseline of {@code s} as the catalog shows it, without pinning a racy one by content. */
    public static Baseline of(ObjStat s) {
        long nowSeconds = System.currentTimeMillis() / 1000;
        return new Baseline(s.id(), s.size(), s.modifyTime(), s.checksum() == null ? "" : s.checksum(),
            s.modifyTime() >= nowSeconds - RACY_SECONDS);
    }

    /** The baseline of {@code s}; a racy one without a checksum gets the checksum {@code sum} gives. */
    public static Baseline of(ObjStat s, Checksummer sum) throws IrodsException {
        Baseline b = of(s);
        if (!b.racy || !b.checksum.isEmpty()) {
            return b;
        }
        String c = sum.checksum();
        return new Baseline(b.id, b.size, b.modifyTime, c == null ? "" : c, true);
    }

    /** Whether {@code now} is still this version as far as the catalog shows (a missing object is not). */
    public boolean matches(ObjStat now) {
        if (now == null || now.isCollection()) {
            return false;
        }
        String sum = now.checksum() == null ? "" : now.checksum();
        boolean sumsAgree = checksum.isEmpty() || sum.isEmpty() || checksum.equals(sum);
        return now.id() == id && now.size() == size && now.modifyTime() == modifyTime && sumsAgree;
    }

    /**
     * For a racy baseline that {@link #matches} {@code now}: whether the content is still this version, by
     * checksum ({@code sum} computes the object's current one when the catalog shows none — another client's
     * write clears it). True for a baseline that is not racy or has no checksum to compare.
     */
    public boolean sameContent(ObjStat now, Checksummer sum) throws IrodsException {
        if (!racy || checksum.isEmpty()) {
            return true;
        }
        String current = now.checksum() == null || now.checksum().isEmpty() ? sum.checksum() : now.checksum();
        return checksum.equals(current);
    }
}

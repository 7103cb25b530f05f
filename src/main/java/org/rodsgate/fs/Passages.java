package org.rodsgate.fs;

import java.util.List;
import java.util.TreeSet;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;

/**
 * Per-user traversal on a real zone. A fresh iRODS zone gives ordinary users no right on {@code /}, {@code /zone}
 * or {@code /zone/home}, and iRODS hides what a user has no right on (OBJ_STAT answers USER_FILE_DOES_NOT_EXIST,
 * golden frames {@code alice_obj_stat_*}). A <em>passage</em> is such a hidden collection that leads to something
 * the user may see: an ancestor of their home, or of a collection or data object iRODS shows them (shared with
 * them). Passages appear as read-only directories ({@code r-x}) listing only the next components toward what the
 * user may see. Every question here is asked as the user (never with the proxy's rights), so no name the user
 * could not learn from iRODS is shown.
 */
final class Passages {
    /** Inodes of passages (and of virtual directories): this bit plus a hash of the path, apart from iRODS ids. */
    static final long SYNTHETIC_ID_BIT = 0x4000_0000_0000_0000L;
    /**
     * Rows scanned at most to find the next components of one passage: 10,000 (a few GenQuery pages), so listing
     * {@code /} stays cheap for a user who sees a large tree; what lies beyond is still reachable by its path.
     */
    static final int MAX_SCAN_ROWS = 10_000;

    private Passages() {}

    static boolean isPassage(ObjStat s) {
        return s.isCollection() && (s.id() & SYNTHETIC_ID_BIT) != 0 && s.owner().isEmpty();
    }

    static ObjStat passage(String path) {
        return new ObjStat(path, ObjStat.Kind.COLLECTION, SYNTHETIC_ID_BIT | (path.hashCode() & 0xffffffffL), 0, 0, 0,
            "", "", -1);
    }

    private static String home(IrodsSession s, String user) {
        return "/" + s.zone() + "/home/" + user;
    }

    /** The passage at {@code path} if that hidden path leads to something {@code user} may see, else null. */
    static ObjStat find(IrodsSession s, String user, String path) throws IrodsException {
        String home = home(s, user);
        if (Paths.isUnder(home, path)) {
            return passage(path);
        }
        if (Paths.isUnder(path, home)) {
            return null; // below their own home nothing is hidden from the user: a missing name costs no query
        }
        return below(s, path, new TreeSet<>(), 1) > 0 ? passage(path) : null;
    }

    /**
     * The sub-collection names a passage lists besides what iRODS lists in it for the user: next components toward
     * the user's home and toward what iRODS shows them deeper down.
     */
    static List<String> children(IrodsSession s, String user, String path) throws IrodsException {
        TreeSet<String> names = new TreeSet<>();
        below(s, path, names, MAX_SCAN_ROWS);
        String home = home(s, user);
        if (Paths.isUnder(home, path) && !home.equals(path)) {
            names.add(next(path, home));
        }
        return List.copyOf(names);
    }

    /**
     * Collects the next components under {@code path} of collections the user sees, and of collections holding
     * data objects the user sees; returns the rows seen (at most {@code limit} per query).
     */
    private static int below(IrodsSession s, String path, TreeSet<String> names, int limit) throws IrodsException {
        String like = (path.equals("/") ? "" : GenQuery.likeLiteral(path)) + "/%";
        int n = scan(s, GenQuery.select(Column.COLL_NAME).where(Column.COLL_NAME, GenQuery.Op.LIKE, like), path,
            names, limit);
        if (n < limit) {
            n += scan(s, GenQuery.select(Column.COLL_NAME).whereCollectionTree(Column.COLL_NAME, path)
                .where(Column.DATA_NAME, GenQuery.Op.LIKE, "%"), path, names, limit);
        }
        return n;
    }

    private static int scan(IrodsSession s, GenQuery q, String path, TreeSet<String> names, int limit)
        throws IrodsException {
        int[] rows = {0};
        try {
            s.query(q, Math.min(limit, IrodsSession.PAGE_SIZE), r -> {
                String c = r.get(0);
                if (!c.equals(path) && Paths.isUnder(c, path)) {
                    names.add(next(path, c));
                }
                if (++rows[0] >= limit) {
                    throw new Enough();
                }
            });
        } catch (Enough e) {
            // IrodsSession.query closed the open statement; enough rows seen
        }
        return rows[0];
    }

    /** The component of {@code descendant} right below {@code ancestor}. */
    private static String next(String ancestor, String descendant) {
        String rest = descendant.substring(ancestor.equals("/") ? 1 : ancestor.length() + 1);
        int i = rest.indexOf('/');
        return i < 0 ? rest : rest.substring(0, i);
    }

    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }
}

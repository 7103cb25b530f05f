package org.rodsgate.fs.open;

import java.util.logging.Logger;
import org.rodsgate.irods.Acl;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;

/**
 * Switches a new version of a data object in, once its bytes are safe in iRODS: the version was written to a work
 * object ({@link WorkNames#part}) and closed (iRODS finalized it: good replica, size known), and now replaces the
 * object by one catalog rename. Until then the previous contents stay readable under the object's name.
 *
 * <p>Before the switch the object must still be at the writer's {@link Baseline}; if another client changed,
 * replaced or removed it meanwhile, the new version is kept beside it as {@link WorkNames#conflict} and the
 * switch fails with EIO naming that copy (the loser of a conflict is told; no close is silently dropped). The
 * object's AVUs and every user's access are carried over to the new version. The data id changes (it is a new
 * data object), like a file replaced by rename on a local disk; so does the owner field when a user with write
 * (not own) access wrote it — the previous owner keeps "own" access.
 */
public final class Replacement {
    private static final Logger LOG = Logger.getLogger(Replacement.class.getName());

    private Replacement() {}

    /**
     * Makes {@code part} the contents of {@code target}, keeping the file's inode number ({@link StableInodes}).
     * Costs two OBJ_STATs, two GenQueries (AVUs, ACLs), one rename, plus one call per AVU or foreign ACL to carry
     * over.
     *
     * @throws WriteFailure (EIO) on a conflict; the new version is then at the returned-in-message conflict name
     * @throws IrodsException when iRODS refuses; {@code part} is left as it is (the caller removes it)
     */
    public static void commit(IrodsSession s, String part, String target, Baseline base)
        throws WriteFailure, IrodsException {
        ObjStat now = s.statOrNull(target);
        if (base == null ? now != null : !base.matches(now) || !base.sameContent(now, () -> s.checksum(target))) {
            String keep = WorkNames.conflict(target);
            s.rename(part, keep, false);
            String what = now == null ? "removed" : "changed";
            LOG.warning("conflict: " + target + " was " + what + " by another client while this mount wrote it;"
                + " this mount's version is kept as " + keep);
            throw WriteFailure.conflict("conflict: " + target + " was " + what
                + " by another client since it was opened; this version is kept as " + keep);
        }
        ObjStat fresh = null;
        if (now != null) {
            carryOver(s, target, part);
            fresh = s.statOrNull(part);
        }
        s.rename(part, target, now != null);
        if (fresh != null) {
            StableInodes.replaced(s.connection().account(), now.id(), fresh.id());
        }
    }

    /**
     * AVUs, and every user's access — the previous owner's "own" included, when someone with write access wrote the
     * new version (it then owns the new data object too, as its creator).
     */
    private static void carryOver(IrodsSession s, String from, String to) throws IrodsException {
        for (Avu a : s.listAvus(from, false)) {
            s.addAvu(to, false, a);
        }
        String writer = s.connection().account().clientUser();
        for (Acl a : s.listAcls(from, false)) {
            if (!a.user().equals(writer)) {
                s.setAcl(to, a.user(), level(a.normalizedAccess()), false);
            }
        }
    }

    /** The MOD_ACCESS_CONTROL level for an access name as GenQuery shows it ("read object" 4.2, "read_object" 4.3+). */
    static String level(String access) {
        if (access.contains("own")) {
            return "own";
        }
        if (access.contains("modify") || access.contains("write") || access.contains("delete")) {
            return "write";
        }
        return "read";
    }

    /** Removes a work object that will not be switched in; a failure only leaves a hidden work object behind. */
    public static void removeQuietly(IrodsSession s, String part) {
        try {
            s.unlink(part);
        } catch (IrodsException e) {
            LOG.info("could not remove work object " + part + ": " + e.getMessage());
        }
    }
}

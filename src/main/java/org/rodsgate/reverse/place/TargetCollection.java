package org.rodsgate.reverse.place;

import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.Paths;

/**
 * Creates the collection a placed file goes into, as the account that places it. When iRODS refuses
 * (CAT_NO_ACCESS_PERMISSION), the error names that iRODS user, the collection, the first one on its path that does
 * not exist and the nearest that does (where write permission is needed), and what an administrator does about it
 * — the usual cause on a fresh zone: copies run as the OMERO owner's iRODS user, who may write only under their home.
 */
final class TargetCollection {
    private TargetCollection() {}

    /**
     * {@code imkdir -p collection} in session {@code s}, acting as {@code who} (an iRODS user name, possibly with a
     * note such as "(OMERO owner john.doe)"). IrodsException as iRODS answered, with the explanation above for a
     * permission refusal.
     */
    static void create(IrodsSession s, String collection, String who, String how) throws IrodsException {
        create(s, collection, who, how, p -> s.statOrNull(p) != null);
    }

    /** Whether a collection exists, as an account that sees every collection (the gateway's rodsadmin). */
    interface Exists {
        boolean exists(String path) throws IrodsException;
    }

    /**
     * As above, with the collections looked up through {@code exists} (the acting user may not see the zone's
     * upper collections).
     */
    static void create(IrodsSession s, String collection, String who, String how, Exists exists)
        throws IrodsException {
        try {
            s.mkdir(collection, true);
        } catch (IrodsException e) {
            if (e.code() != ErrorCode.CAT_NO_ACCESS_PERMISSION.code) {
                throw e;
            }
            String missing = collection;
            String parent = Paths.parent(collection);
            while (parent != null && !parent.equals("/") && !exists.exists(parent)) {
                missing = parent;
                parent = Paths.parent(parent);
            }
            boolean there = exists.exists(collection);
            String user = who.split(" ", 2)[0];
            throw new IrodsException(e.code(), how + " run as iRODS user " + who + ", who may not create collection "
                + collection + " (" + (there ? "it exists but " + user + " may not write in it"
                : missing + " is the first on its path that does not exist; " + user + " needs write permission on "
                + parent) + "): " + e.getMessage() + ". An iRODS administrator prepares it once, e.g. `imkdir -p "
                + missing + "; ichmod -r inherit " + missing + "; ichmod -r write GROUP " + missing
                + "` (an iRODS group " + user + " belongs to, not the user: with inherit, a user's own ACL on the top"
                + " would replace the own they get on what they create), or the rule's template is put under the"
                + " user's home (/ZONE/home/%user%/...)");
        }
    }
}

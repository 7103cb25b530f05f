package org.rodsgate.reverse.place;

import java.io.IOException;
import java.util.List;
import org.rodsgate.reverse.OmeroFileset;

/**
 * The iRODS side of describing a fileset: AVUs on each of its data objects and their ACLs. Idempotent (AVUs set,
 * not added twice).
 */
public interface IrodsDescription {
    /**
     * Sets on every object: {@code omero.fileset} (id), {@code omero.image} (one AVU per image id),
     * {@code omero.owner}, {@code omero.group}, {@code omero.server} (host:port), {@code omero.clientPath} (that
     * file's), {@code omero.registered} (ISO-8601 UTC time of the first description, kept on later calls). Gives
     * {@code irodsUser} own (unless the rule is REGISTER: read) and the iRODS group named like the OMERO group read
     * when that group exists.
     */
    void describe(List<Placed> placed, OmeroFileset fs, List<Long> images, String omeroServer, String irodsUser,
                  PlacementRule rule) throws IOException;

    /**
     * A fileset deleted in OMERO: sets {@code omero.deleted} (ISO-8601 UTC time) on each of its objects (called after
     * {@link #describe}): those at the listed paths that still carry the fileset's description, and those a user
     * moved elsewhere; an object put in the place of one by someone else is left alone. Never removes or changes data.
     * Objects gone from iRODS are skipped.
     */
    void markDeleted(List<String> irodsPaths, long deletedAtMillis) throws IOException;
}

package org.rodsgate.reverse.place;

import java.io.IOException;
import java.util.List;
import org.rodsgate.reverse.OmeroFileset;

/**
 * Puts the files of one fileset into iRODS as its rule says and reports where each one is. Idempotent and
 * resumable: called again after a failure or a kill -9 it finishes what is missing and never leaves a partial copy
 * under a final name (work objects are hidden, switched in by rename once complete and verified).
 */
public interface Placement {
    /**
     * @param rule  how (see {@link PlacementRule})
     * @param fs    the fileset, with its files
     * @param irodsUser the iRODS user the fileset's OMERO owner maps to (gets {@code own})
     * @return one entry per file of {@code fs}, in its order
     * @throws NotYet when the rule's time window is closed (the unit is retried when it opens, not counted as a failure)
     * @throws IOException for anything else (OMERO's bytes unreadable, iRODS refusing, a checksum mismatch...)
     */
    List<Placed> place(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException;

    /**
     * The iRODS paths {@link #place} would write for {@code fs} (COPY, REGISTER), known before any byte moves, so
     * they can be recorded first: the forward watcher never imports a file switched in before its fileset finished.
     * Empty for rules that write nothing (IN_PLACE, MANAGED_ON_MOUNT) and by default.
     *
     * @throws IOException when the rule's template cannot be expanded for a file (same error as {@link #place})
     */
    default List<String> targets(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException {
        return List.of();
    }

    /** Not a failure: the work may not start now (time window closed), and may at {@code notBeforeMillis}. */
    final class NotYet extends IOException {
        private final long notBeforeMillis;

        public NotYet(String why, long notBeforeMillis) {
            super(why);
            this.notBeforeMillis = notBeforeMillis;
        }

        public long notBeforeMillis() {
            return notBeforeMillis;
        }
    }
}

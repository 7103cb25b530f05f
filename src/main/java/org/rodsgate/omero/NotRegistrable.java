package org.rodsgate.omero;

import java.io.IOException;

/**
 * A unit that cannot be registered as things stand, for a reason retrying at once would not change: it is parked
 * with the reason (see {@link Reason}) instead of burning its attempts.
 */
public class NotRegistrable extends IOException {
    /** Why; {@link #retriedWhenMountReturns()} tells which pass by themselves once the mount answers again. */
    public enum Reason {
        /** the mount does not show the zone: unmounted, or its FUSE process gone */
        MOUNT_DOWN,
        /** the path under the mount does not resolve (deleted, renamed, or a mount mapping that does not cover it) */
        MISSING,
        /** the OMERO OS user cannot read the file through the mount (permissions, or a mount without allow_other) */
        UNREADABLE,
        /** a name OMERO cannot take as it is (see {@link Names}) */
        NAME;

        public boolean retriedWhenMountReturns() {
            return this != NAME;
        }
    }

    private final Reason reason;

    public NotRegistrable(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

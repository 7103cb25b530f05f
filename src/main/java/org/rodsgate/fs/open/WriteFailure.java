package org.rodsgate.fs.open;

import java.io.IOException;
import org.rodsgate.irods.Errno;

/**
 * A write, flush or close that failed with a specific errno (not the generic EIO of an I/O error): ENOSPC when the
 * spill directory is full, EIO with a message naming where unsaved data is kept. Mapped by {@code fs/Errors}.
 */
public final class WriteFailure extends IOException {
    private final Errno errno;
    private final boolean conflict;

    public WriteFailure(Errno errno, String message, Throwable cause) {
        this(errno, message, cause, false);
    }

    private WriteFailure(Errno errno, String message, Throwable cause, boolean conflict) {
        super(message, cause);
        this.errno = errno;
        this.conflict = conflict;
    }

    /** Another client changed the object first; the new version was kept in iRODS under another name (EIO). */
    public static WriteFailure conflict(String message) {
        return new WriteFailure(Errno.EIO, message, null, true);
    }

    /** Whether this is a lost conflict (the data is safe in iRODS under the name the message gives). */
    public boolean isConflict() {
        return conflict;
    }

    public Errno errno() {
        return errno;
    }
}

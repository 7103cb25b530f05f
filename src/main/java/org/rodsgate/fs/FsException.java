package org.rodsgate.fs;

import org.rodsgate.irods.Errno;

/** A filesystem-level failure with the errno the caller should see. */
public class FsException extends Exception {
    private final int errno;

    public FsException(Errno errno, String message) {
        this(errno.value, message);
    }

    public FsException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}

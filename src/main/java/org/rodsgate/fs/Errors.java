package org.rodsgate.fs;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.rodsgate.fs.open.WriteFailure;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsException;

/** The one place where any throwable becomes an errno for the kernel (STYLE habit 3). */
public final class Errors {
    private Errors() {}

    public static int errno(Throwable t) {
        if (t instanceof FsException f) {
            return f.errno();
        }
        if (t instanceof WriteFailure w) {
            return w.errno().value;
        }
        if (t instanceof IrodsException e) {
            return e.errno();
        }
        if (t instanceof NoSuchFileException) {
            return Errno.ENOENT.value;
        }
        if (t instanceof IOException) {
            return Errno.EIO.value;
        }
        if (t instanceof IllegalArgumentException) {
            return Errno.EINVAL.value;
        }
        return Errno.EIO.value;
    }
}

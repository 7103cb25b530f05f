package org.rodsgate.irods;

import java.io.IOException;

/**
 * The one exception type of the iRODS client: the iRODS code (0 when the failure was not an iRODS status, e.g. a
 * socket error), its name, the errno it means ({@link ErrorCode#errnoOf}), and whether the connection it happened on
 * is dead and must be discarded. Messages never contain passwords; those made by {@link #in} name the operation
 * and the path ({@code stat /tempZone/home/x: USER_FILE_DOES_NOT_EXIST (no such data object or collection)}).
 */
public class IrodsException extends IOException {
    private final int code;
    private final int errno;
    private final boolean connectionDead;

    public IrodsException(int code, String message) {
        this(code, message, false, null);
    }

    public IrodsException(int code, String message, boolean connectionDead, Throwable cause) {
        this(code, code == 0 ? Errno.EIO.value : ErrorCode.errnoOf(code), message, connectionDead, cause);
    }

    private IrodsException(int code, int errno, String message, boolean connectionDead, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.errno = errno;
        this.connectionDead = connectionDead;
    }

    /** A failure with no iRODS status: network, TLS, protocol. The connection is dead. */
    public static IrodsException transport(String message, Throwable cause, int errno) {
        return new IrodsException(0, errno, message, true, cause);
    }

    /** The same failure, its message prefixed with the operation and the path it concerned. */
    public IrodsException in(String operation, String path) {
        return new IrodsException(code, errno, operation + " " + path + ": " + getMessage(), connectionDead, this);
    }

    public int code() {
        return code;
    }

    public String codeName() {
        return code == 0 ? "" : ErrorCode.nameOf(code);
    }

    public int errno() {
        return errno;
    }

    public boolean connectionDead() {
        return connectionDead;
    }

    public boolean is(ErrorCode c) {
        return code == c.code;
    }

    /** True for "does not exist" codes. */
    public boolean isNotFound() {
        return code != 0 && errno() == Errno.ENOENT.value;
    }
}

package org.rodsgate.sandbox;

import org.rodsgate.irods.ErrorCode;

/**
 * An iRODS error status the sandbox answers with (intInfo), plus a message for its log. Like iRODS 5.0.2, which
 * answers failures with no error part (golden frames), the message goes into the reply's RError only when
 * {@link #forClient} says so (5.0.2 does it for CAT_UNKNOWN_SPECIFIC_QUERY).
 */
final class SandboxError extends Exception {
    final int code;
    final boolean forClient;

    SandboxError(ErrorCode code, String message) {
        this(code.code, message);
    }

    SandboxError(int code, String message) {
        this(code, message, false);
    }

    SandboxError(int code, String message, boolean forClient) {
        super(message, null, false, false);
        this.code = code;
        this.forClient = forClient;
    }
}

package org.rodsgate.sandbox;

import org.rodsgate.irods.ErrorCode;

/** An iRODS error status the sandbox answers with (intInfo), plus a message for its log and rError. */
final class SandboxError extends Exception {
    final int code;

    SandboxError(ErrorCode code, String message) {
        this(code.code, message);
    }

    SandboxError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}

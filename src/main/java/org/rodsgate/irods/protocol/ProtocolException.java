package org.rodsgate.irods.protocol;

/** A frame or message that does not follow the iRODS protocol. The connection it came from cannot be trusted. */
public class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}

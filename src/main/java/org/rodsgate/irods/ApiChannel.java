package org.rodsgate.irods;

/** Something that sends one API request and returns its reply, throwing {@link IrodsException} on error. */
public interface ApiChannel {
    Reply call(int api, byte[] msg) throws IrodsException;
}

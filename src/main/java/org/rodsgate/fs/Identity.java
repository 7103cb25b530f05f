package org.rodsgate.fs;

import org.rodsgate.irods.IrodsAccount;

/**
 * Turns the local caller of a request into the iRODS account the request runs as. Implementations: everything as
 * the mount owner's account, or each local user as themselves through a rodsadmin proxy.
 */
public interface Identity {
    /** The account for this caller; EACCES when the caller has no iRODS identity. */
    IrodsAccount account(Caller caller) throws FsException;

    /** Whether each local user acts as themselves (then caches are kept per user, and mode bits are per user). */
    boolean perUser();
}

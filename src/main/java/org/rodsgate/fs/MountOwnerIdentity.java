package org.rodsgate.fs;

import org.rodsgate.irods.IrodsAccount;

/** Every request runs as the one configured iRODS account, whoever makes it. */
public final class MountOwnerIdentity implements Identity {
    private final IrodsAccount account;

    public MountOwnerIdentity(IrodsAccount account) {
        this.account = account;
    }

    @Override
    public IrodsAccount account(Caller caller) {
        return account;
    }

    @Override
    public boolean perUser() {
        return false;
    }
}

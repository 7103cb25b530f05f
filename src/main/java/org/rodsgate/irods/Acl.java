package org.rodsgate.irods;

/** One access-control entry; {@code access} as the server names it (own, modify_object / modify object, ...). */
public record Acl(String user, String zone, String access) {
    /** Normalises the 4.2 ("read object") and 4.3+ ("read_object") spellings to the latter. */
    public String normalizedAccess() {
        return access.replace(' ', '_');
    }
}

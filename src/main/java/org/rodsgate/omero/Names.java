package org.rodsgate.omero;

/**
 * Which iRODS names OMERO can take as they are. OMERO's server never accepts a control character in a file name
 * (ome/omero-documentation sysadmins/fs-upload-configuration.rst, "Legal file names"); the importer replaces it with
 * {@code _} ({@code MakePathComponentSafe}), so the repository would name another file than iRODS, and a line break
 * cannot pass through the importer's line-per-file {@code -f} listing at all. Every other name iRODS accepts —
 * quotes, backslashes, {@code %}, {@code _}, leading or trailing spaces — is registered.
 */
public final class Names {
    private Names() {}

    /** Why OMERO cannot take this path as it is, or null when it can. */
    public static String problem(String irodsPath) {
        for (int i = 0; i < irodsPath.length(); i++) {
            char c = irodsPath.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                return String.format("the name holds control character U+%04X, which OMERO does not accept in file"
                    + " names", (int) c);
            }
        }
        return null;
    }
}

package org.rodsgate.cli;

import org.rodsgate.config.ConfigException;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsException;

/** Turns any failure into one line for a person, and an exit status. */
final class Failures {
    private Failures() {}

    static String describe(Throwable e) {
        if (e instanceof IrodsException ie) {
            String m = ie.getMessage();
            String name = ie.codeName();
            return name.isEmpty() || m.contains(name) ? m : m + " (" + name + ")";
        }
        if (e instanceof ConfigException) {
            return e.getMessage();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static int exitCode(Throwable e) {
        if (e instanceof ConfigException) {
            return 2;
        }
        if (e instanceof IrodsException ie && (ie.isNotFound() || ie.errno() == Errno.ENODATA.value)) {
            return 3;
        }
        return 1;
    }
}

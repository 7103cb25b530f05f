package org.rodsgate.omero;

import java.time.Duration;
import java.util.Map;

/**
 * How to reach OMERO through its command line, declared once.
 *
 * @param host, port      the OMERO server (4064)
 * @param admin           the account that authenticates, with --sudo for each user (an admin or restricted admin
 *                        with the Sudo privilege)
 * @param password        the admin's password, handed to omero in OMERO_PASSWORD (never on a command line)
 * @param cli             the {@code omero} executable
 * @param osUser          the non-root OS user omero runs as (it must be able to write the ManagedRepository)
 * @param group           the OMERO group (-g), or null for the user's default
 * @param checksum        --checksum-algorithm; File-Size-64 by default so OMERO does not read every file twice
 * @param env             more environment for omero (OMERODIR, JAVA_HOME, ...)
 * @param timeout         the longest one omero command may take
 * @param tag             the tag linked to every registered image
 */
public record OmeroSettings(String host, int port, String admin, String password, String cli, String osUser,
                            String group, String checksum, Map<String, String> env, Duration timeout, String tag) {
    public String server() {
        return host + ":" + port;
    }
}

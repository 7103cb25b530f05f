package org.rodsgate.omero;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs a command (injected, so the registrar is tested without spawning). */
public interface ProcessRunner {
    record Result(int exit, String out, String err) {}

    Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException;

    /**
     * A new directory only the OS user who runs the commands may use: created under java.io.tmpdir with a random
     * name by one mkdir that fails if the name exists (no race with another local user), mode 0700 from creation.
     * The caller removes it.
     */
    default Path privateDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(prefix,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}

package org.rodsgate.omero;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs a command (injected, so the registrar is tested without spawning). */
public interface ProcessRunner {
    record Result(int exit, String out, String err) {}

    Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException;
}

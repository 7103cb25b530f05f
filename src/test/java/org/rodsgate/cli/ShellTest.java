package org.rodsgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** newcomer2 H6: the sandbox's printed export lines, pasted into a real shell, give back the exact path. */
class ShellTest {
    @Test
    void sandboxExportLinesSurviveAShellWithSpacesAndQuotes() throws Exception {
        for (String path : List.of("/tmp/newcomer trial/sb/irods_environment.json", "/tmp/plain/sb/.irodsA",
            "/tmp/it's \"odd\" $HOME `x` \\ ;&|*?/a b", "/tmp/ünï cödé/x", "")) {
            String line = Shell.export("IRODS_ENVIRONMENT_FILE", path);
            Process p = new ProcessBuilder("bash", "-c", line + "; printf %s \"$IRODS_ENVIRONMENT_FILE\"")
                .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertEquals(path, out, line);
        }
        assertEquals("export X=/tmp/plain/a.json", Shell.export("X", "/tmp/plain/a.json"));
    }
}

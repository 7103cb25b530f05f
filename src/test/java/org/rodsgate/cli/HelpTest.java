package org.rodsgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 11: {@code --help} and {@code --version} answer on every command and subcommand, exit 0, nothing else run. */
class HelpTest {
    @Test
    void helpOnEveryCommand() {
        CommandLine root = new CommandLine(new Main());
        assertTrue(root.getSubcommands().size() >= 12, "the subcommands are registered");
        for (String name : root.getSubcommands().keySet()) {
            StringWriter out = new StringWriter();
            CommandLine cl = new CommandLine(new Main());
            cl.setOut(new PrintWriter(out));
            int rc = cl.execute(name, "--help");
            assertEquals(0, rc, name + " --help exits 0");
            assertTrue(out.toString().startsWith("Usage: rodsgate " + name), name + " --help prints its usage: " + out);
        }
    }

    @Test
    void versionOnEveryCommandNamesTheBuild() {
        CommandLine root = new CommandLine(new Main());
        for (String name : root.getSubcommands().keySet()) {
            StringWriter out = new StringWriter();
            CommandLine cl = new CommandLine(new Main());
            cl.setOut(new PrintWriter(out));
            assertEquals(0, cl.execute(name, "--version"), name + " --version exits 0");
            assertTrue(out.toString().startsWith("rodsgate "), out.toString());
        }
    }
}

package org.rodsgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code rodsgate} command. Every failure ends as one line on stderr and a non-zero exit status. */
@Command(name = "rodsgate", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    versionProvider = BuildInfo.class,
    description = "iRODS to OMERO gateway: iRODS client commands and the sandbox iRODS server.",
    subcommands = {InitCommand.class, LsCommand.class, StatCommand.class, GetCommand.class, PutCommand.class, MetaCommand.class,
        SandboxCommand.class, MountCommand.class, UnmountCommand.class, WatchCommand.class,
        RegisterCommand.class, StatusCommand.class, RetryCommand.class, PushCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parse) -> {
            cmd.getErr().println("rodsgate: " + Failures.describe(e));
            Logging.debug(e);
            return Failures.exitCode(e);
        });
        return cl.execute(args);
    }
}

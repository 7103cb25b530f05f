package org.rodsgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code rodsgate} command. Every failure ends as one line on stderr and a non-zero exit status chosen by
 * {@link Failures} (usage errors found by picocli included).
 */
@Command(name = "rodsgate", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    versionProvider = BuildInfo.class,
    description = "iRODS to OMERO gateway: iRODS client commands and the sandbox iRODS server.",
    subcommands = {InitCommand.class, LsCommand.class, StatCommand.class, GetCommand.class, PutCommand.class, MetaCommand.class,
        SandboxCommand.class, MountCommand.class, UnmountCommand.class, WatchCommand.class,
        RegisterCommand.class, StatusCommand.class, RetryCommand.class, PushCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** {@code rodsgate} without a command: the usage, and the usage error status. */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return Failures.USAGE;
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
        // picocli's own usage errors (unknown option, missing parameter, bad number): one line, not the whole usage
        cl.setParameterExceptionHandler((e, ignored) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("rodsgate: " + e.getMessage() + " (see '" + c.getCommandSpec().qualifiedName()
                + " --help')");
            CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr());
            return Failures.exitCode(e);
        });
        return cl.execute(args);
    }
}

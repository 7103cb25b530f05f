package org.rodsgate.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.IrodsEnvironment;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.Paths;
import picocli.CommandLine.Option;

/** The account options shared by the client commands: the iCommands environment, or an explicit file. */
final class ClientOptions {
    @Option(names = "--env", paramLabel = "FILE",
        description = "iRODS environment file (default: $IRODS_ENVIRONMENT_FILE, else ~/.irods/irods_environment.json)")
    Path envFile;

    @Option(names = "--auth-file", paramLabel = "FILE",
        description = "obfuscated password file (default: $IRODS_AUTHENTICATION_FILE, else .irodsA beside a"
            + " non-default environment file, else ~/.irods/.irodsA)")
    Path authFile;

    IrodsAccount account() throws ConfigException {
        Logging.setup();
        Map<String, String> env = new HashMap<>(System.getenv());
        Path e = envFile != null ? envFile : IrodsEnvironment.environmentFile(env);
        Path a = authFile;
        if (a == null) {
            a = IrodsEnvironment.authenticationFile(env, e);
            boolean explicitAuth = env.containsKey(IrodsEnvironment.AUTH_FILE_VAR);
            Path beside = e.toAbsolutePath().getParent().resolve(".irodsA");
            if (!explicitAuth && !java.nio.file.Files.exists(a) && java.nio.file.Files.exists(beside)) {
                a = beside;
            } else if (!explicitAuth && envFile != null && java.nio.file.Files.exists(beside)) {
                a = beside;
            }
        }
        return IrodsEnvironment.load(e, a, IrodsEnvironment.currentUid());
    }

    /**
     * The account for a command given a rodsgate config: its {@code irods:} section (environment, authentication)
     * unless --env is given, else as {@link #account()}.
     */
    IrodsAccount account(org.rodsgate.config.MountConfig cfg) throws ConfigException {
        if (envFile == null && cfg.irodsEnvironment() != null) {
            Path auth = authFile != null ? authFile : cfg.irodsAuthentication() != null ? cfg.irodsAuthentication()
                : cfg.irodsEnvironment().toAbsolutePath().getParent().resolve(".irodsA");
            Logging.setup();
            return IrodsEnvironment.load(cfg.irodsEnvironment(), auth, IrodsEnvironment.currentUid());
        }
        return account();
    }

    /** Resolves a path given on the command line: absolute as is, relative to the user's home. */
    static String resolve(IrodsAccount a, String p) {
        if (p == null || p.isEmpty() || p.equals(".")) {
            return a.home();
        }
        return Paths.normalize(p.startsWith("/") ? p : a.home() + "/" + p);
    }
}

package org.rodsgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.IrodsEnvironment;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rodsgate init}, like iCommands' {@code iinit}: asks host, port, zone and user (defaults from an existing
 * environment file, or the options), and the password without echo (from the terminal; without one, the first line
 * of standard input); logs in to check them; only then writes {@code irods_environment.json} (other keys of an
 * existing file are kept) and the obfuscated {@code .irodsA} (mode 0600). Nothing is written when the login fails.
 */
@Command(name = "init", description = "Set up the iRODS account like iinit: environment file and .irodsA, after a"
    + " login that checks them. The password is asked without echo (or read from the first line of stdin).")
final class InitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--env", paramLabel = "FILE",
        description = "environment file to write (default: $IRODS_ENVIRONMENT_FILE, else ~/.irods/irods_environment.json)")
    Path envFile;

    @Option(names = "--auth-file", paramLabel = "FILE",
        description = "password file to write (default: $IRODS_AUTHENTICATION_FILE, else .irodsA beside --env, else"
            + " ~/.irods/.irodsA)")
    Path authFile;

    @Option(names = "--host", paramLabel = "HOST", description = "iRODS host (else asked; default from the file)")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "iRODS port (else asked; default 1247)")
    Integer port;
    @Option(names = "--zone", paramLabel = "ZONE", description = "iRODS zone (else asked)")
    String zone;
    @Option(names = "--user", paramLabel = "USER", description = "iRODS user name (else asked)")
    String user;

    @Override
    public Integer call() throws Exception {
        Logging.setup();
        Map<String, String> env = System.getenv();
        Path e = envFile != null ? envFile : IrodsEnvironment.environmentFile(env);
        // as the other commands read it: --auth-file, else $IRODS_AUTHENTICATION_FILE, else beside an --env file,
        // else ~/.irods/.irodsA
        Path a = authFile != null ? authFile
            : envFile != null && !env.containsKey(IrodsEnvironment.AUTH_FILE_VAR)
                ? e.toAbsolutePath().getParent().resolve(".irodsA")
                : IrodsEnvironment.authenticationFile(env, e);
        ObjectNode j = existing(e);
        Console console = System.console();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        j.put("irods_host", ask(console, "iRODS host", host, j.path("irods_host").asText("")));
        String p = ask(console, "iRODS port", port == null ? null : port.toString(), j.path("irods_port").asText("1247"));
        int portNumber;
        try {
            portNumber = Integer.parseInt(p);
        } catch (NumberFormatException ex) {
            portNumber = -1;
        }
        if (portNumber < 1 || portNumber > 65535) {
            throw new ConfigException("iRODS port must be a number 1..65535, not '" + p + "'");
        }
        j.put("irods_port", portNumber);
        j.put("irods_zone_name", ask(console, "iRODS zone", zone, j.path("irods_zone_name").asText("")));
        j.put("irods_user_name", ask(console, "iRODS user", user, j.path("irods_user_name").asText("")));
        String password = password(console, stdin, j.path("irods_user_name").asText());

        Path dir = e.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".irods_environment-", ".json");
        try {
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(j) + "\n");
            IrodsAccount account = IrodsEnvironment.load(tmp, null, IrodsEnvironment.currentUid()).withPassword(password);
            IrodsConnection.open(account).close();
            Files.move(tmp, e, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        IrodsEnvironment.writePassword(a, password, IrodsEnvironment.currentUid());
        System.out.println("logged in as " + j.path("irods_user_name").asText() + "#" + j.path("irods_zone_name").asText()
            + " at " + j.path("irods_host").asText() + ":" + j.path("irods_port").asText() + "; wrote " + e + " and " + a);
        return Failures.OK;
    }

    private static ObjectNode existing(Path e) throws ConfigException {
        if (!Files.exists(e)) {
            return JSON.createObjectNode();
        }
        try {
            return (ObjectNode) JSON.readTree(Files.readString(e));
        } catch (IOException | ClassCastException ex) {
            throw new ConfigException("existing environment file " + e + " is not a JSON object; fix or remove it");
        }
    }

    /** The option's value, else the answer at the terminal (Enter keeps the default), else the default. */
    private static String ask(Console console, String what, String given, String dflt) throws ConfigException {
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        String v = dflt;
        if (console != null) {
            String line = console.readLine("%s%s: ", what, dflt.isEmpty() ? "" : " [" + dflt + "]");
            if (line != null && !line.isBlank()) {
                v = line.trim();
            }
        }
        if (v.isEmpty()) {
            throw new ConfigException(what + " is not known: give it as an option (see --help) or at the prompt");
        }
        return v;
    }

    private static String password(Console console, BufferedReader stdin, String user) throws IOException, ConfigException {
        String pw;
        if (console != null) {
            char[] c = console.readPassword("Password for %s: ", user);
            pw = c == null ? null : new String(c);
        } else {
            pw = stdin.readLine();
        }
        if (pw == null || pw.isEmpty()) {
            throw new ConfigException("no password given (at the prompt, or as the first line of standard input)");
        }
        return pw;
    }
}

package org.rodsgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.auth.PasswordObfuscation;

/**
 * Reads an account the way iCommands do: {@code ~/.irods/irods_environment.json} (or {@code $IRODS_ENVIRONMENT_FILE})
 * and the obfuscated password in {@code ~/.irods/.irodsA} (or {@code $IRODS_AUTHENTICATION_FILE}).
 */
public final class IrodsEnvironment {
    private IrodsEnvironment() {}

    public static final String ENV_FILE_VAR = "IRODS_ENVIRONMENT_FILE";
    public static final String AUTH_FILE_VAR = "IRODS_AUTHENTICATION_FILE";

    public static Path environmentFile(Map<String, String> env) {
        String f = env.get(ENV_FILE_VAR);
        if (f != null && !f.isEmpty()) {
            return Path.of(f);
        }
        return Path.of(System.getProperty("user.home"), ".irods", "irods_environment.json");
    }

    public static Path authenticationFile(Map<String, String> env, Path envFile) {
        String f = env.get(AUTH_FILE_VAR);
        if (f != null && !f.isEmpty()) {
            return Path.of(f);
        }
        return Path.of(System.getProperty("user.home"), ".irods", ".irodsA");
    }

    /** Loads the account from the process environment's files. */
    public static IrodsAccount load() throws ConfigException {
        Map<String, String> env = System.getenv();
        Path envFile = environmentFile(env);
        return load(envFile, authenticationFile(env, envFile), currentUid());
    }

    public static IrodsAccount load(Path envFile, Path authFile, long uid) throws ConfigException {
        JsonNode j;
        try {
            j = new ObjectMapper().readTree(Files.readString(envFile, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ConfigException("no iRODS environment file at " + envFile
                + " (set " + ENV_FILE_VAR + " or create it as for iinit)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ConfigException("iRODS environment file " + envFile + " is not valid JSON"
                + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")") + ": "
                + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read iRODS environment file " + envFile + ": " + e.getMessage());
        }
        if (j == null || !j.isObject()) {
            throw new ConfigException("iRODS environment file " + envFile + " is not a JSON object");
        }
        String host = required(j, "irods_host", envFile);
        String user = required(j, "irods_user_name", envFile);
        String zone = required(j, "irods_zone_name", envFile);
        int port = j.path("irods_port").asInt(1247);
        if (port <= 0 || port > 65535) {
            throw new ConfigException(envFile + ": irods_port " + j.path("irods_port") + " is not a TCP port");
        }
        String scheme = j.path("irods_authentication_scheme").asText(IrodsAccount.NATIVE).toLowerCase();
        if (scheme.equals("pam")) {
            scheme = IrodsAccount.PAM_PASSWORD;
        }
        if (!scheme.equals(IrodsAccount.NATIVE) && !scheme.equals(IrodsAccount.PAM_PASSWORD)) {
            throw new ConfigException(envFile + ": irods_authentication_scheme '" + scheme
                + "' is not supported (native, pam_password)");
        }
        String policy = j.path("irods_client_server_policy").asText("CS_NEG_REFUSE");
        if (!policy.matches("CS_NEG_(REFUSE|DONT_CARE|REQUIRE)")) {
            throw new ConfigException(envFile + ": irods_client_server_policy '" + policy
                + "' must be CS_NEG_REFUSE, CS_NEG_DONT_CARE or CS_NEG_REQUIRE");
        }
        boolean negotiate = "request_server_negotiation".equals(j.path("irods_client_server_negotiation").asText(""))
            || policy.equals("CS_NEG_REQUIRE");
        String ca = j.path("irods_ssl_ca_certificate_file").asText("");
        Path caFile = ca.isEmpty() ? null : envFile.toAbsolutePath().getParent().resolve(ca);
        String verify = j.path("irods_ssl_verify_server").asText("hostname");
        if (!verify.matches("hostname|cert|none")) {
            throw new ConfigException(envFile + ": irods_ssl_verify_server '" + verify
                + "' must be hostname, cert or none");
        }
        String password = readPassword(authFile, uid);
        String resc = j.path("irods_default_resource").asText(null);
        return new IrodsAccount(host, port, zone, user, password, user, scheme,
            new IrodsAccount.Tls(policy, negotiate, caFile, verify), null, null, resc);
    }

    private static String required(JsonNode j, String key, Path f) throws ConfigException {
        JsonNode v = j.get(key);
        if (v == null || v.asText().isEmpty()) {
            throw new ConfigException(f + ": missing \"" + key + "\"");
        }
        return v.asText();
    }

    /**
     * The password from the obfuscated file, or null when no file is named (the caller supplies the password).
     *
     * @throws ConfigException when the named file does not exist ("no iRODS password file at F ...") or cannot be
     *     read or decoded
     */
    public static String readPassword(Path authFile, long uid) throws ConfigException {
        if (authFile == null) {
            return null;
        }
        if (!Files.exists(authFile)) {
            throw new ConfigException("no iRODS password file at " + authFile
                + " (create it with `rodsgate init`, or name another with --auth-file or " + AUTH_FILE_VAR + ")");
        }
        SecretFiles.requirePrivate(authFile, "iRODS password file");
        try {
            String s = Files.readString(authFile, StandardCharsets.ISO_8859_1);
            return PasswordObfuscation.decode(s, uid);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read iRODS password file " + authFile + ": " + e.getMessage());
        }
    }

    public static void writePassword(Path authFile, String password, long uid) throws IOException {
        String enc = PasswordObfuscation.encode(password, uid, System.currentTimeMillis() / 1000) + "\0";
        SecretFiles.createPrivateDirectories(authFile.toAbsolutePath().getParent());
        SecretFiles.writePrivate(authFile, enc, StandardCharsets.ISO_8859_1);
    }

    public static long currentUid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (Throwable t) {
            return 0;
        }
    }
}

package org.rodsgate.irods;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Who connects where, and how. {@code user} authenticates (its password is used); {@code clientUser} is the user
 * on whose behalf operations run — equal to {@code user} unless a rodsadmin proxies for someone (§3.5).
 * {@link #toString()} never shows the password.
 */
public record IrodsAccount(String host, int port, String zone, String user, String password, String clientUser,
                           String authScheme, Tls tls, Duration connectTimeout, Duration readTimeout,
                           String defaultResource) {

    public static final String NATIVE = "native";
    public static final String PAM_PASSWORD = "pam_password";

    /**
     * TLS settings as iCommands name them: {@code irods_client_server_policy} (CS_NEG_REFUSE, CS_NEG_DONT_CARE,
     * CS_NEG_REQUIRE), {@code irods_client_server_negotiation}, {@code irods_ssl_ca_certificate_file} (null: the JDK
     * trust store) and {@code irods_ssl_verify_server} (hostname, cert, none).
     */
    public record Tls(String policy, boolean negotiate, Path caFile, String verifyServer) {
        public static Tls none() {
            return new Tls("CS_NEG_REFUSE", false, null, "hostname");
        }
    }

    public IrodsAccount {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(user, "user");
        if (clientUser == null || clientUser.isEmpty()) {
            clientUser = user;
        }
        if (authScheme == null || authScheme.isEmpty()) {
            authScheme = NATIVE;
        }
        if (tls == null) {
            tls = Tls.none();
        }
        if (connectTimeout == null) {
            connectTimeout = Duration.ofSeconds(10);
        }
        if (readTimeout == null) {
            readTimeout = Duration.ofSeconds(120);
        }
    }

    public static IrodsAccount of(String host, int port, String zone, String user, String password) {
        return new IrodsAccount(host, port, zone, user, password, user, NATIVE, Tls.none(), null, null, null);
    }

    public IrodsAccount proxyFor(String otherUser) {
        return new IrodsAccount(host, port, zone, user, password, otherUser, authScheme, tls, connectTimeout,
            readTimeout, defaultResource);
    }

    public IrodsAccount withPassword(String pw) {
        return new IrodsAccount(host, port, zone, user, pw, clientUser, authScheme, tls, connectTimeout,
            readTimeout, defaultResource);
    }

    public IrodsAccount withTls(Tls t) {
        return new IrodsAccount(host, port, zone, user, password, clientUser, authScheme, t, connectTimeout,
            readTimeout, defaultResource);
    }

    public IrodsAccount withScheme(String scheme) {
        return new IrodsAccount(host, port, zone, user, password, clientUser, scheme, tls, connectTimeout,
            readTimeout, defaultResource);
    }

    public IrodsAccount withTimeouts(Duration connect, Duration read) {
        return new IrodsAccount(host, port, zone, user, password, clientUser, authScheme, tls, connect, read,
            defaultResource);
    }

    public String home() {
        return "/" + zone + "/home/" + clientUser;
    }

    /** The key of the connection pool: everything that makes two connections interchangeable. */
    public String identityKey() {
        return user + "#" + zone + "->" + clientUser + "@" + host + ":" + port + "/" + authScheme + "/" + tls.policy();
    }

    @Override
    public String toString() {
        return "IrodsAccount[" + user + (clientUser.equals(user) ? "" : " for " + clientUser) + "#" + zone + "@"
            + host + ":" + port + ", scheme=" + authScheme + ", tls=" + tls.policy() + ", password=<hidden>]";
    }
}

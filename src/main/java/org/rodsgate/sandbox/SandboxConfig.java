package org.rodsgate.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a sandbox server, each declared once with its default.
 *
 * @param dir        where the catalog ({@code catalog.db}), data ({@code vault/}), TLS material ({@code tls/})
 *                   and the client files ({@code irods_environment.json}, {@code .irodsA}) live
 * @param bindHost   address to listen on; loopback by default, since the sandbox is for one machine
 * @param port       TCP port; 0 picks a free one
 * @param zone       zone name, {@code tempZone} as in iRODS' own test set-ups
 * @param adminPassword password of {@code rods}, the rodsadmin
 * @param users      more users, {@code name:password[:rodsuser|rodsadmin]}
 * @param pamUsers   users who may log in with {@code pam_password}, {@code name:pampassword}
 * @param tls        offer TLS with a generated certificate; clients must then use it (CS_NEG_REQUIRE)
 * @param serverVersion the release announced in Version_PI, {@code rods4.3.2}; {@code rods4.2.12} makes clients
 *                   take their 4.2 paths (legacy authentication, DATA_OBJ_TRUNCATE), for testing them
 */
public record SandboxConfig(Path dir, String bindHost, int port, String zone, String adminPassword,
                            List<String> users, List<String> pamUsers, boolean tls, String serverVersion) {
    public static final String DEFAULT_VERSION = "rods4.3.2";


    public static SandboxConfig defaults(Path dir) {
        return new SandboxConfig(dir, "127.0.0.1", 1247, "tempZone", "rods", new ArrayList<>(), new ArrayList<>(),
            false, DEFAULT_VERSION);
    }

    public SandboxConfig withPort(int p) {
        return new SandboxConfig(dir, bindHost, p, zone, adminPassword, users, pamUsers, tls, serverVersion);
    }

    public SandboxConfig withTls(boolean on) {
        return new SandboxConfig(dir, bindHost, port, zone, adminPassword, users, pamUsers, on, serverVersion);
    }

    public SandboxConfig withUser(String spec) {
        List<String> u = new ArrayList<>(users);
        u.add(spec);
        return new SandboxConfig(dir, bindHost, port, zone, adminPassword, u, pamUsers, tls, serverVersion);
    }

    public SandboxConfig withPamUser(String spec) {
        List<String> u = new ArrayList<>(pamUsers);
        u.add(spec);
        return new SandboxConfig(dir, bindHost, port, zone, adminPassword, users, u, tls, serverVersion);
    }

    public SandboxConfig withServerVersion(String v) {
        return new SandboxConfig(dir, bindHost, port, zone, adminPassword, users, pamUsers, tls, v);
    }

    /** The negotiation policy the server announces: REQUIRE with TLS, REFUSE (iRODS 4.3's default) without. */
    public String tlsPolicy() {
        return tls ? "CS_NEG_REQUIRE" : "CS_NEG_REFUSE";
    }
}

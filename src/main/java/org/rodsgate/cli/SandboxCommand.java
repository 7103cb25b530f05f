package org.rodsgate.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rodsgate.config.IrodsEnvironment;
import org.rodsgate.config.MountConfig;
import org.rodsgate.config.SecretFiles;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.sandbox.SandboxConfig;
import org.rodsgate.sandbox.SandboxServer;
import org.rodsgate.status.StatusSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sandbox", description = "Run the sandbox iRODS server in the foreground until SIGINT/SIGTERM.")
final class SandboxCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR",
        description = "catalog, data and client files live here; a restart with the same DIR continues")
    Path dir;

    @Option(names = "--port", defaultValue = "1247", paramLabel = "PORT", description = "TCP port (default 1247)")
    int port;

    @Option(names = "--listen", defaultValue = "127.0.0.1", paramLabel = "ADDR",
        description = "address to listen on (default 127.0.0.1)")
    String listen;

    @Option(names = "--zone", defaultValue = "tempZone")
    String zone;

    @Option(names = "--admin-password-file", paramLabel = "FILE", description = "file (0600) holding the password of"
        + " rods; else $" + ADMIN_PASSWORD_ENV + ", else rods")
    Path adminPasswordFile;

    @Option(names = "--users-file", paramLabel = "FILE", description = "users to add or update, one NAME:PASSWORD[:TYPE]"
        + " a line (TYPE rodsuser, rodsadmin, or pam for a pam_password user); FILE must be 0600; - reads stdin")
    Path usersFile;

    /** Refused: passwords on a command line are visible to every local user (ps, /proc/PID/cmdline). */
    @Option(names = {"--user", "--pam-user", "--admin-password"}, hidden = true, paramLabel = "SECRET")
    List<String> refused = new ArrayList<>();

    @Option(names = "--tls", description = "require TLS, with a certificate generated into DIR/tls")
    boolean tls;

    @Option(names = "--no-mount", description = "run the server only")
    boolean noMount;

    @Option(names = "--mount", paramLabel = "MNT", description = "also mount the sandbox at MNT (as rods)")
    Path mount;

    @Option(names = "--allow-other", description = "with --mount: let other local users use the mount")
    boolean allowOther;

    @Option(names = "--omero-cli", paramLabel = "PATH", description = "with --mount: register what appears in"
        + " /<zone>/home/rods/omero in OMERO through this omero command")
    String omeroCli;

    @Option(names = "--omero-os-user", paramLabel = "USER", description = "the non-root OS user omero runs as")
    String omeroOsUser;

    @Option(names = "--omero-env", paramLabel = "KEY=VALUE", description = "environment for omero")
    List<String> omeroEnv = new ArrayList<>();

    @Option(names = "--fault-cut-after", paramLabel = "BYTES", description = "test aid: cut the first connection"
        + " that sends this many more reply bytes")
    long cutAfter = -1;

    @Option(names = "--fault-delay-ms", paramLabel = "MS", description = "test aid: delay every reply")
    long delayMs;

    @Option(names = "--fault-fail", paramLabel = "API=CODE[xTIMES]", description = "test aid: answer an API with an error")
    List<String> failSpecs = new ArrayList<>();

    /** Where the password of rods is taken from when there is no --admin-password-file. */
    static final String ADMIN_PASSWORD_ENV = "RODSGATE_SANDBOX_ADMIN_PASSWORD";

    /** The README's {@code (--mount MNT [--allow-other] [--omero-...] | --no-mount)}, checked before anything starts. */
    private void checkArguments() {
        Failures.require(!(mount != null && noMount), "sandbox: --mount and --no-mount exclude each other");
        Failures.require(mount != null || noMount,
            "sandbox: give --mount MNT to mount the sandbox, or --no-mount to run the server alone");
        Failures.require(port >= 0 && port <= 65535, "sandbox: --port must be 0..65535, not " + port);
        requireMount(allowOther, "--allow-other");
        requireMount(omeroCli != null, "--omero-cli");
        requireMount(omeroOsUser != null, "--omero-os-user");
        requireMount(!omeroEnv.isEmpty(), "--omero-env");
        Failures.require(omeroCli == null || omeroOsUser != null,
            "sandbox: --omero-cli needs --omero-os-user USER (omero refuses to run as root)");
        Failures.require(omeroCli != null || (omeroOsUser == null && omeroEnv.isEmpty()),
            "sandbox: --omero-os-user and --omero-env go with --omero-cli PATH");
        for (String kv : omeroEnv) {
            Failures.require(kv.indexOf('=') > 0, "sandbox: --omero-env takes KEY=VALUE, not '" + kv + "'");
        }
        for (String f : failSpecs) {
            Failures.require(f.matches("\\s*\\d+\\s*=\\s*-?\\d+\\s*(x\\s*\\d+\\s*)?"),
                "sandbox: --fault-fail takes API=CODE[xTIMES] (numbers), not '" + f + "'");
        }
    }

    private void requireMount(boolean given, String option) {
        Failures.require(!given || mount != null, "sandbox: " + option + " needs --mount MNT (there is no mount with"
            + " --no-mount)");
    }

    /**
     * The sandbox's status socket ({@code rodsgate status --sandbox DIR}, as the user who runs it): where it
     * listens, its directory, build, uptime, connections served now, requests by API number. A sandbox without one
     * still runs, saying why.
     */
    private StatusSocket startStatus(SandboxServer server) {
        Instant started = Instant.now();
        Path d = dir.toAbsolutePath().normalize();
        try {
            return StatusSocket.start(StatusSocket.forSandbox(d), () -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dir", d.toString());
                m.put("zone", zone);
                m.put("listening", listen + ":" + server.port());
                m.put("tls", tls);
                m.put("mount_point", mount == null ? "" : mount.toAbsolutePath().normalize().toString());
                m.put("build", BuildInfo.describe());
                m.put("started", started.toString());
                m.put("uptime_seconds", Duration.between(started, Instant.now()).toSeconds());
                m.put("connections", server.openConnections());
                m.put("requests", server.stats().total());
                Map<String, Long> byApi = new LinkedHashMap<>();
                server.stats().byApi().forEach((api, n) -> byApi.put(Integer.toString(api), n));
                m.put("requests_by_api", byApi);
                return m;
            });
        } catch (IOException | RuntimeException e) {
            System.err.println("rodsgate: no status socket for the sandbox in " + d + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public Integer call() throws Exception {
        Logging.setup();
        if (!refused.isEmpty()) {
            throw new Failures.UsageException("passwords are not taken on the command line, where every local user"
                + " can read them (ps): put NAME:PASSWORD[:TYPE] lines in a 0600 file and give --users-file FILE"
                + " (- for stdin); the password of rods: --admin-password-file FILE or $" + ADMIN_PASSWORD_ENV);
        }
        checkArguments();
        String adminPassword = adminPasswordFile != null
            ? SecretFiles.readPrivate(adminPasswordFile, "--admin-password-file")
            : System.getenv().getOrDefault(ADMIN_PASSWORD_ENV, "rods");
        List<String> users = new ArrayList<>();
        List<String> pamUsers = new ArrayList<>();
        if (usersFile != null) {
            String text = usersFile.toString().equals("-")
                ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                : SecretFiles.readPrivate(usersFile, "--users-file");
            for (String line : text.split("\\R")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (l.endsWith(":pam")) {
                    pamUsers.add(l.substring(0, l.length() - 4));
                } else {
                    users.add(l);
                }
            }
        }
        SandboxConfig cfg = new SandboxConfig(dir.toAbsolutePath(), listen, port, zone, adminPassword, users,
            pamUsers, tls, SandboxConfig.DEFAULT_VERSION);
        SandboxServer server = SandboxServer.start(cfg);
        server.faults().cutAfterBytes(cutAfter);
        server.faults().delayReplies(delayMs);
        failSpecs.forEach(server.faults()::parseFailSpec);
        CountDownLatch stop = new CountDownLatch(1);
        StatusSocket status = startStatus(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (status != null) {
                status.close();
            }
            server.close();
            stop.countDown();
        }, "sandbox-shutdown"));
        System.out.println("sandbox iRODS " + zone + " listening on " + listen + ":" + server.port()
            + (tls ? " (TLS required)" : ""));
        // shell-quoted: a directory with spaces (or quotes) must survive being pasted into a shell
        System.out.println("  " + Shell.export("IRODS_ENVIRONMENT_FILE", server.environmentFile()));
        System.out.println("  " + Shell.export("IRODS_AUTHENTICATION_FILE", server.authenticationFile()));
        if (mount != null) {
            IrodsAccount rods = IrodsEnvironment.load(server.environmentFile(), server.authenticationFile(),
                IrodsEnvironment.currentUid());
            boolean omero = omeroCli != null;
            MountConfig mcfg = MountConfig.defaults().withAllowOther(allowOther || omero);
            String watched = "/" + zone + "/home/rods/omero";
            try (var s = org.rodsgate.irods.IrodsSession.open(rods)) {
                s.mkdir(watched, true);
            }
            java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
            for (String kv : omeroEnv) {
                String[] p = kv.split("=", 2);
                env.put(p[0], p.length > 1 ? p[1] : "");
            }
            var os = new org.rodsgate.omero.OmeroSettings("localhost", 4064, "root",
                System.getenv().getOrDefault("RODSGATE_OMERO_PASSWORD", "omero"), omero ? omeroCli : "omero",
                omeroOsUser, null, "File-Size-64", env, java.time.Duration.ofHours(1), "registered");
            var watch = new org.rodsgate.config.WatchConfig(List.of(watched), null, java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(2), List.of("*"), List.of(".*", "*.part", "*.tmp"), "owner", null,
                java.util.Map.of(), null, dir.toAbsolutePath().resolve(omero ? "ledger.db" : "ledger-logged-only.db"), null,
                null, null, 5,
                java.time.Duration.ofSeconds(2), "sandbox", List.of("project.note"), os,
                org.rodsgate.config.WatchConfig.OnChange.STALE, java.time.Duration.ofSeconds(5));
            try {
                return MountCommand.run(rods, mcfg, mount, false, watch, omero);
            } finally {
                if (status != null) {
                    status.close();
                }
                server.close();
            }
        }
        System.out.println("ready");
        System.out.flush();
        stop.await();
        return Failures.OK;
    }
}

package org.rodsgate.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Issue 11, containers tested for real: builds rodsgate's image (docker/Dockerfile) from target/rodsgate.jar, runs
 * the sandbox and a mount in container A, and the watcher with the {@code omero} double in container B, which sees
 * A's FUSE mount through a host directory shared with {@code rshared}/{@code rslave} propagation at the same path
 * ({@code /shared/mnt}). A file put over the iRODS protocol from the host must be registered in place once: a fileset
 * whose clientPath is the mount path, its bytes read by the double through the mount, and the ids written back.
 * Skipped (saying why) without a Docker engine (DOCKER_HOST, see scripts/docker-engine.sh), root or /dev/fuse.
 */
class ContainersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = System.getenv().getOrDefault("RODSGATE_DOCKER_BASE", "rodsgate-base:bookworm");

    @Test
    void inPlaceRegistrationAcrossContainersThroughASharedMount() throws Exception {
        assumeTrue(System.getenv("DOCKER_HOST") != null,
            "DOCKER_HOST is not set: no Docker engine here (run-tests starts one with scripts/docker-engine.sh)");
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "the Docker engine at DOCKER_HOST does not answer");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make a shared mount");
        Path root = Path.of("").toAbsolutePath();
        Path jar = root.resolve("target/rodsgate.jar");
        assertTrue(Files.isRegularFile(jar), "target/rodsgate.jar is built before integration tests");

        ImageFromDockerfile image = new ImageFromDockerfile("rodsgate-it", true)
            .withFileFromPath("target/rodsgate.jar", jar)
            .withFileFromPath("docker/Dockerfile", root.resolve("docker/Dockerfile"))
            .withFileFromPath("docker/rodsgate-wrapper", root.resolve("docker/rodsgate-wrapper"))
            .withFileFromPath("native-tests/omero-double/omero", root.resolve("native-tests/omero-double/omero"))
            .withDockerfilePath("docker/Dockerfile")
            .withBuildArg("BASE", BASE)
            .withBuildImageCmdModifier(cmd -> cmd.withNetworkMode("host"));

        Path shared = Files.createTempDirectory("rodsgate-it-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        run("mount", "--bind", shared.toString(), shared.toString());
        try {
            run("mount", "--make-rshared", shared.toString());
            int port = freePort();
            try (GenericContainer<?> a = new GenericContainer<>(image)) {
                a.withNetworkMode("host")
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withDevices(Device.parse("/dev/fuse"))
                        .withCapAdd(Capability.SYS_ADMIN)
                        .withSecurityOpts(List.of("apparmor=unconfined"))
                        .withBinds(new Bind(shared.toString(), new Volume("/shared"), AccessMode.rw, SELContext.none,
                            null, PropagationMode.SHARED)))
                    .withCommand("sandbox", "--dir", "/shared/data", "--port", Integer.toString(port), "--mount",
                        "/shared/mnt", "--allow-other")
                    .waitingFor(Wait.forLogMessage("(?s)ready\\s*", 1).withStartupTimeout(Duration.ofMinutes(3)));
                start(a);
                assertTrue(Files.readString(Path.of("/proc/self/mounts")).contains(shared + "/mnt fuse.rodsgate"),
                    "A's FUSE mount propagates to the host");

                writeWatchConfig(shared.resolve("cfg"));
                try (GenericContainer<?> b = new GenericContainer<>(image)) {
                    b.withNetworkMode("host")
                        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                            .withBinds(new Bind(shared.toString(), new Volume("/shared"), AccessMode.rw,
                                SELContext.none, null, PropagationMode.SLAVE)))
                        .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sh", "-c",
                            "mkdir -p /od && chown omero /od && chmod 0700 /od"
                                + " && " + asOmero("_double user root omero admin")
                                + " && " + asOmero("_double user rods x")
                                + " && exec rodsgate watch --config /shared/cfg/watch.yaml"))
                        .withEnv("IRODS_ENVIRONMENT_FILE", "/shared/data/irods_environment.json")
                        .withEnv("IRODS_AUTHENTICATION_FILE", "/shared/data/.irodsA")
                        .waitingFor(Wait.forLogMessage("(?s)ready\\s*", 1).withStartupTimeout(Duration.ofMinutes(2)));
                    start(b);
                    ExecResult seen = b.execInContainer("ls", "/shared/mnt/tempZone/home/rods");
                    assertTrue(seen.getStdout().contains("omero"), "B sees A's mount at the same path: " + seen);

                    byte[] data = new byte[300_000];
                    new Random(11).nextBytes(data);
                    Path local = shared.resolve("cfg/img.tif");
                    Files.write(local, data);
                    String object = "/tempZone/home/rods/omero/P1/D1/img.tif";
                    Files.createDirectories(shared.resolve("mnt/tempZone/home/rods/omero/P1/D1")); // through the mount
                    run("/usr/bin/python3", root.resolve("native-tests/prc_tool.py").toString(), "put", "localhost",
                        Integer.toString(port), "rods", "rods", "tempZone", local.toString(), object);

                    JsonNode fileset = awaitFileset(b, "shared/mnt" + object, Duration.ofSeconds(120));
                    assertTrue(fileset.path("images").size() >= 1, "the fileset has images: " + fileset);
                    ExecResult avus = a.execInContainer("env", "IRODS_ENVIRONMENT_FILE=/shared/data/irods_environment.json",
                        "IRODS_AUTHENTICATION_FILE=/shared/data/.irodsA", "rodsgate", "meta", "ls", object);
                    assertTrue(avus.getStdout().contains("omero.image"), "ids written back onto the object: " + avus);
                    // the double read the bytes through the mount in B when it imported: compare its checksum
                    ExecResult sum = b.execInContainer("sha256sum", "/shared/mnt" + object);
                    assertEquals(sha256(data), sum.getStdout().split(" ")[0], "B reads the bytes through the mount");
                    assertEquals(1, countFilesets(b, "shared/mnt" + object), "registered once");
                }
            }
        } finally {
            try {
                DockerClientFactory.instance().client().removeImageCmd(image.get()).withForce(true).exec();
            } catch (RuntimeException e) {
                System.err.println("could not remove the test image: " + e.getMessage());
            }
            new ProcessBuilder("umount", "-l", shared.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            new ProcessBuilder("rm", "-rf", shared.toString()).start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void composeFileIsValid() throws Exception {
        Path compose = Path.of("").toAbsolutePath().resolve("docker/compose.yaml");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-compose")),
            "docker-compose is not installed (scripts/docker-engine.sh installs Debian's)");
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", compose.toString(), "config", "-q")
            .redirectErrorStream(true);
        pb.environment().put("IRODS_IMAGE", "example/irods-provider:5.0.2");
        Path secrets = Files.createTempDirectory("rodsgate-compose-");
        for (String f : List.of("IRODS_DB_PASSWORD_FILE", "OMERO_DB_PASSWORD_FILE", "OMERO_SERVER_ENV_FILE")) {
            Path file = Files.createFile(secrets.resolve(f),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            pb.environment().put(f, file.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docker-compose config finished");
        assertEquals(0, p.exitValue(), "docker-compose config: " + out);
    }

    /** Starts a container; when it does not come up, the failure carries its log (kept as it is written). */
    private static void start(GenericContainer<?> c) {
        StringBuffer log = new StringBuffer();
        c.withLogConsumer(frame -> log.append(frame.getUtf8String()));
        try {
            c.start();
        } catch (RuntimeException e) {
            throw new AssertionError("container did not start: " + e.getMessage() + "\n" + log, e);
        }
    }

    private static String asOmero(String args) {
        return "setpriv --reuid=omero --regid=omero --init-groups env HOME=/tmp OMERO_DOUBLE_DIR=/od"
            + " /opt/omero-double/omero " + args;
    }

    private static void writeWatchConfig(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path pw = dir.resolve("omero.pw");
        Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pw, "omero\n");
        Files.writeString(dir.resolve("watch.yaml"), String.join("\n",
            "irods:",
            "  environment: /shared/data/irods_environment.json",
            "  authentication: /shared/data/.irodsA",
            "watch:",
            "  collections: [/tempZone/home/rods/omero]",
            "  mount: /shared/mnt",
            "  quiet_seconds: 2",
            "  poll_seconds: 1",
            "  ledger: {sqlite: /tmp/ledger.db}",
            "omero:",
            "  cli: /opt/omero-double/omero",
            "  os_user: omero",
            "  password_file: /shared/cfg/omero.pw",
            "  env: {OMERO_DOUBLE_DIR: /od}",
            ""));
    }

    private static JsonNode awaitFileset(GenericContainer<?> b, String clientPath, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode state = dump(b);
            if (state != null) {
                for (JsonNode f : state.path("filesets")) {
                    if (f.path("clientPath").asText().equals(clientPath) && f.path("images").size() > 0) {
                        return f;
                    }
                }
                last = state.path("filesets").toString();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no fileset for " + clientPath + " within " + limit + "; filesets: " + last
            + "; watcher log: " + b.getLogs());
    }

    private static int countFilesets(GenericContainer<?> b, String clientPath) throws Exception {
        int n = 0;
        for (JsonNode f : dump(b).path("filesets")) {
            if (f.path("clientPath").asText().equals(clientPath)) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode dump(GenericContainer<?> b) throws Exception {
        ExecResult r = b.execInContainer("sh", "-c", asOmero("_double dump"));
        return r.getExitCode() == 0 && !r.getStdout().isBlank() ? JSON.readTree(r.getStdout()) : null;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }
}

package org.rodsgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.sandbox.SandboxConfig;
import org.rodsgate.sandbox.SandboxServer;

/**
 * A sandbox server in a temporary directory on a free port, with users alice and bob (rodsuser), a PAM user
 * carol, and the admin rods. Close it to stop the server and delete the directory.
 */
public final class SandboxFixture implements AutoCloseable {
    public static final String ALICE_PW = "alice'pw";
    public static final String BOB_PW = "bob&pw";
    public static final String CAROL_PAM_PW = "carol-pam";

    public final Path dir;
    public final SandboxServer server;

    private SandboxFixture(Path dir, SandboxServer server) {
        this.dir = dir;
        this.server = server;
    }

    public static SandboxFixture start(boolean tls) {
        try {
            Path dir = Files.createTempDirectory("rodsgate-sandbox-");
            SandboxConfig cfg = SandboxConfig.defaults(dir).withPort(0).withTls(tls)
                .withUser("alice:" + ALICE_PW).withUser("bob:" + BOB_PW).withPamUser("carol:" + CAROL_PAM_PW);
            return new SandboxFixture(dir, SandboxServer.start(cfg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public IrodsAccount account(String user, String password) {
        IrodsAccount a = IrodsAccount.of("localhost", server.port(), "tempZone", user, password);
        if (server.config().tls()) {
            a = a.withTls(new IrodsAccount.Tls("CS_NEG_REQUIRE", true, server.caFile(), "hostname"));
        }
        return a;
    }

    public IrodsAccount rods() {
        return account("rods", "rods");
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory: best effort
        }
    }
}

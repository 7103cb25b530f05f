package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rodsgate.sandbox.SandboxConfig;
import org.rodsgate.sandbox.SandboxServer;

/** The client contract against a sandbox announcing iRODS 4.2.12: legacy login (703/704), DATA_OBJ_TRUNCATE. */
class LegacyServerClientTest extends ClientContract {
    static SandboxServer server;

    @BeforeAll
    static void start() {
        try {
            server = SandboxServer.start(SandboxConfig.defaults(Files.createTempDirectory("rodsgate-legacy-"))
                .withPort(0).withServerVersion("rods4.2.12"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected IrodsAccount account() {
        return IrodsAccount.of("localhost", server.port(), "tempZone", "rods", "rods");
    }

    @Test
    void takesTheFourTwoPaths() {
        assertEquals(new org.rodsgate.irods.protocol.ServerVersion(4, 2, 12), s.serverVersion());
    }
}

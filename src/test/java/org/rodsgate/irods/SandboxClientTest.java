package org.rodsgate.irods;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rodsgate.testing.SandboxFixture;

/** The client contract against the sandbox over loopback. */
class SandboxClientTest extends ClientContract {
    static SandboxFixture sandbox;

    @BeforeAll
    static void start() {
        sandbox = SandboxFixture.start(false);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Override
    protected IrodsAccount account() {
        return sandbox.rods();
    }
}

package org.rodsgate.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of test classes that share one plain-TCP sandbox for all their tests. */
public abstract class WithSandbox {
    protected static SandboxFixture sandbox;

    @BeforeAll
    static void startSandbox() {
        sandbox = SandboxFixture.start(false);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }
}

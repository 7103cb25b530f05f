package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

    /**
     * Issue 10 input 6: a failed login ends with RODS_DISCONNECT (the real server logs an error pair for a socket
     * closed without it), and so does every close; a proxied login for an unknown user is EACCES.
     */
    @Test
    void failedLoginsAndClosesSayDisconnect() throws Exception {
        long disconnects = sandbox.server.stats().disconnects();
        long abrupt = sandbox.server.stats().abruptCloses();
        IrodsException e = assertThrows(IrodsException.class,
            () -> IrodsSession.open(sandbox.account("rods", "not-the-password")));
        assertEquals("CAT_INVALID_AUTHENTICATION", e.codeName());
        IrodsException u = assertThrows(IrodsException.class,
            () -> IrodsSession.open(sandbox.rods().proxyFor("nosuchuser")));
        assertEquals("CAT_INVALID_CLIENT_USER", u.codeName());
        assertEquals(Errno.EACCES.value, u.errno());
        IrodsSession.open(sandbox.rods()).close();
        for (int i = 0; i < 100 && sandbox.server.stats().disconnects() < disconnects + 3; i++) {
            Thread.sleep(50); // the agent threads record what they saw
        }
        assertEquals(disconnects + 3, sandbox.server.stats().disconnects());
        assertEquals(abrupt, sandbox.server.stats().abruptCloses());
    }
}

package org.rodsgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.testing.SandboxFixture;

/** TLS negotiation, certificate checks and pam_password against a sandbox that requires TLS. */
class SandboxTlsTest {
    static SandboxFixture sandbox;

    @BeforeAll
    static void start() {
        sandbox = SandboxFixture.start(true);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void connectsOverTlsVerifyingCertificateAndHostName() throws IrodsException {
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            assertTrue(s.connection().isTls());
            assertTrue(s.serverInfo().certInfoJson().contains("true"));
            assertTrue(s.stat("/tempZone/home/rods").isCollection());
        }
    }

    @Test
    void untrustedCertificateIsRefused() {
        IrodsAccount a = sandbox.rods().withTls(new IrodsAccount.Tls("CS_NEG_REQUIRE", true, null, "hostname"));
        IrodsException e = assertThrows(IrodsException.class, () -> IrodsSession.open(a));
        assertTrue(e.getMessage().contains("TLS handshake"), e.getMessage());
    }

    @Test
    void clientRefusingTlsIsTurnedAway() {
        IrodsAccount a = sandbox.rods().withTls(new IrodsAccount.Tls("CS_NEG_REFUSE", true, null, "hostname"));
        IrodsException e = assertThrows(IrodsException.class, () -> IrodsSession.open(a));
        assertTrue(e.getMessage().contains("TLS mismatch") || e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void clientNotNegotiatingIsTurnedAway() {
        IrodsAccount a = sandbox.rods().withTls(IrodsAccount.Tls.none());
        IrodsException e = assertThrows(IrodsException.class, () -> IrodsSession.open(a));
        assertTrue(e.getMessage().contains("refused the connection"), e.getMessage());
    }

    @Test
    void pamPasswordLogsInAndCreatesAHome() throws IrodsException {
        IrodsAccount carol = sandbox.account("carol", SandboxFixture.CAROL_PAM_PW).withScheme(IrodsAccount.PAM_PASSWORD);
        try (IrodsSession s = IrodsSession.open(carol)) {
            IrodsSession.OpenFile f = s.create("/tempZone/home/carol/pam.txt");
            s.close(f.fd());
            assertEquals("carol", s.stat("/tempZone/home/carol/pam.txt").owner());
        }
        IrodsException e = assertThrows(IrodsException.class,
            () -> IrodsSession.open(carol.withPassword("wrong")));
        assertTrue(e.getMessage().contains("PAM"), e.getMessage());
    }
}

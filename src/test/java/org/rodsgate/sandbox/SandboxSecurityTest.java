package org.rodsgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.testing.SandboxFixture;
import org.rodsgate.testing.WithSandbox;

/** Logins, proxying and permissions, through the client, against the plain-TCP sandbox. */
class SandboxSecurityTest extends WithSandbox {

    @Test
    void wrongPasswordIsNamedAndNeverEchoed() {
        IrodsException e = assertThrows(IrodsException.class,
            () -> IrodsSession.open(sandbox.account("alice", "not-her-password")));
        assertTrue(e.is(ErrorCode.CAT_INVALID_AUTHENTICATION));
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
        assertFalse(e.getMessage().contains("not-her-password"));
    }

    @Test
    void unknownUserIsRefused() {
        IrodsException e = assertThrows(IrodsException.class, () -> IrodsSession.open(sandbox.account("mallory", "x")));
        assertTrue(e.is(ErrorCode.CAT_INVALID_USER), e.getMessage());
    }

    @Test
    // EHOSTDOWN ("Host is down"), not ENOTCONN, which users read as a crashed FUSE daemon (issue 8)
    void unreachableServerFailsFastWithHostDown() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        IrodsException e = assertThrows(IrodsException.class,
            () -> IrodsSession.open(IrodsAccount.of("localhost", port, "tempZone", "rods", "rods")));
        assertEquals(Errno.EHOSTDOWN.value, e.errno());
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }

    @Test
    void clientRequiringTlsAgainstAServerThatRefusesIt() {
        IrodsAccount a = sandbox.rods().withTls(new IrodsAccount.Tls("CS_NEG_REQUIRE", true, null, "hostname"));
        IrodsException e = assertThrows(IrodsException.class, () -> IrodsSession.open(a));
        assertTrue(e.getMessage().contains("TLS mismatch"), e.getMessage());
    }

    @Test
    void pamPasswordWithoutTlsIsRefused() {
        IrodsAccount a = sandbox.account("carol", SandboxFixture.CAROL_PAM_PW).withScheme(IrodsAccount.PAM_PASSWORD);
        IrodsException e = assertThrows(IrodsException.class, () -> IrodsSession.open(a));
        assertTrue(e.getMessage().contains("needs TLS"), e.getMessage());
    }

    @Test
    void usersCannotReadEachOthersObjectsUntilGranted() throws IrodsException {
        String p = "/tempZone/home/alice/private.txt";
        try (IrodsSession alice = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW));
             IrodsSession bob = IrodsSession.open(sandbox.account("bob", SandboxFixture.BOB_PW))) {
            IrodsSession.OpenFile f = alice.create(p);
            alice.write(f.fd(), "secret".getBytes(), 0, 6);
            alice.close(f.fd());
            assertEquals(Errno.ENOENT.value, assertThrows(IrodsException.class, () -> bob.stat(p)).errno(),
                "strict ACLs: bob does not even see it");
            assertEquals(Errno.EACCES.value,
                assertThrows(IrodsException.class, () -> bob.open(p, IrodsSession.O_RDONLY)).errno());
            assertTrue(bob.list("/tempZone/home/alice").isEmpty(), "listing shows nothing bob may not read");
            assertEquals(Errno.EACCES.value, assertThrows(IrodsException.class,
                () -> bob.create("/tempZone/home/alice/intruder")).errno());
            alice.setAcl(p, "bob", "read", false);
            IrodsSession.OpenFile g = bob.open(p, IrodsSession.O_RDONLY);
            byte[] b = new byte[10];
            assertEquals(6, bob.read(g.fd(), b, 0, 10));
            bob.close(g.fd());
            assertEquals(Errno.EACCES.value,
                assertThrows(IrodsException.class, () -> bob.open(p, IrodsSession.O_WRONLY)).errno(),
                "read access does not allow writing");
            assertEquals(Errno.EACCES.value, assertThrows(IrodsException.class, () -> bob.unlink(p)).errno());
        }
    }

    @Test
    void adminProxiesForAUserWithThatUsersRights() throws IrodsException {
        String bobs = "/tempZone/home/bob/only-bob.txt";
        try (IrodsSession bob = IrodsSession.open(sandbox.account("bob", SandboxFixture.BOB_PW))) {
            IrodsSession.OpenFile f = bob.create(bobs);
            bob.close(f.fd());
        }
        try (IrodsSession asAlice = IrodsSession.open(sandbox.rods().proxyFor("alice"))) {
            String p = "/tempZone/home/alice/by-proxy.txt";
            IrodsSession.OpenFile f = asAlice.create(p);
            asAlice.close(f.fd());
            assertEquals("alice", asAlice.stat(p).owner(), "objects created through a proxy belong to the user");
            assertEquals(Errno.EACCES.value,
                assertThrows(IrodsException.class, () -> asAlice.open(bobs, IrodsSession.O_RDONLY)).errno(),
                "the proxy acts with alice's rights, not the admin's");
        }
    }

    @Test
    void onlyAdminsMayProxy() {
        IrodsAccount a = sandbox.account("alice", SandboxFixture.ALICE_PW).proxyFor("bob");
        IrodsException e = assertThrows(IrodsException.class, () -> IrodsSession.open(a));
        assertTrue(e.is(ErrorCode.SYS_PROXYUSER_NO_PRIV), e.getMessage());
    }

    @Test
    void readTimeoutEndsAStalledCall() throws IrodsException {
        IrodsAccount a = sandbox.rods().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300));
        try (IrodsSession s = IrodsSession.open(a)) {
            sandbox.server.faults().delayReplies(1500);
            IrodsException e = assertThrows(IrodsException.class, () -> s.stat("/tempZone"));
            assertTrue(e.connectionDead());
            assertEquals(Errno.ETIMEDOUT.value, e.errno());
        } finally {
            sandbox.server.faults().clear();
        }
    }

    @Test
    void injectedErrorsReachTheCaller() throws IrodsException {
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            sandbox.server.faults().failApi(633, ErrorCode.SYS_NOT_SUPPORTED.code, 1);
            IrodsException e = assertThrows(IrodsException.class, () -> s.stat("/tempZone"));
            assertEquals(ErrorCode.SYS_NOT_SUPPORTED.code, e.code());
            assertTrue(s.stat("/tempZone").isCollection(), "only once");
        } finally {
            sandbox.server.faults().clear();
        }
    }

    @Test
    void secondWriterIsRefusedButMayJoinWithTheReplicaToken() throws IrodsException {
        String p = "/tempZone/home/rods/shared-write";
        try (IrodsSession a = IrodsSession.open(sandbox.rods()); IrodsSession b = IrodsSession.open(sandbox.rods())) {
            IrodsSession.OpenFile f = a.create(p);
            assertEquals(Errno.EBUSY.value,
                assertThrows(IrodsException.class, () -> b.open(p, IrodsSession.O_WRONLY)).errno());
            IrodsSession.OpenFile g = b.joinReplica(f, IrodsSession.O_WRONLY);
            b.seek(g.fd(), 4, IrodsSession.SEEK_SET);
            b.write(g.fd(), "5678".getBytes(), 0, 4);
            b.closeSecondary(g.fd());
            a.write(f.fd(), "1234".getBytes(), 0, 4);
            a.close(f.fd());
            IrodsSession.OpenFile r = a.open(p, IrodsSession.O_RDONLY);
            byte[] buf = new byte[8];
            assertEquals(8, a.read(r.fd(), buf, 0, 8));
            assertArrayEquals("12345678".getBytes(), buf);
            a.close(r.fd());
            assertEquals(8, a.stat(p).size());
        }
    }
}

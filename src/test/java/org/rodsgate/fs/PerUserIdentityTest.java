package org.rodsgate.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsAccount;

/** Issue 10 input 9: the uid -> local name -> iRODS name chain cannot escalate to the proxy or any rodsadmin. */
class PerUserIdentityTest {
    static final IrodsAccount PROXY = IrodsAccount.of("localhost", 1247, "tempZone", "rods", "secret");
    static final Map<Integer, String> LOCAL = Map.of(0, "root", 1000, "alice", 1001, "rods", 1002, "boss",
        1003, "backup", 1004, "omero");
    static final Map<String, String> TYPES = Map.of("alice", "rodsuser", "rods", "rodsadmin", "boss", "rodsadmin",
        "backup", "rodsuser", "omero-reader", "rodsuser");

    static PerUserIdentity identity(Map<String, String> userMap) {
        return new PerUserIdentity(PROXY, userMap, LOCAL::get, TYPES::get);
    }

    static int denied(PerUserIdentity id, int uid) {
        return assertThrows(FsException.class, () -> id.account(new Caller(uid, uid, 1))).errno();
    }

    static String irodsUser(PerUserIdentity id, int uid) throws FsException {
        return id.account(new Caller(uid, uid, 1)).clientUser();
    }

    @Test
    void localAccountNamedLikeTheProxyGetsNoIdentity() {
        assertEquals(Errno.EACCES.value, denied(identity(Map.of()), 1001));
    }

    @Test
    void rootNeverMapsBySameName() {
        assertEquals(Errno.EACCES.value, denied(identity(Map.of()), 0));
    }

    @Test
    void aRodsadminNeverMapsBySameName() throws FsException {
        assertEquals(Errno.EACCES.value, denied(identity(Map.of()), 1002));
        assertEquals("boss", irodsUser(identity(Map.of("boss", "boss")), 1002), "explicit user_map entry only");
    }

    @Test
    void ordinaryUsersMapBySameNameOrByTheMap() throws FsException {
        assertEquals("alice", irodsUser(identity(Map.of()), 1000));
        assertEquals("omero-reader", irodsUser(identity(Map.of("omero", "omero-reader")), 1004));
        assertEquals("rods", identity(Map.of()).account(new Caller(1000, 1000, 1)).user(), "the proxy logs in");
    }

    @Test
    void anEmptyMapEntryExcludesALocalName() {
        assertEquals(Errno.EACCES.value, denied(identity(Map.of("backup", "")), 1003));
    }

    @Test
    void aUidWithoutNameIsRefused() {
        assertEquals(Errno.EACCES.value, denied(identity(Map.of()), 4242));
    }
}

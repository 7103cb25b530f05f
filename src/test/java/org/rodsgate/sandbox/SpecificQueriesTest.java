package org.rodsgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.ApiNumber;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.protocol.GenQueryOut;
import org.rodsgate.irods.protocol.PackWriter;
import org.rodsgate.testing.SandboxFixture;
import org.rodsgate.testing.WithSandbox;

/** SPECIFIC_QUERY (722) and GENERAL_ADMIN (701) of the sandbox, as iadmin and python-irodsclient use them. */
class SpecificQueriesTest extends WithSandbox {
    static byte[] query(String alias, String... args) {
        PackWriter w = PackWriter.client("specificQueryInp_PI").str("sql", alias);
        for (int i = 0; i < args.length; i++) {
            w.str("arg" + (i + 1), args[i]);
        }
        return w.i("maxRows", 500).i("continueInx", 0).i("rowOffset", 0).i("options", 0).kvp(Map.of()).bytes();
    }

    static byte[] admin(String... args) {
        PackWriter w = PackWriter.client("generalAdminInp_PI");
        for (int i = 0; i < 10; i++) {
            w.str("arg" + i, i < args.length ? args[i] : "");
        }
        return w.bytes();
    }

    static List<List<String>> rows(IrodsSession s, byte[] q) throws IrodsException {
        return GenQueryOut.parse(s.connection().call(ApiNumber.SPECIFIC_QUERY, q).body()).rows();
    }

    @Test
    void builtInsListedAndCollectionAclsShown() throws Exception {
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            List<List<String>> ls = rows(s, query("ls"));
            assertEquals("ls", ls.get(0).get(0));
            assertTrue(ls.size() >= 13);
            assertEquals(List.of(List.of("rods", "tempZone", "own", "rodsadmin")), rows(s, query("ShowCollAcls", "/")));
            IrodsException e = assertThrows(IrodsException.class, () -> rows(s, query("no_such_alias")));
            assertEquals("CAT_UNKNOWN_SPECIFIC_QUERY", e.codeName());
        }
    }

    @Test
    void aRodsadminRegistersQueriesThatOnlyRead() throws Exception {
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("add", "specificQuery",
                "select COLL_NAME from R_COLL_MAIN where COLL_NAME = ?", "coll_by_name"));
            assertEquals(List.of(List.of("/tempZone/home")), rows(s, query("coll_by_name", "/tempZone/home")));
            IrodsException twice = assertThrows(IrodsException.class, () -> s.connection().call(ApiNumber.GENERAL_ADMIN,
                admin("add", "specificQuery", "select 1", "coll_by_name")));
            assertEquals("CAT_INVALID_ARGUMENT", twice.codeName());
            assertTrue(twice.getMessage().contains("Alias is not unique"), twice.getMessage());
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("add", "specificQuery", "delete from colls", "wipe"));
            assertEquals("CAT_SQL_ERR", assertThrows(IrodsException.class, () -> rows(s, query("wipe"))).codeName());
            assertTrue(s.statOrNull("/tempZone/home") != null, "a registered query cannot change the catalog");
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("add", "specificQuery",
                "select password from passwords", "leak"));
            assertEquals("CAT_SQL_ERR", assertThrows(IrodsException.class, () -> rows(s, query("leak"))).codeName());
            for (String a : List.of("coll_by_name", "wipe", "leak")) {
                s.connection().call(ApiNumber.GENERAL_ADMIN, admin("rm", "specificQuery", a));
            }
        }
        try (IrodsSession alice = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            IrodsException e = assertThrows(IrodsException.class, () -> alice.connection().call(ApiNumber.GENERAL_ADMIN,
                admin("add", "specificQuery", "select 1", "mine")));
            assertEquals("CAT_INSUFFICIENT_PRIVILEGE_LEVEL", e.codeName());
        }
    }

    /** GENERAL_ADMIN users and groups, as iadmin and python-irodsclient's user managers send them. */
    @Test
    void iadminUsersAndGroups() throws Exception {
        try (IrodsSession alice = IrodsSession.open(sandbox.account("alice", SandboxFixture.ALICE_PW))) {
            IrodsException e = assertThrows(IrodsException.class, () -> alice.connection().call(ApiNumber.GENERAL_ADMIN,
                admin("add", "user", "mallory", "rodsadmin", "", "")));
            assertEquals("CAT_INSUFFICIENT_PRIVILEGE_LEVEL", e.codeName());
        }
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("add", "user", "dave", "rodsuser", "", ""));
            assertTrue(s.statOrNull("/tempZone/home/dave") != null, "a new user gets a home");
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("add", "user", "team", "rodsgroup", "", ""));
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("modify", "group", "team", "add", "dave", ""));
            assertEquals(1, rows(s, query("listGroupsForUser", "dave")).stream()
                .filter(r -> r.get(1).equals("team")).count(), "dave is in team");
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("modify", "user", "dave", "type", "rodsadmin"));
            assertEquals("CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME", assertThrows(IrodsException.class,
                () -> s.connection().call(ApiNumber.GENERAL_ADMIN, admin("add", "user", "dave", "rodsuser"))).codeName());
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("rm", "user", "dave", ""));
            s.connection().call(ApiNumber.GENERAL_ADMIN, admin("rm", "user", "team", ""));
            assertTrue(s.statOrNull("/tempZone/home/dave") == null, "an empty home goes with its user");
        }
    }
}

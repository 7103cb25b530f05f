package org.rodsgate.fs.open;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rodsgate.irods.ObjStat;

/** The open-file lifecycle's pure rules: work names, baselines, ACL levels. */
class OpenRulesTest {
    private static ObjStat obj(long id, long size, long mtime, String sum) {
        return new ObjStat("/z/home/u/f", ObjStat.Kind.DATA_OBJECT, id, size, 1, mtime, "u", sum, 1);
    }

    @Test
    void workNamesAreHiddenAndUnique() {
        String a = WorkNames.part("/z/home/u/data.tif");
        String b = WorkNames.part("/z/home/u/data.tif");
        assertNotEquals(a, b);
        assertTrue(a.startsWith("/z/home/u/.rodsgate-part-"), a);
        assertTrue(WorkNames.isWork(a.substring(a.lastIndexOf('/') + 1)));
        String g = WorkNames.gone("/z/home/u/data.tif");
        assertTrue(WorkNames.isWork(g.substring(g.lastIndexOf('/') + 1)), g);
        for (String user : new String[] {".rodsgate-part-", ".rodsgate-part-123", ".rodsgate-partx-0123456789abcdef",
            "a.rodsgate-part-0123456789abcdef", ".rodsgate-part-0123456789abcdef.tif", "data.tif"}) {
            assertFalse(WorkNames.isWork(user), user + " is a user's name, never hidden");
        }
        String c = WorkNames.conflict("/z/home/u/data.tif");
        assertTrue(c.matches("/z/home/u/data\\.tif\\.conflict-\\d{8}T\\d{6}Z-[0-9a-f]{4}"), c);
        assertFalse(WorkNames.isWork(c.substring(c.lastIndexOf('/') + 1)), "a conflict copy is shown");
    }

    @Test
    void baselineMatchesOnlyTheSameVersion() {
        Baseline b = Baseline.of(obj(7, 100, 1000, ""));
        assertTrue(b.matches(obj(7, 100, 1000, "")));
        assertTrue(b.matches(obj(7, 100, 1000, "sha2:x")), "a checksum computed since is not a change");
        assertFalse(b.matches(obj(8, 100, 1000, "")), "replaced (new data id)");
        assertFalse(b.matches(obj(7, 101, 1000, "")), "size changed");
        assertFalse(b.matches(obj(7, 100, 1001, "")), "rewritten later");
        assertFalse(b.matches(null), "removed");
        assertFalse(Baseline.of(obj(7, 100, 1000, "sha2:a")).matches(obj(7, 100, 1000, "sha2:b")),
            "same id, size and second, other contents");
    }

    @Test
    void aclLevelsMapToWhatModAccessControlTakes() {
        assertEquals("own", Replacement.level("own"));
        assertEquals("write", Replacement.level("modify_object"));
        assertEquals("write", Replacement.level("modify object"));
        assertEquals("write", Replacement.level("delete_object"));
        assertEquals("read", Replacement.level("read_object"));
        assertEquals("read", Replacement.level("read object"));
    }
}

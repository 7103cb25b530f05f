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

    /**
     * FsModelTest seed 8689544966428987049: another client overwrote the object with the same size in the second the
     * writer's baseline was taken; id, size and modify time matched, and the mount's version replaced theirs.
     */
    @Test
    void aRacyBaselineIsPinnedByContent() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        assertFalse(Baseline.of(obj(7, 100, now - 60, "")).racy(), "modified a minute ago: the time tells");
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Baseline old = Baseline.of(obj(7, 100, now - 60, ""), () -> "sha2:never" + asked.incrementAndGet());
        assertEquals("", old.checksum());
        assertEquals(0, asked.get(), "no checksum is computed for a baseline the modify time can pin");
        Baseline b = Baseline.of(obj(7, 100, now, ""), () -> "sha2:mine");
        assertTrue(b.racy());
        assertEquals("sha2:mine", b.checksum(), "a racy baseline is pinned by the checksum iRODS computes");
        var theirs = obj(7, 100, now, ""); // overwritten in the same second: iRODS cleared the checksum
        assertTrue(b.matches(theirs), "the catalog alone cannot tell");
        assertFalse(b.sameContent(theirs, () -> "sha2:theirs"), "the content can");
        assertTrue(b.sameContent(theirs, () -> "sha2:mine"), "unchanged");
        assertTrue(b.sameContent(obj(7, 100, now, "sha2:mine"), () -> { throw new AssertionError("not asked"); }));
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

package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rodsgate.testing.SandboxFixture;
import org.rodsgate.testing.WithSandbox;

/** A 10,000-object collection is listed completely, in pages, each object once. */
class LargeCollectionTest extends WithSandbox {

    @Test
    void listsTenThousandObjectsCompletely() throws IrodsException {
        String coll = "/tempZone/home/rods/many";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.mkdir(coll, false);
            s.mkdir(coll + "/subcollection", false);
            for (int i = 0; i < 10_000; i++) {
                IrodsSession.OpenFile f = s.create(coll + "/obj-" + i);
                s.close(f.fd());
            }
            List<ObjStat> all = s.list(coll);
            assertEquals(10_001, all.size());
            Set<String> names = new HashSet<>();
            for (ObjStat e : all) {
                names.add(e.name());
            }
            assertEquals(10_001, names.size(), "no entry twice");
            for (int i = 0; i < 10_000; i += 997) {
                assertEquals(true, names.contains("obj-" + i));
            }
        }
    }
}

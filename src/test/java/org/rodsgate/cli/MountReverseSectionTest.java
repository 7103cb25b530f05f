package org.rodsgate.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** newcomer2 M9: `rodsgate mount --config` with a reverse section says it is ignored there and where it runs. */
class MountReverseSectionTest {
    @TempDir
    Path dir;

    @Test
    void mountConfigWithAReverseSectionSaysItIsIgnored() throws Exception {
        Path f = dir.resolve("rev 7.yaml");
        Files.writeString(f, "reverse:\n  rules: [{match: \"*\", kind: in_place}]\n");
        String m = MountCommand.reverseIgnored(f);
        assertTrue(m != null && m.contains("'reverse' section of " + f + " is ignored by a mount")
            && m.contains("rodsgate watch --config " + f), m);
        Path w = dir.resolve("w.yaml");
        Files.writeString(w, "watch:\n  collections: [/tempZone/home/rods/in]\n");
        assertNull(MountCommand.reverseIgnored(w));
        assertNull(MountCommand.reverseIgnored(null));
    }
}

package org.rodsgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.reverse.place.PlacementRule;

/** Issue 12: the reverse section, every setting declared once; bad rules and loops refused with the reason. */
class ReverseConfigTest {
    @TempDir
    Path dir;

    Path write(String body) throws Exception {
        Files.writeString(dir.resolve("pw"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("pw"),
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, body + "omero:\n  password_file: pw\n  host: omero.example.org\n");
        return f;
    }

    ReverseConfig load(String reverse) throws Exception {
        return ReverseConfig.load(write("reverse:\n" + reverse), true);
    }

    @Test
    void defaultsAndRulesAsDeclared() throws Exception {
        ReverseConfig c = load("""
              rules:
                - {match: "group:imaging", kind: copy, template: "/z/omero/%group%/%user%/%fileset%/%name%",
                   window: "22:00-06:00", bytes_per_second: 1000000}
                - {match: "*", kind: in_place}
              mount: /mnt/irods
            """);
        assertEquals(Duration.ofSeconds(10), c.poll());
        assertEquals(500, c.pageSize());
        assertEquals(Duration.ofSeconds(600), c.lookBack());
        assertEquals(Duration.ofMinutes(120), c.failedImport());
        assertEquals(5, c.maxAttempts());
        assertEquals("omero.example.org:4064", c.server());
        assertEquals(Path.of("/OMERO/ManagedRepository"), c.repository());
        PlacementRule r = c.ruleFor("alice", "imaging");
        assertEquals(PlacementRule.Kind.COPY, r.kind());
        assertEquals(LocalTime.of(22, 0), r.windowStart());
        assertEquals(LocalTime.of(6, 0), r.windowEnd());
        assertEquals(1_000_000, r.bytesPerSecond());
        assertEquals(PlacementRule.Kind.IN_PLACE, c.ruleFor("bob", "other").kind());
        assertEquals("alice", c.irodsUser("alice"));
        for (String key : List.of("reverse.rules", "reverse.look_back_seconds", "reverse.failed_import_minutes",
            "reverse.page_size", "reverse.repository")) {
            assertTrue(List.of(ReverseConfig.SETTINGS).stream().anyMatch(s -> s[0].equals(key)), key);
        }
    }

    @Test
    void anImportFromTheMountIsInPlaceWhateverTheRule() throws Exception {
        ReverseConfig c = load("  rules: [{match: \"*\", kind: copy, template: \"/z/o/%fileset%/%name%\"}]\n"
            + "  mount: /mnt/irods\n");
        OmeroOriginalFile linked = new OmeroOriginalFile(1, "a_1/x/", "x.tif", 5, null, null, "mnt/irods/z/data/x.tif");
        OmeroOriginalFile elsewhere = new OmeroOriginalFile(2, "a_1/x/", "y.tif", 5, null, null, "data/y.tif");
        OmeroFileset fromMount = new OmeroFileset(1, "a", "g", "a_1/x/", "ln_s", true, 1, 0, List.of(linked));
        OmeroFileset fromDisk = new OmeroFileset(2, "a", "g", "a_1/x/", "ln_s", true, 1, 0, List.of(elsewhere));
        OmeroFileset uploaded = new OmeroFileset(3, "a", "g", "a_1/x/", "upload", true, 1, 0, List.of(linked));
        assertEquals(PlacementRule.Kind.IN_PLACE, c.ruleFor(fromMount).kind());
        assertEquals(PlacementRule.Kind.COPY, c.ruleFor(fromDisk).kind(), "linked from a local disk: copied");
        assertEquals(PlacementRule.Kind.COPY, c.ruleFor(uploaded).kind());
    }

    @Test
    void badRulesAreRefusedWithTheReason() throws Exception {
        String[][] cases = {
            {"  rules: []\n", "at least one rule"},
            {"  rules: [{match: \"lab\", kind: copy, template: /z/%fileset%/%name%}]\n", "match must be group:NAME"},
            {"  rules: [{match: \"*\", kind: move, template: /z/%fileset%/%name%}]\n", "kind must be in_place"},
            {"  rules: [{match: \"*\", kind: copy}]\n", "template is needed for copy"},
            {"  rules: [{match: \"*\", kind: copy, template: z/%name%}]\n", "template is needed for copy"},
            {"  rules: [{match: \"*\", kind: register, template: /z/%fileset%/%name%}]\n", "resource is needed for register"},
            {"  rules: [{match: \"*\", kind: copy, template: /z/%fileset%/%name%, window: \"22-6\"}]\n", "window must be HH:MM"},
            {"  rules: [{match: \"*\", kind: in_place}]\n", "needs reverse.mount"},
            {"  rules: [{match: \"*\", kind: copy, template: /z/%fileset%/%name%, colour: red}]\n", "unknown setting 'reverse.rules[0].colour'"},
            {"  rules: [{match: \"*\", kind: copy, template: /z/%fileset%/%name%}]\n  page_size: 0\n", "page_size must be"},
            {"  rules: [{match: \"*\", kind: copy, template: /z/%fileset%/%name%}]\n  poll_seconds: soon\n", "reverse.poll_seconds must be"},
            {"  rules: [{match: \"*\", kind: copy, template: /z/%fileset%/%name%, bytes_per_second: -1}]\n", "bytes_per_second must be"},
            {"  rulez: []\n", "unknown setting 'reverse.rulez'"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("c.yaml"), e.getMessage());
        }
    }

    @Test
    void aTemplateInsideAWatchedCollectionIsALoopAndRefused() throws Exception {
        String watch = "watch:\n  collections: [/z/home/alice/incoming]\n  mount: /mnt/irods\n"
            + "  user: {rule: map, map: {alice_irods: alice}}\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ReverseConfig.load(write(watch
            + "reverse:\n  rules: [{match: \"*\", kind: copy, template: \"/z/home/alice/incoming/omero/%fileset%/%name%\"}]\n"),
            true));
        assertTrue(e.getMessage().contains("inside watched collection /z/home/alice/incoming"), e.getMessage());
        ReverseConfig ok = ReverseConfig.load(write(watch
            + "reverse:\n  rules: [{match: \"*\", kind: copy, template: \"/z/omero/%user%/%fileset%/%name%\"}]\n"), true);
        assertEquals(Path.of("/mnt/irods"), ok.mountRoot(), "the watch section's mount");
        assertEquals("alice_irods", ok.irodsUser("alice"), "the watcher's user map, read backwards");
        e = assertThrows(ConfigException.class, () -> ReverseConfig.load(write(watch
            + "reverse:\n  rules: [{match: \"*\", kind: in_place}]\n  gateway: x\n"), true));
        assertTrue(e.getMessage().contains("reverse.gateway is taken from watch.gateway"), e.getMessage());
    }

    @Test
    void noReverseSectionIsNull() throws Exception {
        assertNull(ReverseConfig.load(write("watch:\n  collections: [/z/x]\n"), true));
        assertEquals(Map.of(), load("  rules: [{match: \"*\", kind: copy, template: /z/%fileset%/%name%}]\n").userMap());
    }
}

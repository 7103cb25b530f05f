package org.rodsgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, attack (b12c): config mistakes of the reverse section — each refused at load with the setting named,
 * never found out later by a fileset placed on the wrong path or imported back.
 */
class ReverseConfigAttackTest {
    @TempDir
    Path dir;

    Path write(String body) throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, body + "omero:\n  password_file: pw\n  host: omero.example.org\n");
        return f;
    }

    String refused(String body) {
        ConfigException e = assertThrows(ConfigException.class, () -> ReverseConfig.load(write(body), true), body);
        assertTrue(e.getMessage().contains("c.yaml"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aTemplateWithoutFilesetIsRefusedNamingTheRule() {
        for (String t : new String[] {"/z/omero/%user%/%name%", "/z/omero/%group%/%year%-%month%/%clientPath%",
            "/z/omero/fixed.tif"}) {
            String m = refused("reverse:\n  rules:\n    - {match: \"group:lab\", kind: in_place}\n"
                + "    - {match: \"*\", kind: copy, template: \"" + t + "\"}\n  mount: /mnt/irods\n");
            assertTrue(m.contains("reverse.rules[1].template") && m.contains("%fileset%") && m.contains(t), m);
        }
        String m = refused("reverse:\n  rules: [{match: \"*\", kind: register, resource: r, template: \"/z/%user%/%name%\"}]\n");
        assertTrue(m.contains("reverse.rules[0].template") && m.contains("%fileset%"), m);
    }

    @Test
    void overlappingRulesAreRefusedNamingBoth() {
        String m = refused("reverse:\n  rules:\n    - {match: \"*\", kind: copy, template: \"/z/o/%fileset%/%name%\"}\n"
            + "    - {match: \"group:lab\", kind: copy, template: \"/z/lab/%fileset%/%name%\"}\n");
        assertTrue(m.contains("reverse.rules[1]") && m.contains("reverse.rules[0]") && m.contains("never apply"), m);
        m = refused("reverse:\n  rules:\n    - {match: \"user:bob\", kind: copy, template: \"/z/b/%fileset%/%name%\"}\n"
            + "    - {match: \"group:lab\", kind: copy, template: \"/z/lab/%fileset%/%name%\"}\n"
            + "    - {match: \"user:bob\", kind: copy, template: \"/z/b2/%fileset%/%name%\"}\n");
        assertTrue(m.contains("reverse.rules[2] (match 'user:bob')") && m.contains("reverse.rules[0]"), m);
    }
    /**
     * newcomer2 M11: bad templates are refused when the config is read (unknown placeholder, lone '%'), and a
     * template outside the gateway's zone when the zone is known (at the gateway's and push's start).
     */
    @Test
    void badTemplatesAreRefusedAtStart() throws Exception {
        String m = refused("reverse:\n  rules: [{match: \"*\", kind: copy, template: \"/tempZone/%foo%/%fileset%/%name%\"}]\n");
        assertTrue(m.contains("reverse.rules[0].template") && m.contains("unknown placeholder %foo%"), m);
        m = refused("reverse:\n  rules: [{match: \"*\", kind: copy, template: \"/tempZone/100%/%fileset%/%name%\"}]\n");
        assertTrue(m.contains("a lone '%'"), m);
        ReverseConfig ok = ReverseConfig.load(write("reverse:\n  rules: [{match: \"*\", kind: copy, template:"
            + " \"/x/%fileset%/%name%\"}]\n"), true);
        ConfigException e = assertThrows(ConfigException.class, () -> ok.checkZone("tempZone"));
        assertTrue(e.getMessage().contains("match '*'") && e.getMessage().contains("starts with /x, not /tempZone"),
            e.getMessage());
        ReverseConfig.load(write("reverse:\n  rules: [{match: \"*\", kind: copy, template:"
            + " \"/%zone%/100%%/%fileset%/%name%\"}]\n"), true).checkZone("tempZone");
    }

    @Test
    void aSettingTheRulesKindDoesNotUseIsRefusedNotIgnored() {
        String[][] cases = {
            {"{match: \"*\", kind: in_place, window: \"22:00-06:00\"}", "reverse.rules[0].window is not used by kind in_place"},
            {"{match: \"*\", kind: in_place, template: \"/z/%fileset%/%name%\"}", "reverse.rules[0].template is not used by kind in_place"},
            {"{match: \"*\", kind: managed_on_mount, bytes_per_second: 1000}", "reverse.rules[0].bytes_per_second is not used by kind managed_on_mount"},
            {"{match: \"*\", kind: register, resource: r, template: \"/z/%fileset%/%name%\", window: \"22:00-06:00\"}",
                "reverse.rules[0].window is not used by kind register"},
        };
        for (String[] c : cases) {
            String m = refused("reverse:\n  rules: [" + c[0] + "]\n  mount: /mnt/irods\n");
            assertTrue(m.contains(c[1]), m);
        }
    }
}

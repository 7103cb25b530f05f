package org.rodsgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failing input 7 (configuration traps): watched collections normalised or refused, new settings declared. */
class WatchConfigTest {
    @TempDir
    Path dir;

    WatchConfig load(String watch) throws Exception {
        Files.writeString(dir.resolve("pw"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("pw"),
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")); // a secret file: 0600
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "watch:\n" + watch + "omero:\n  password_file: pw\n");
        return WatchConfig.load(f);
    }

    @Test
    void aTrailingSlashIsDroppedSoTheCollectionIsWatched() throws Exception {
        assertEquals(List.of("/tempZone/home/rods/omero", "/z/x"),
            load("  collections: [/tempZone/home/rods/omero/, /z/x//]\n").collections());
        assertEquals(List.of("/"), load("  collections: [/]\n").collections());
    }

    @Test
    void badCollectionsAreRefusedWithTheReason() {
        for (String[] c : new String[][] {{"z/rel", "absolute"}, {"/z//x", "empty component"},
            {"/z/./x", ". or .."}, {"/z/../x", ". or .."}, {"\"/z/a\\tb\"", "control character"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> load("  collections: [" + c[0] + "]\n"));
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("c.yaml"), e.getMessage());
        }
    }

    /** Issue 11, "config traps": numbers YAML reads as text ("abc", "5s") or out of range were taken as defaults or 0. */
    @Test
    void numericSettingsThatAreNotNumbersOrOutOfRangeAreRefusedByName() {
        for (String[] c : new String[][] {{"  quiet_seconds: abc\n", "watch.quiet_seconds", "'abc'"},
            {"  poll_seconds: 5s\n", "watch.poll_seconds", "'5s'"}, {"  poll_seconds: 0\n", "watch.poll_seconds", "> 0"},
            {"  quiet_seconds: -1\n", "watch.quiet_seconds", ">= 0"}, {"  backoff_seconds: x\n", "watch.backoff_seconds", "'x'"},
            {"  heartbeat_seconds: -5\n", "watch.heartbeat_seconds", "> 0"}, {"  max_attempts: 0\n", "watch.max_attempts", "'0'"},
            {"  max_attempts: 2.5\n", "watch.max_attempts", "whole number"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> load("  collections: [/z/x]\n" + c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]) && e.getMessage().contains("c.yaml"),
                e.getMessage());
        }
    }

    @Test
    void omeroPortAndTimeoutAreChecked() throws Exception {
        Files.writeString(dir.resolve("pw"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("pw"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path f = dir.resolve("o.yaml");
        Files.writeString(f, "watch:\n  collections: [/z/x]\nomero:\n  password_file: pw\n  port: 99999\n");
        assertTrue(assertThrows(ConfigException.class, () -> WatchConfig.load(f)).getMessage().contains("omero.port"));
        Files.writeString(f, "watch:\n  collections: [/z/x]\nomero:\n  password_file: pw\n  timeout_seconds: 1h\n");
        assertTrue(assertThrows(ConfigException.class, () -> WatchConfig.load(f)).getMessage()
            .contains("omero.timeout_seconds must be a number of seconds > 0, not '1h'"));
        Files.writeString(f, "watch:\n  collections: [/z/x]\n  quiet_seconds: 0.5\nomero:\n  password_file: pw\n  port: 4065\n");
        WatchConfig ok = WatchConfig.load(f);
        assertEquals(Duration.ofMillis(500), ok.quiet());
        assertEquals(4065, ok.omero().port());
    }

    @Test
    void onChangeAndHeartbeatAreDeclaredWithDefaults() throws Exception {
        WatchConfig d = load("  collections: [/z/x]\n");
        assertEquals(WatchConfig.OnChange.STALE, d.onChange());
        assertEquals(Duration.ofSeconds(5), d.heartbeat());
        WatchConfig r = load("  collections: [/z/x]\n  on_change: reimport\n  heartbeat_seconds: 1\n");
        assertEquals(WatchConfig.OnChange.REIMPORT, r.onChange());
        assertEquals(Duration.ofSeconds(1), r.heartbeat());
        assertTrue(assertThrows(ConfigException.class, () -> load("  collections: [/z/x]\n  on_change: ignore\n"))
            .getMessage().contains("watch.on_change"));
        assertTrue(List.of(WatchConfig.SETTINGS).stream().anyMatch(s -> s[0].equals("watch.on_change")));
    }

    /** Issue 11: status and retry read only the ledger, so they need no OMERO password file. */
    @Test
    void ledgerOnlyCommandsNeedNoOmeroPassword() throws Exception {
        Path f = dir.resolve("nopw.yaml");
        Files.writeString(f, "watch:\n  collections: [/z/x]\n");
        assertTrue(assertThrows(ConfigException.class, () -> WatchConfig.load(f)).getMessage()
            .contains("omero.password_file is required"));
        WatchConfig c = WatchConfig.load(f, false);
        assertEquals(List.of("/z/x"), c.collections());
        assertEquals(null, c.omero().password());
    }
}

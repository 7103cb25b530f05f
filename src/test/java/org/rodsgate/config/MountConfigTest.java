package org.rodsgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountConfigTest {
    @TempDir
    Path dir;

    MountConfig load(String yaml) throws Exception {
        Path f = dir.resolve("rodsgate.yaml");
        Files.writeString(f, yaml);
        return MountConfig.load(f);
    }

    @Test
    void readsEverySetting() throws Exception {
        MountConfig c = load("""
            irods:
              environment: env.json
            mount:
              identity: per-user
              user_map: {jdoe: john.doe}
              mappings:
                - {irods: /z/home, path: /home}
                - {irods: /z/data, path: /data, read_only: true}
              cache: {attr_ttl_seconds: 7, negative_ttl_seconds: 1.5}
              spill_dir: spill
              pool_size: 4
            """);
        assertTrue(c.perUser());
        assertTrue(c.allowOther(), "per-user mode implies allow_other");
        assertEquals(0, c.entryTimeout(), "per-user mode keeps the kernel from caching across users");
        assertEquals("john.doe", c.userMap().get("jdoe"));
        assertEquals(2, c.mappings().size());
        assertTrue(c.mappings().get(1).readOnly());
        assertEquals(Duration.ofSeconds(7), c.cache().attrTtl());
        assertEquals(Duration.ofMillis(1500), c.cache().negativeTtl());
        assertEquals(dir.resolve("env.json"), c.irodsEnvironment());
        assertEquals(dir.resolve("spill"), c.spillDir());
        assertEquals(4, c.poolSize());
    }

    @Test
    void defaultsWithoutAFile() {
        MountConfig c = MountConfig.defaults();
        assertEquals(MountConfig.MOUNT_OWNER, c.identity());
        assertEquals(5, c.entryTimeout());
        assertEquals("/", c.mappings().get(0).irodsPath());
    }

    @Test
    void malformedConfigsNameTheProblem() {
        assertTrue(assertThrows(ConfigException.class, () -> load("mount:\n  identiy: per-user\n"))
            .getMessage().contains("unknown setting 'mount.identiy'"));
        assertTrue(assertThrows(ConfigException.class, () -> load("mount:\n  identity: everyone\n"))
            .getMessage().contains("mount.identity"));
        assertTrue(assertThrows(ConfigException.class, () -> load("mount: [1, 2\n"))
            .getMessage().contains("not valid YAML"));
        String syntax = assertThrows(ConfigException.class, () -> load("mount:\n  identity: per-user\n   bad: [\n"))
            .getMessage();
        assertTrue(syntax.matches("(?s).*line \\d+, column \\d+:.*"), "a syntax error gives line and column: " + syntax);
        assertTrue(assertThrows(ConfigException.class, () -> load("mount:\n  mappings:\n    - {path: /x}\n"))
            .getMessage().contains("absolute 'irods'"));
        assertTrue(assertThrows(ConfigException.class, () -> load("mount:\n  cache: {attr_ttl_seconds: soon}\n"))
            .getMessage().contains("attr_ttl_seconds"));
        assertTrue(assertThrows(ConfigException.class, () -> MountConfig.load(dir.resolve("missing.yaml")))
            .getMessage().contains("no config file"));
    }

    @Test
    void readsTheLimitsAndRefusesBadOnes() throws Exception {
        MountConfig c = load("""
            mount:
              metadata_connections: 2
              memory_budget_mib: 64
              timeouts: {connect_seconds: 2, reply_seconds: 30.5, connection_wait_seconds: 1, down_retry_max_seconds: 3}
            """);
        MountLimits l = c.limits();
        assertEquals(2, l.metadataConnections());
        assertEquals(64L << 20, l.memoryBudgetBytes());
        assertEquals(Duration.ofSeconds(2), l.connect());
        assertEquals(Duration.ofMillis(30_500), l.reply());
        assertEquals(Duration.ofSeconds(1), l.connectionWait());
        assertEquals(Duration.ofSeconds(3), l.downRetryMax());
        assertEquals(MountLimits.defaults().reply(), load("mount: {}").limits().reply());
        ConfigException e = assertThrows(ConfigException.class, () -> load("mount: {timeouts: {reply: 3}}"));
        assertTrue(e.getMessage().contains("mount.timeouts.reply"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("mount: {timeouts: {reply_seconds: 0}}"));
        assertTrue(e.getMessage().contains("reply_seconds"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("mount: {memory_budget_mib: 1}"));
        assertTrue(e.getMessage().contains("memory_budget_mib"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("mount: {metadata_connections: 0}"));
        assertTrue(e.getMessage().contains("metadata_connections"), e.getMessage());
    }

    /** Issue 11, "config traps": numbers YAML reads as text were taken as the default; every number is checked. */
    @Test
    void numericSettingsThatAreNotNumbersAreRefusedByName() {
        for (String[] c : new String[][] {{"mount: {pool_size: lots}", "mount.pool_size", "'lots'"},
            {"mount: {pool_size: 1}", "mount.pool_size", "from 2"},
            {"mount: {metadata_connections: four}", "mount.metadata_connections", "'four'"},
            {"mount: {cache: {max_entries: 10k}}", "mount.cache.max_entries", "'10k'"},
            {"mount: {cache: {attr_ttl_seconds: 5s}}", "mount.cache.attr_ttl_seconds", "'5s'"},
            {"mount: {kernel: {entry_timeout: soon}}", "mount.kernel.entry_timeout", "'soon'"},
            {"mount: {kernel: {negative_timeout: -1}}", "mount.kernel.negative_timeout", ">= 0"},
            {"mount: {timeouts: {reply_seconds: 2m}}", "mount.timeouts.reply_seconds", "'2m'"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2])
                && e.getMessage().contains("rodsgate.yaml"), e.getMessage());
        }
    }

    @Test
    void everyLimitIsInTheSettingsTable() {
        for (String key : new String[] {"mount.metadata_connections", "mount.memory_budget_mib",
            "mount.timeouts.connect_seconds", "mount.timeouts.reply_seconds", "mount.timeouts.connection_wait_seconds",
            "mount.timeouts.down_retry_max_seconds"}) {
            assertTrue(java.util.Arrays.stream(MountConfig.SETTINGS).anyMatch(r -> r[0].equals(key)), key);
        }
    }

    /** mount.checksum: compute by default; off as YAML writes it (a boolean) or quoted; anything else refused. */
    @Test
    void checksumPolicy() throws Exception {
        assertTrue(load("mount: {identity: mount-owner}\n").checksum());
        assertEquals(false, load("mount:\n  checksum: off\n").checksum());
        assertEquals(false, load("mount:\n  checksum: \"off\"\n").checksum());
        assertTrue(load("mount:\n  checksum: compute\n").checksum());
        assertTrue(assertThrows(ConfigException.class, () -> load("mount:\n  checksum: md5\n")).getMessage()
            .contains("mount.checksum must be compute or off"));
    }

    /** An empty user_map entry excludes a local name (per-user mode gives it no iRODS identity). */
    @Test
    void anEmptyUserMapEntryExcludes() throws Exception {
        assertEquals("", load("mount:\n  user_map: {backup: \"\", svc: ~}\n").userMap().get("backup"));
        assertEquals("", load("mount:\n  user_map: {svc: ~}\n").userMap().get("svc"));
    }
}

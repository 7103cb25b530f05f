package org.rodsgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.config.MountConfig;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.testing.WithSandbox;

/** Failing input 7: status on a missing or corrupt ledger, and `watch --config` reading the config's irods section. */
class LedgerCommandsTest extends WithSandbox {
    @TempDir
    Path dir;

    Path config(String ledger) throws Exception {
        Files.writeString(dir.resolve("pw"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("pw"),
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")); // a secret file: 0600
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "watch:\n  collections: [/z/x]\n  ledger: {sqlite: " + ledger + "}\nomero:\n"
            + "  password_file: pw\n");
        return f;
    }

    String[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void statusOnAMissingLedgerIsAnErrorAndCreatesNothing() throws Exception {
        Path f = config("gone.db");
        String[] r = run("status", "--config", f.toString());
        assertNotEquals("0", r[0]);
        assertTrue(r[1].contains(dir.resolve("gone.db").toString()) && r[1].contains("does not exist"), r[1]);
        assertFalse(Files.exists(dir.resolve("gone.db")), "no empty ledger created");
        assertNotEquals("0", run("retry", "--config", f.toString())[0]);
        assertFalse(Files.exists(dir.resolve("gone.db")));
    }

    @Test
    void aCorruptLedgerErrorNamesTheFile() throws Exception {
        Files.writeString(dir.resolve("bad.db"), "this is not a database, just some text long enough".repeat(40));
        String[] r = run("status", "--config", config("bad.db").toString());
        assertNotEquals("0", r[0]);
        assertTrue(r[1].contains(dir.resolve("bad.db").toString()), r[1]);
    }

    @Test
    void theConfigsIrodsSectionGivesTheAccount() throws Exception {
        Path env = sandbox.server.environmentFile();
        Path cfg = dir.resolve("m.yaml");
        Files.writeString(cfg, "irods:\n  environment: " + env + "\n");
        ClientOptions o = new ClientOptions();
        IrodsAccount a = o.account(MountConfig.load(cfg));
        assertEquals(sandbox.rods().port(), a.port());
        assertEquals("rods", a.user());
    }
}

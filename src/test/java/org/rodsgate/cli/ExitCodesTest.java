package org.rodsgate.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.testing.WithSandbox;

/**
 * Issue 11, "arguments checked as the README says": every command's argument checks and exit statuses as README
 * "Commands" documents them (2: usage or configuration, 3: not found, 1: anything else), each failure one line on
 * stderr naming the problem, and argument errors found before anything is started or sent.
 */
class ExitCodesTest extends WithSandbox {
    @TempDir
    Path dir;

    record Result(int code, String err) {
        void is(int expected, String... says) {
            assertEquals(expected, code, "exit status; stderr: " + err);
            assertEquals(1, err.strip().lines().count(), "one line on stderr: " + err);
            assertTrue(err.startsWith("rodsgate: "), err);
            for (String s : says) {
                assertTrue(err.contains(s), "stderr names '" + s + "': " + err);
            }
            assertFalse(err.contains("null"), err);
        }
    }

    static Result run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    /** A client command with the sandbox's account. */
    static Result client(String cmd, String... args) {
        List<String> a = new ArrayList<>(List.of(cmd, "--env", sandbox.server.environmentFile().toString(),
            "--auth-file", sandbox.server.authenticationFile().toString()));
        a.addAll(List.of(args));
        return run(a.toArray(new String[0]));
    }

    @Test
    void putOfAMissingLocalFileIsNotFound() {
        Path missing = dir.resolve("no-such-file");
        client("put", missing.toString(), "x").is(Failures.NOT_FOUND, missing.toString(), "put " + missing + ": no such local file");
    }

    @Test
    void putOfADirectoryIsAUsageError() {
        client("put", dir.toString(), "x").is(Failures.USAGE, "put: " + dir + " is not a regular file");
    }

    @Test
    void putWithAnUnknownChecksumPolicyIsAUsageErrorBeforeConnecting() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        // an account on a port nobody listens on: the check comes before any connection
        run("put", "--env", dir.resolve("no-env.json").toString(), "--checksum", "md5", f.toString(), "x")
            .is(Failures.USAGE, "--checksum must be compute or off, not 'md5'");
    }

    @Test
    void getIntoAMissingLocalDirectoryIsNotFoundAndFetchesNothing() {
        Path target = dir.resolve("no-dir/file");
        client("get", "/tempZone/home/rods", target.toString())
            .is(Failures.NOT_FOUND, "get " + dir.resolve("no-dir") + ": no such local directory");
    }

    @Test
    void missingIrodsPathsAreNotFound() {
        String p = "/tempZone/home/rods/no-such-object";
        client("get", p, dir.resolve("out").toString()).is(Failures.NOT_FOUND, p);
        client("ls", p).is(Failures.NOT_FOUND, p);
        client("stat", p).is(Failures.NOT_FOUND, p);
        client("meta", "ls", p).is(Failures.NOT_FOUND, p);
        assertFalse(Files.exists(dir.resolve("out")) || Files.exists(dir.resolve("out.part")));
    }

    @Test
    void metaArgumentsAreCheckedBeforeConnecting() {
        String env = dir.resolve("no-env.json").toString();
        run("meta", "--env", env, "frob", "/p").is(Failures.USAGE, "unknown meta operation 'frob'");
        run("meta", "--env", env, "add", "/p", "attr").is(Failures.USAGE, "meta add needs ATTR and VALUE");
        run("meta", "--env", env, "ls", "/p", "attr").is(Failures.USAGE, "meta ls takes only PATH");
    }

    @Test
    void sandboxWithContradictoryOrMissingMountOptionsStartsNothing() {
        Path sb = dir.resolve("sb");
        String d = sb.toString();
        run("sandbox", "--dir", d, "--mount", dir.resolve("m").toString(), "--no-mount")
            .is(Failures.USAGE, "--mount and --no-mount exclude each other");
        run("sandbox", "--dir", d).is(Failures.USAGE, "give --mount MNT", "--no-mount");
        run("sandbox", "--dir", d, "--no-mount", "--allow-other").is(Failures.USAGE, "--allow-other needs --mount MNT");
        run("sandbox", "--dir", d, "--no-mount", "--omero-cli", "/bin/true")
            .is(Failures.USAGE, "--omero-cli needs --mount MNT");
        run("sandbox", "--dir", d, "--mount", dir.resolve("m").toString(), "--omero-cli", "/bin/true")
            .is(Failures.USAGE, "--omero-cli needs --omero-os-user");
        run("sandbox", "--dir", d, "--mount", dir.resolve("m").toString(), "--omero-os-user", "nobody")
            .is(Failures.USAGE, "--omero-os-user and --omero-env go with --omero-cli");
        run("sandbox", "--dir", d, "--no-mount", "--user", "a:b").is(Failures.USAGE, "not taken on the command line");
        run("sandbox", "--dir", d, "--no-mount", "--fault-fail", "702=oops")
            .is(Failures.USAGE, "--fault-fail takes API=CODE[xTIMES] (numbers), not '702=oops'");
        assertFalse(Files.exists(sb.resolve("catalog.db")), "no sandbox was started");
    }

    @Test
    void mountArgumentsAreCheckedBeforeWaitingForTheServer() {
        Path missing = dir.resolve("no-mnt");
        Path file = dir.resolve("a-file");
        assertDoesNotThrow(() -> Files.writeString(file, "x"));
        run("mount", "--env", dir.resolve("no-env.json").toString(), "--wait-for-server", "3600", file.toString())
            .is(Failures.USAGE, "mount: mount point " + file + " is not a directory");
        run("mount", "--wait-for-server", "-1", dir.toString()).is(Failures.USAGE, "--wait-for-server must be 0 or more");
        run("mount", "--metrics-port", "70000", dir.toString()).is(Failures.USAGE, "--metrics-port must be 0..65535");
        run("unmount", missing.toString()).is(Failures.NOT_FOUND, "unmount " + missing + ": no such mount point");
        run("unmount", dir.toString()).is(Failures.FAILED, dir + " is not mounted");
    }

    @Test
    void statusAndRegisterArgumentChecks() {
        run("status").is(Failures.USAGE, "--config FILE");
        run("status", "--mount", dir.toString(), "--config", "c.yaml").is(Failures.USAGE, "give one or the other");
        run("status", "--mount", dir.toString(), "--list").is(Failures.USAGE, "give one or the other");
        run("status", "--sandbox", dir.toString(), "--config", "c.yaml").is(Failures.USAGE, "give one or the other");
        run("status", "--sandbox", dir.toString(), "--mount", dir.toString()).is(Failures.USAGE, "exclude each other");
        run("status", "--sandbox", dir.resolve("none").toString())
            .is(Failures.FAILED, "status --sandbox " + dir.resolve("none") + ": no status socket");
        run("status", "--limit", "0", "--config", "c.yaml").is(Failures.USAGE, "--limit must be at least 1");
        run("register", "--config", "c.yaml").is(Failures.USAGE, "give IRODS_PATH... or --from-file LIST");
        run("register", "--config", "c.yaml", "--from-file", "l", "/p").is(Failures.USAGE, "one of them");
        Path list = dir.resolve("missing-list");
        run("register", "--config", "c.yaml", "--from-file", list.toString())
            .is(Failures.NOT_FOUND, list + ": no such file or directory");
    }

    @Test
    void initRefusesAPortOutOfRangeBeforeAskingThePassword() {
        run("init", "--env", dir.resolve("env.json").toString(), "--host", "localhost", "--port", "0", "--zone", "z",
            "--user", "u").is(Failures.USAGE, "iRODS port must be a number 1..65535, not '0'");
        assertFalse(Files.exists(dir.resolve("env.json")));
    }

    @Test
    void aMissingPasswordFileIsAConfigurationError() {
        Path none = dir.resolve("no-irodsA");
        run("ls", "--env", sandbox.server.environmentFile().toString(), "--auth-file", none.toString())
            .is(Failures.USAGE, none.toString());
    }

    @Test
    void picocliUsageErrorsAreOneLineAndExitTwo() {
        run("get").is(Failures.USAGE, "Missing required parameters", "'rodsgate get --help'");
        run("ls", "--no-such-option").is(Failures.USAGE, "Unknown option: '--no-such-option'");
        run("mount", "--wait-for-server", "abc", "/m").is(Failures.USAGE, "'abc' is not an int");
        Result none = run();
        assertEquals(Failures.USAGE, none.code(), "rodsgate without a command: usage, status 2");
        assertTrue(none.err().startsWith("Usage: rodsgate"), none.err());
    }
}

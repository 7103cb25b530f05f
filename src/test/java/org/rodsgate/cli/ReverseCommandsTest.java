package org.rodsgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;

/** Issue 12: `status` shows each direction and `retry` works for both, from a config with only a reverse section. */
class ReverseCommandsTest {
    @TempDir
    Path dir;

    String[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void statusShowsEachDirectionAndRetryQueuesAParkedFileset() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "reverse:\n  rules: [{match: \"*\", kind: copy, template: \"/z/o/%fileset%/%name%\"}]\n"
            + "  ledger: {sqlite: l.db}\nomero: {host: o.example.org}\n");
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), System::currentTimeMillis)) {
            l.enqueue(new Unit("/z/a.tif", Unit.Kind.FILE, java.util.List.of("/z/a.tif"), "alice", null));
            l.enqueueParked(Unit.fileset(7, "alice", null), "failed-import", "failed import: upload not finished");
            l.enqueue(Unit.fileset(8, "alice", null));
            var c = l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow();
            l.doneReverse(c, java.util.List.of(1L), java.util.List.of("/z/o/8/a.tif"));
            l.advanceWatermark("reverse-filesets", 8);
        }
        String[] r = run("status", "--config", f.toString());
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        int rev = out.indexOf("OMERO -> iRODS");
        assertTrue(out.startsWith("iRODS -> OMERO") && rev > 0, out);
        assertTrue(out.substring(0, rev).contains("units:        {pending=1, claimed=0, done=0, parked=0}"), out);
        assertTrue(out.substring(rev).contains("{reverse-filesets=8}"), out);
        assertTrue(out.substring(rev).contains("units:        {pending=0, claimed=0, done=1, parked=1}"), out);
        assertTrue(out.substring(rev).contains("Fileset:7 [parked, 0 attempts]: failed import: upload not finished"), out);
        r = run("retry", "--config", f.toString(), "--direction", "forward");
        assertEquals("0 unit(s) queued again\n", r[1], "nothing parked in the forward direction");
        r = run("retry", "--config", f.toString(), "Fileset:7");
        assertEquals("1 unit(s) queued again\n", r[1], r[2]);
        r = run("retry", "--config", f.toString(), "--direction", "sideways");
        assertTrue(!r[0].equals("0") && r[2].contains("--direction must be forward or reverse"), r[2]);
    }

    @Test
    void pushRefusesABadObjectOrCollectionBeforeDoingAnything() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "reverse:\n  rules: [{match: \"*\", kind: copy, template: \"/z/o/%fileset%/%name%\"}]\n"
            + "  ledger: {sqlite: l.db}\nomero: {host: o.example.org, password_file: missing.pw}\n");
        String[] r = run("push", "--config", f.toString(), "Plate:3");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("rodsgate: push: 'Plate:3' is not Fileset:ID") && r[2].strip().lines().count() == 1, r[2]);
        r = run("push", "--config", f.toString(), "Dataset:3", "--to", "/z/a/../b");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("push --to: '/z/a/../b' is not an absolute iRODS collection path"), r[2]);
        assertTrue(!Files.exists(dir.resolve("l.db")), "nothing done: no ledger made");
    }
    Path reverseOnly() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "reverse:\n  rules: [{match: \"*\", kind: copy, template: \"/z/o/%fileset%/%name%\"}]\n"
            + "  ledger: {sqlite: l.db}\nomero: {host: o.example.org}\n");
        return f;
    }

    /** newcomer2 M2: `status --list` lists the reverse units with state and reason; an unknown state is exit 2. */
    @Test
    void statusListShowsReverseUnitsAndRefusesAnUnknownState() throws Exception {
        Path f = reverseOnly();
        long now = System.currentTimeMillis();
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), System::currentTimeMillis)) {
            l.enqueueParked(Unit.fileset(7, "alice", null), "failed-import", "failed import: upload not finished");
            l.enqueue(Unit.fileset(8, "alice", null));
            l.enqueue(Unit.fileset(9, "alice", null));
            l.enqueue(Unit.fileset(10, "alice", null));
            var c = l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow();
            l.doneReverse(c, java.util.List.of(1L), java.util.List.of("/z/o/8/a.tif"));
            c = l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow();
            l.defer(c, now + 3_600_000);
            c = l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow();
            l.failed(c, "iRODS down", Duration.ofSeconds(30), 5);
            l.addPending("reverse-filesets", java.util.List.of(11L));
        }
        String[] r = run("status", "--config", f.toString(), "--list");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("parked\tFileset:7\tfailed import: upload not finished"), r[1]);
        assertTrue(r[1].contains("placed\tFileset:8\t1 object(s) in iRODS"), r[1]);
        assertTrue(r[1].contains("waiting\tFileset:9\twaits until "), r[1]);
        assertTrue(r[1].contains("failing\tFileset:10\tattempt 1 failed, next try "), r[1]);
        assertTrue(r[1].contains("importing\tFileset:11\tunfinished import in OMERO"), r[1]);
        r = run("status", "--config", f.toString(), "--list", "waiting");
        assertEquals(1, r[1].lines().count(), r[1]);
        r = run("status");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--config FILE") && r[2].contains("--mount MOUNTPOINT") && r[2].contains("--sandbox DIR"),
            r[2]);
        r = run("status", "--config", f.toString(), "--list", "bogus");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("no state 'bogus'") && r[2].contains("not-placed"), r[2]);
    }

    /** newcomer2 M5: `retry` says why nothing was queued: no such unit (exit 3), not parked, not a key (exit 2). */
    @Test
    void retrySaysWhyNothingWasQueued() throws Exception {
        Path f = reverseOnly();
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), System::currentTimeMillis)) {
            l.enqueue(Unit.fileset(63, "alice", null));
            var c = l.claim("g", Duration.ofMinutes(1), Unit.Direction.REVERSE).orElseThrow();
            l.failed(c, "no iRODS user alice", Duration.ofSeconds(30), 5);
        }
        String[] r = run("retry", "--config", f.toString(), "Fileset:63");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("Fileset:63 is not parked: it is failing (attempt 1, next try ")
            && r[2].contains("no iRODS user alice") && r[2].contains("`rodsgate push Fileset:63` runs it now"), r[2]);
        r = run("retry", "--config", f.toString(), "Fileset:999");
        assertEquals("3", r[0]);
        assertTrue(r[2].contains("no unit Fileset:999 in the ledger"), r[2]);
        r = run("retry", "--config", f.toString(), "Image:74");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'Image:74' is not a unit key"), r[2]);
    }
    /** newcomer3: `retry` of an excluded data object said "no unit ... (status --list lists them)" while --list showed it. */
    @Test
    void retryOfADataObjectTheWatcherDecidedAboutSaysWhatItIsAndWhatToDo() throws Exception {
        Path f = reverseOnly();
        try (Ledger l = Ledger.sqlite(dir.resolve("l.db"), System::currentTimeMillis)) {
            l.record(42, "/z/in/cell.tif", Ledger.EXCLUDED, "omero import -f lists no reader for it", null, 5, 1, "");
        }
        String[] r = run("retry", "--config", f.toString(), "/z/in/cell.tif");
        assertEquals("3", r[0], r[2]);
        assertTrue(r[2].contains("/z/in/cell.tif is excluded (omero import -f lists no reader for it), not a unit")
            && r[2].contains("`rodsgate register /z/in/cell.tif`"), r[2]);
    }

    /** newcomer2 LOW 4: messages about a reverse-only config name the reverse/omero sections, not only watch.*. */
    @Test
    void messagesNameTheSectionsAReverseOnlyConfigUses() throws Exception {
        String[] r = run("status", "--config", reverseOnly().toString());
        assertTrue(!r[0].equals("0") && r[2].contains("reverse.ledger.sqlite"), r[2]);
        Path w = dir.resolve("w.yaml");
        Files.writeString(w, "watch:\n  collections: [/z/in]\n  ledger: {sqlite: l.db}\nomero: {host: o.example.org}\n");
        r = run("push", "--config", w.toString(), "Fileset:1");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("no 'reverse' section") && r[2].contains("'omero' section"), r[2]);
        for (String cmd : new String[] {"push", "status", "retry", "watch"}) { // LOW 3: a reverse-only config is valid
            r = run(cmd, "--help");
            assertTrue(r[1].replaceAll("\\s+", " ").contains("with a watch and/or a reverse section"), cmd + ": " + r[1]);
        }
    }
}

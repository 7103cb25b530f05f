package org.rodsgate.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.ledger.Unit;
import org.rodsgate.testing.WithSandbox;

/**
 * The registrar with a scripted runner that answers as OMERO's command prints (no process spawned; formats from
 * LoggingImportMonitor.java, omero-py cli.py/text.py — see ImportOutputTest), the sandbox for the AVU write-back,
 * and a local directory standing for the mount.
 */
class RegistrarTest extends WithSandbox {
    @TempDir
    Path mnt;
    final List<List<String>> commands = new ArrayList<>();
    final List<Map<String, String>> envs = new ArrayList<>();
    final List<String> importDirModes = new ArrayList<>();
    final List<Path> importDirs = new ArrayList<>();
    String known = "\n";            // hql rows for the clientPath query
    String importErr = "Imported objects:\n\n==> Summary\n1 file uploaded, 1 fileset created, 1 image imported,"
        + " 0 errors in 0:00:02.314\n";
    String deleteOut = "omero.cmd.Delete2 Fileset:77 ok\n";
    int readable = 0;

    OmeroSettings settings() {
        return new OmeroSettings("omero.example.org", 4064, "root", "s3cret", "/opt/omero/bin/omero", "omero-server",
            null, "File-Size-64", Map.of(), Duration.ofMinutes(5), "regis'tered");
    }

    ProcessRunner scripted() {
        return (cmd, env, timeout) -> {
            commands.add(cmd);
            envs.add(env);
            String c = String.join(" ", cmd);
            if (cmd.get(0).equals("sh")) {
                return new ProcessRunner.Result(readable, readable == 0 ? "" : cmd.get(4), "");
            }
            if (c.contains(" hql ") && c.contains("fe.clientPath")) {
                return new ProcessRunner.Result(0, known, "");
            }
            if (c.contains(" hql ") && c.contains("from Image i")) {
                return new ProcessRunner.Result(0, "0,78\r\n\n1,79\r\n", "");
            }
            if (c.contains(" hql ")) {
                return new ProcessRunner.Result(0, "\n", "");
            }
            if (c.contains(" delete ")) {
                return new ProcessRunner.Result(0, deleteOut, deleteOut.endsWith("ok\n") ? "" : "failed: 'graph'\n");
            }
            if (c.contains(" import ")) {
                Path out = Path.of(cmd.get(cmd.indexOf("--file") + 1));
                importDirs.add(out.getParent());
                importDirModes.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.getParent())));
                Files.writeString(out, "---\n- Fileset: 90\n  Image: [91]\n");
                Files.writeString(Path.of(cmd.get(cmd.indexOf("--errs") + 1)), importErr);
                return new ProcessRunner.Result(0, "", "");
            }
            if (c.contains("TagAnnotation")) {
                return new ProcessRunner.Result(0, "TagAnnotation:5\n", "");
            }
            return new ProcessRunner.Result(0, "ImageAnnotationLink:9\n", "");
        };
    }

    String object(String name) throws Exception {
        String p = "/tempZone/home/rods/reg-" + System.nanoTime() + "-" + name;
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.close(s.create(p).fd());
        }
        Path local = Path.of(mnt + p);
        Files.createDirectories(local.getParent());
        Files.writeString(local, "pixels");
        return p;
    }

    Registrar registrar(ConnectionPool pool) {
        return new Registrar(new OmeroCli(settings(), scripted()), pool, sandbox.rods(), irods -> mnt + irods);
    }

    /** The first command with an argument that is or contains {@code word}. */
    List<String> command(String word) {
        return commands.stream().filter(c -> c.stream().anyMatch(a -> a.contains(word))).findFirst().orElseThrow();
    }

    /** Failing input 1: OMERO's summary is singular for one file, fileset and image; the first import succeeds. */
    @Test
    void aFirstImportWithOmerosSingularSummaryIsASuccess() throws Exception {
        String p = object("a.tif");
        try (ConnectionPool pool = new ConnectionPool()) {
            Registrar.Registration reg = registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice",
                "Project:name:P/Dataset:name:D", Map.of("stain", "DAPI")));
            assertEquals(90, reg.fileset());
            assertFalse(reg.wasAlreadyImported());
            List<String> imp = commands.stream().filter(c -> c.contains("import")).findFirst().orElseThrow();
            assertTrue(imp.containsAll(List.of("--transfer=ln_s", "-u", "alice", "--sudo", "root", "-T",
                "Project:name:P/Dataset:name:D", "--checksum-algorithm=File-Size-64", mnt + p,
                "--annotation-ns", "rodsgate", "--annotation-text", "stain=DAPI")), imp.toString());
            assertTrue(commands.stream().noneMatch(c -> c.contains("s3cret")), "the password is never on a command line");
            assertTrue(envs.stream().filter(e -> e.containsKey("OMERO_PASSWORD")).allMatch(e -> e.get("OMERO_PASSWORD")
                .equals("s3cret")));
            try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
                List<Avu> avus = s.listAvus(p, false);
                assertTrue(avus.contains(new Avu("omero.fileset", "90", "")));
                assertTrue(avus.contains(new Avu("omero.image", "91", "")));
                assertTrue(avus.contains(new Avu("omero.server", "omero.example.org:4064", "")));
                assertTrue(avus.stream().anyMatch(a -> a.attribute().equals("omero.registered")
                    && a.value().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")));
            }
        }
    }

    /** Failing input 8: the importer's directory is private (0700), created fresh, and removed afterwards. */
    @Test
    void theImportDirectoryIsPrivateAndRemoved() throws Exception {
        String p = object("b.tif");
        try (ConnectionPool pool = new ConnectionPool()) {
            registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null));
        }
        assertEquals(List.of("rwx------"), importDirModes);
        assertFalse(Files.exists(importDirs.get(0)), "removed after the import");
    }

    /** Failing input 6 (and \, %, _): the value goes into HQL as a literal with its quote doubled; it registers. */
    @Test
    void namesWithQuoteBackslashPercentUnderscoreRegister() throws Exception {
        for (String name : List.of("quo'te.tif", "back\\slash.tif", "50%.tif", "a_b.tif")) {
            commands.clear();
            String p = object(name);
            try (ConnectionPool pool = new ConnectionPool()) {
                assertEquals(90, registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null))
                    .fileset());
            }
            String q = command("fe.clientPath").get(command("fe.clientPath").size() - 1);
            assertTrue(q.contains("fe.clientPath = " + Hql.string(ClientPath.of(mnt + p)) + " group by"), q);
            String tag = command("TagAnnotation t").get(command("TagAnnotation t").size() - 1);
            assertTrue(tag.contains("t.textValue = 'regis''tered'"), tag);
        }
    }

    @Test
    void anAlreadyImportedPathIsRecordedNotImportedAgain() throws Exception {
        String p = object("c.tif");
        known = "0,77,2\r\n\n";
        try (ConnectionPool pool = new ConnectionPool()) {
            Registrar.Registration reg = registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null));
            assertTrue(reg.wasAlreadyImported());
            assertEquals(List.of(78L, 79L), reg.images());
            assertTrue(commands.stream().noneMatch(c -> c.contains("import")), "no second import");
        }
    }

    /**
     * A re-import of changed data does not take the fileset registered before the change for its own, and once the
     * new ids are written back the object is no longer marked stale.
     */
    @Test
    void aSupersededFilesetIsNotTakenForTheReimport() throws Exception {
        String p = object("d.tif");
        known = "0,77,2\r\n\n";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.setAvu(p, false, new Avu("omero.stale", "2026-12-01T00:00:00Z: changed", ""));
        }
        try (ConnectionPool pool = new ConnectionPool()) {
            Registrar.Registration reg = registrar(pool).register(new Unit(p + "#2", Unit.Kind.FILE, List.of(p),
                "alice", null, Map.of(), List.of(77L)));
            assertEquals(90, reg.fileset());
            assertFalse(reg.wasAlreadyImported());
        }
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            List<Avu> avus = s.listAvus(p, false);
            assertTrue(avus.contains(new Avu("omero.fileset", "90", "")));
            assertTrue(avus.stream().noneMatch(a -> a.attribute().equals("omero.stale")), avus.toString());
        }
    }

    /** Failing input 9: `omero delete` exits 0 when it failed; without "... Fileset:77 ok" nothing is imported. */
    @Test
    void orphanRemovalIsJudgedByTheDeleteReportNotTheExitCode() throws Exception {
        String p = object("e.tif");
        known = "0,77,0\r\n\n";
        deleteOut = "omero.cmd.Delete2 Fileset:77 ";
        try (ConnectionPool pool = new ConnectionPool()) {
            OmeroException e = assertThrows(OmeroException.class,
                () -> registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null)));
            assertTrue(e.getMessage().contains("Fileset:77"), e.getMessage());
            assertTrue(commands.stream().noneMatch(c -> c.contains("import")), "no import over an orphan left in place");
        }
    }

    @Test
    void successIsJudgedFromTheOutputNotTheExitCode() throws Exception {
        String p = object("f.tif");
        importErr = "No imports due to errors!\n\n==> Summary\n0 files uploaded, 0 filesets created, 0 images imported,"
            + " 1 error in 0:00:01.000\n";
        try (ConnectionPool pool = new ConnectionPool()) {
            OmeroException e = assertThrows(OmeroException.class,
                () -> registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null)));
            assertTrue(e.getMessage().contains("errors 1"), e.getMessage());
        }
    }

    /** A multi-file unit is imported by its key file, so nothing else in its directory is imported with it. */
    @Test
    void aMultiFileUnitIsImportedByItsKeyFile() throws Exception {
        String key = object("x.htd");
        String well = object("w1.tif");
        try (ConnectionPool pool = new ConnectionPool()) {
            registrar(pool).register(new Unit(key, Unit.Kind.DIRECTORY, List.of(key, well), "alice", null));
        }
        List<String> imp = commands.stream().filter(c -> c.contains("import")).findFirst().orElseThrow();
        assertEquals(List.of("--", mnt + key), imp.subList(imp.size() - 2, imp.size()));
    }

    /** A yaml file cut short (fewer documents than the summary's filesets) is not taken for the result. */
    @Test
    void aYamlCutShortIsNotASuccess() throws Exception {
        String p = object("h.tif");
        importErr = "\n==> Summary\n2 files uploaded, 2 filesets created, 2 images imported, 0 errors in 0:00:01.000\n";
        try (ConnectionPool pool = new ConnectionPool()) {
            OmeroException e = assertThrows(OmeroException.class,
                () -> registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null)));
            assertTrue(e.getMessage().contains("the summary counts 2 filesets, the yaml lists 1"), e.getMessage());
        }
    }

    /** Failing input 4: not readable by the OMERO OS user, path missing, mount down: parked with the reason. */
    @Test
    void whatOmeroCannotReachIsNotRegistrableWithTheReason() throws Exception {
        String p = object("g.tif");
        try (ConnectionPool pool = new ConnectionPool()) {
            readable = 1;
            NotRegistrable e = assertThrows(NotRegistrable.class,
                () -> registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null)));
            assertEquals(NotRegistrable.Reason.UNREADABLE, e.reason());
            readable = 0;
            Files.delete(Path.of(mnt + p));
            e = assertThrows(NotRegistrable.class,
                () -> registrar(pool).register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null)));
            assertEquals(NotRegistrable.Reason.MISSING, e.reason());
            Registrar down = new Registrar(new OmeroCli(settings(), scripted()), pool, sandbox.rods(),
                irods -> mnt.resolve("unmounted") + irods);
            e = assertThrows(NotRegistrable.class,
                () -> down.register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null)));
            assertEquals(NotRegistrable.Reason.MOUNT_DOWN, e.reason());
            assertTrue(e.getMessage().contains("mount down"), e.getMessage());
            assertTrue(commands.stream().noneMatch(c -> c.contains("import")));
        }
    }
}

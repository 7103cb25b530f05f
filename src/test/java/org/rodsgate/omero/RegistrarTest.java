package org.rodsgate.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.ledger.Unit;
import org.rodsgate.testing.WithSandbox;

/** The registrar with a scripted runner (no process spawned) and the sandbox for the AVU write-back. */
class RegistrarTest extends WithSandbox {
    final List<List<String>> commands = new ArrayList<>();
    final List<Map<String, String>> envs = new ArrayList<>();

    OmeroSettings settings() {
        return new OmeroSettings("omero.example.org", 4064, "root", "s3cret", "/opt/omero/bin/omero", "omero-server",
            null, "File-Size-64", Map.of(), Duration.ofMinutes(5), "registered");
    }

    ProcessRunner scripted(boolean alreadyImported, boolean importFails) {
        return (cmd, env, timeout) -> {
            commands.add(cmd);
            envs.add(env);
            String c = String.join(" ", cmd);
            if (c.contains(" hql ") && c.contains("fe.clientPath")) {
                return new ProcessRunner.Result(0, alreadyImported ? "0,77,2\n" : "", "");
            }
            if (c.contains(" hql ") && c.contains("from Image i")) {
                return new ProcessRunner.Result(0, "0,78\n1,79\n", "");
            }
            if (c.contains(" hql ")) {
                return new ProcessRunner.Result(0, "", "");
            }
            if (c.contains(" import ")) {
                if (importFails) {
                    return new ProcessRunner.Result(0, "", "No imports due to errors!\n==> Summary\n0 file(s) uploaded,"
                        + " 0 fileset(s) created, 0 image(s) imported, 1 error(s) in 0:00:01.000\n");
                }
                return new ProcessRunner.Result(0, "---\n- Fileset: 90\n  Image: [91]\n", "==> Summary\n1 file(s)"
                    + " uploaded, 1 fileset(s) created, 1 image(s) imported, 0 error(s) in 0:00:01.000\n");
            }
            if (c.contains("TagAnnotation")) {
                return new ProcessRunner.Result(0, "TagAnnotation:5\n", "");
            }
            return new ProcessRunner.Result(0, "ImageAnnotationLink:9\n", "");
        };
    }

    String object() throws Exception {
        String p = "/tempZone/home/rods/reg-" + System.nanoTime() + ".tif";
        try (IrodsSession s = IrodsSession.open(sandbox.rods())) {
            s.close(s.create(p).fd());
        }
        return p;
    }

    @Test
    void importsInPlaceAsTheUserAndWritesAvusBack() throws Exception {
        String p = object();
        try (ConnectionPool pool = new ConnectionPool()) {
            Registrar r = new Registrar(new OmeroCli(settings(), scripted(false, false)), pool, sandbox.rods(),
                irods -> "/mnt/irods" + irods);
            Registrar.Registration reg = r.register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice",
                "Project:name:P/Dataset:name:D", Map.of("stain", "DAPI")));
            assertEquals(90, reg.fileset());
            List<String> imp = commands.stream().filter(c -> c.contains("import")).findFirst().orElseThrow();
            assertTrue(imp.containsAll(List.of("--transfer=ln_s", "-u", "alice", "--sudo", "root", "-T",
                "Project:name:P/Dataset:name:D", "--checksum-algorithm=File-Size-64", "/mnt/irods" + p,
                "--annotation-ns", "rodsgate", "--annotation-text", "stain=DAPI")), imp.toString());
            assertTrue(commands.stream().noneMatch(c -> c.contains("s3cret")), "the password is never on a command line");
            assertEquals("s3cret", envs.get(0).get("OMERO_PASSWORD"));
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

    @Test
    void anAlreadyImportedPathIsRecordedNotImportedAgain() throws Exception {
        String p = object();
        try (ConnectionPool pool = new ConnectionPool()) {
            Registrar r = new Registrar(new OmeroCli(settings(), scripted(true, false)), pool, sandbox.rods(),
                irods -> "/mnt/irods" + irods);
            Registrar.Registration reg = r.register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null));
            assertTrue(reg.wasAlreadyImported());
            assertEquals(List.of(78L, 79L), reg.images());
            assertTrue(commands.stream().noneMatch(c -> c.contains("import")), "no second import");
        }
    }

    @Test
    void successIsJudgedFromTheOutputNotTheExitCode() throws Exception {
        String p = object();
        try (ConnectionPool pool = new ConnectionPool()) {
            Registrar r = new Registrar(new OmeroCli(settings(), scripted(false, true)), pool, sandbox.rods(),
                irods -> "/mnt/irods" + irods);
            OmeroException e = assertThrows(OmeroException.class,
                () -> r.register(new Unit(p, Unit.Kind.FILE, List.of(p), "alice", null)));
            assertTrue(e.getMessage().contains("errors 1"), e.getMessage());
        }
    }
}

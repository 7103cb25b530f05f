package org.rodsgate.omero;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.ledger.Unit;

/**
 * Registers one unit in OMERO in place, exactly once: asks OMERO first whether the unit's clientPath is already
 * imported (then only records it), removes an orphan fileset a failed import left behind, imports with
 * {@code --transfer=ln_s} as the unit's OMERO user, tags the images, and writes the ids back onto every iRODS data
 * object of the unit as AVUs: {@code omero.fileset}, {@code omero.image} (one per image), {@code omero.server},
 * {@code omero.registered} (UTC, ISO-8601).
 */
public final class Registrar {
    private static final Logger LOG = Logger.getLogger(Registrar.class.getName());

    public record Registration(long fileset, List<Long> images, boolean wasAlreadyImported) {}

    private final OmeroCli omero;
    private final ConnectionPool pool;
    private final IrodsAccount irods;
    private final Function<String, String> localPath;

    /** {@code localPath}: an iRODS path to the path under the mount that OMERO is to link to. */
    public Registrar(OmeroCli omero, ConnectionPool pool, IrodsAccount irods, Function<String, String> localPath) {
        this.omero = omero;
        this.pool = pool;
        this.irods = irods;
        this.localPath = localPath;
    }

    public Registration register(Unit u) throws IOException {
        List<String> local = u.paths().stream().map(localPath).toList();
        checkReachable(u, local);
        String user = u.owner();
        String clientPath = ClientPath.of(local.get(0));
        Registration reg = null;
        for (OmeroCli.Known k : omero.filesetsByClientPath(user, clientPath)) {
            if (u.supersedes().contains(k.fileset())) {
                continue; // registered before the files changed: not this unit's
            }
            if (k.images() > 0 && reg == null) {
                reg = new Registration(k.fileset(), omero.imagesOf(user, k.fileset()), true);
                LOG.info(u.key() + " is already in OMERO as Fileset:" + reg.fileset() + "; recording it");
            } else if (k.images() == 0) {
                LOG.info("removing orphan Fileset:" + k.fileset() + " left by a failed import of " + u.key());
                omero.deleteFileset(user, k.fileset());
            }
        }
        if (reg == null) {
            List<String> what = switch (u.kind()) {
                case FILE -> List.of(local.get(0));
                // the key file: its reader takes the fileset's other files, and nothing else in the directory is
                // imported with it (a file beside a plate is its own unit; importing the directory would do it twice)
                case DIRECTORY -> List.of(local.get(0));
                case LIST -> local;
                case FILESET -> throw new IllegalArgumentException(u.key() + ": an OMERO fileset goes to iRODS (the"
                    + " reverse worker's), not into OMERO");
            };
            ImportOutput.Fileset f = omero.importInPlace(user, what, u.target(), u.annotations());
            reg = new Registration(f.id(), f.images(), false);
        }
        long tag = omero.tag(user);
        for (long image : reg.images()) {
            omero.link(user, image, tag);
        }
        writeBack(u, reg);
        return reg;
    }

    /**
     * What OMERO will link to must be there and readable by the OMERO OS user, else the import fails half-way (an
     * orphan fileset) or links to nothing: the mount shows the zone, each path resolves, and the OMERO OS user reads
     * a byte of each through it (one process for the unit).
     */
    private void checkReachable(Unit u, List<String> local) throws IOException {
        for (String p : u.paths()) {
            String why = Names.problem(p);
            if (why != null) {
                throw new NotRegistrable(NotRegistrable.Reason.NAME, p + ": " + why);
            }
        }
        String first = u.paths().get(0);
        int slash = first.indexOf('/', 1);
        String zone = localPath.apply(slash < 0 ? first : first.substring(0, slash));
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(zone))) {
            throw new NotRegistrable(NotRegistrable.Reason.MOUNT_DOWN, "the mount does not show " + zone
                + " (mount down?)");
        }
        for (String l : local) {
            if (!java.nio.file.Files.exists(java.nio.file.Path.of(l), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new NotRegistrable(NotRegistrable.Reason.MISSING, l + " does not resolve under the mount");
            }
        }
        String unreadable = omero.unreadable(local);
        if (unreadable != null) {
            throw new NotRegistrable(NotRegistrable.Reason.UNREADABLE, "the OMERO OS user cannot read " + unreadable);
        }
    }

    /** The AVUs recording what OMERO holds, on every data object of the unit. */
    private void writeBack(Unit u, Registration reg) throws IrodsException {
        String when = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        pool.run(irods, true, s -> {
            for (String p : u.paths()) {
                s.setAvu(p, false, new Avu("omero.fileset", Long.toString(reg.fileset()), ""));
                for (Avu old : s.listAvus(p, false)) {
                    if (old.attribute().equals("omero.image")) {
                        s.removeAvu(p, false, old);
                    }
                }
                for (long image : reg.images()) {
                    s.addAvu(p, false, new Avu("omero.image", Long.toString(image), ""));
                }
                s.setAvu(p, false, new Avu("omero.server", omero.settings().server(), ""));
                s.setAvu(p, false, new Avu("omero.registered", when, ""));
                for (Avu old : s.listAvus(p, false)) {
                    if (old.attribute().equals("omero.stale")) {
                        s.removeAvu(p, false, old); // registered again: what OMERO holds is these bytes
                    }
                }
            }
            return null;
        });
    }
}

package org.rodsgate.reverse.place;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;

/**
 * REGISTER: each file of the fileset, as it lies in OMERO's ManagedRepository on a disk the iRODS server sees as the
 * rule's resource (at the same path), is registered in place as the data object the path template names, with
 * PHY_PATH_REG (API 630, as {@code ireg -K}: the server stats the file and computes its checksum). It runs as the
 * gateway's account, which must be a rodsadmin (iRODS refuses others with PATH_REG_NOT_ALLOWED); the objects stay
 * the gateway's, users get read (OMERO owns the bytes; {@link IrodsAvuDescription}). A registration is one catalog
 * row: no partial state exists. The result is checked (size, and OMERO's hash where iRODS's checksum is of the same
 * algorithm, else the local file's digest when this host can read it); a registration that does not match OMERO's
 * record is taken back with an unregister (the file itself is never touched) and refused.
 */
final class Registration {
    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final Path repository;
    private final ZoneId zone;

    private final String server;

    Registration(ConnectionPool pool, IrodsAccount account, Path repository, ZoneId zone, String server) {
        this.server = server;
        this.pool = pool;
        this.account = account;
        this.repository = repository;
        this.zone = zone;
    }

    List<Placed> place(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException {
        if (repository == null) {
            throw new IOException("fileset " + fs.id() + ": rule REGISTER needs the ManagedRepository directory");
        }
        List<Placed> out = new ArrayList<>();
        try (ConnectionPool.Lease l = pool.acquire(account)) {
            IrodsSession s = l.session();
            for (OmeroOriginalFile f : fs.files()) {
                String target = PathTemplate.expand(rule.template(), account.zone(), irodsUser, fs, f, zone);
                out.add(one(s, rule, fs.id(), f, target));
            }
        }
        return out;
    }

    private Placed one(IrodsSession s, PlacementRule rule, long filesetId, OmeroOriginalFile f, String target)
        throws IOException {
        Path phys = inRepository(f, target);
        String what = "register " + phys + " as " + target;
        Digests.Sum local = null;
        if (IrodsPlacement.readable(phys)) {
            local = check(f, phys, what);
        }
        ObjStat st = s.statWithReplicaStatus(target);
        if (st != null) {
            if (!st.isCollection()) {
                IrodsAvuDescription.refuseOtherFileset(s, target, filesetId, what);
            }
            String cs = st.isCollection() ? null : s.checksum(target, false);
            if (cs != null && st.size() == f.size() && st.replStatus() == 1 && matches(f, local, cs) == null) {
                return new Placed(f, target, cs, "found");
            }
            throw new IrodsException(ErrorCode.OVERWRITE_WITHOUT_FORCE_FLAG.code, what + ": iRODS already has"
                + " something else there: refused, it is not overwritten");
        }
        refuseRegisteredElsewhere(s, phys, what);
        TargetCollection.create(s, Paths.parent(target), account.clientUser() + " (the gateway account)",
            "registrations");
        s.register(phys.toString(), target, rule.resource(), true);
        IrodsAvuDescription.identify(s, target, filesetId, server); // OMERO's, for every watcher, at once
        ObjStat now = s.stat(target);
        String cs = s.checksum(target, false);
        String wrong = now.size() != f.size() ? "iRODS sees " + now.size() + " bytes, OMERO records " + f.size()
            : matches(f, local, cs);
        if (wrong != null) {
            s.unregister(target);
            throw new IrodsException(ErrorCode.USER_CHKSUM_MISMATCH.code, what + ": " + wrong
                + ": refused, the registration was taken back (the file is untouched)");
        }
        return new Placed(f, target, cs, "registered");
    }

    /**
     * The physical path of {@code f}: ManagedRepository/{@code OriginalFile.path}+{@code name}, with every symbolic
     * link resolved when this host sees it (the server registers the file itself, not a link that could be pointed
     * elsewhere later). Refused, naming both paths, when it lies outside the ManagedRepository: through '..' in
     * OMERO's path or through a link (at any level: an in-place {@code ln_s} import, a linked directory). A rodsadmin
     * registration makes any file the server can read readable to the object's users, so only OMERO's own bytes
     * qualify.
     */
    private Path inRepository(OmeroOriginalFile f, String target) throws IOException {
        Path root = repository.toAbsolutePath().normalize();
        Path phys = root.resolve(f.repoPath()).normalize();
        String what = "register " + root.resolve(f.repoPath()) + " as " + target;
        if (!phys.startsWith(root) || phys.equals(root)) {
            throw new IOException(what + ": the path lies outside the ManagedRepository " + root + ": refused");
        }
        if (!Files.exists(phys, LinkOption.NOFOLLOW_LINKS)) {
            return phys; // not visible here: the server answers for it (REGISTER expects the same paths on both)
        }
        Path real;
        Path realRoot;
        try {
            real = phys.toRealPath();
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IOException(what + ": cannot resolve its links (" + e + "): refused", e);
        }
        if (!real.startsWith(realRoot) || real.equals(realRoot)) {
            throw new IOException(what + ": it leads to " + real + ", outside the ManagedRepository " + realRoot
                + " (a link, e.g. an in-place import: place those with IN_PLACE or COPY): refused");
        }
        return real;
    }

    /**
     * A file some other data object already points at (registered before under another name, by anyone) is not
     * registered a second time: iRODS would accept it (chlRegDataObj has no such check), and then removing either
     * object with {@code irm} would delete OMERO's file under the other. One GenQuery on D_DATA_PATH (as the
     * gateway, a rodsadmin, it sees every object); a path GenQuery cannot carry literally is not checked.
     */
    private static void refuseRegisteredElsewhere(IrodsSession s, Path phys, String what) throws IOException {
        String p = phys.toString();
        if (!GenQuery.isLiteral(p)) {
            return;
        }
        List<List<String>> rows = s.queryAll(GenQuery.select(Column.COLL_NAME, Column.DATA_NAME)
            .whereEq(Column.D_DATA_PATH, p));
        if (!rows.isEmpty()) {
            List<String> r = rows.get(0);
            String obj = r.get(0).equals("/") ? "/" + r.get(1) : r.get(0) + "/" + r.get(1);
            throw new IrodsException(ErrorCode.CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME.code, what + ": iRODS already"
                + " has that file as " + obj + " (" + rows.size() + " object(s)): refused, a second object pointing at"
                + " OMERO's file would let either one's removal delete it under the other");
        }
    }

    /** Size and OMERO's hash of the local file; returns its SHA-256 (for iRODS's default checksum scheme). */
    private static Digests.Sum check(OmeroOriginalFile f, Path phys, String what) throws IOException {
        Digests.Sum omero = Digests.ofOmero(f.hasher(), f.hash());
        if (java.nio.file.Files.size(phys) != f.size()) {
            throw new IOException(what + ": the file has " + java.nio.file.Files.size(phys) + " bytes but OMERO"
                + " records " + f.size() + ": refused");
        }
        Digests.Sum sha = Digests.ofFile(phys, Digests.Algo.SHA256);
        if (omero != null && !omero.sameAs(Digests.ofFile(phys, omero.algo()))) {
            throw new IrodsException(ErrorCode.USER_CHKSUM_MISMATCH.code, what + ": checksum mismatch: OMERO"
                + " records " + f.hasher() + " " + f.hash() + " but the file differs: refused");
        }
        return sha;
    }

    /** Null when iRODS's checksum agrees with what is known of the file, else why not. */
    private static String matches(OmeroOriginalFile f, Digests.Sum localSha256, String irodsChecksum) {
        Digests.Sum remote = Digests.ofIrods(irodsChecksum);
        if (remote == null) {
            return null;
        }
        Digests.Sum omero = Digests.ofOmero(f.hasher(), f.hash());
        if (omero != null && omero.algo() == remote.algo() && !omero.sameAs(remote)) {
            return "checksum mismatch: iRODS computed " + irodsChecksum + ", OMERO records " + f.hasher() + " "
                + f.hash();
        }
        if (localSha256 != null && remote.algo() == Digests.Algo.SHA256 && !remote.sameAs(localSha256)) {
            return "checksum mismatch: iRODS computed " + irodsChecksum + ", the file here has "
                + Digests.toIrods(localSha256);
        }
        return null;
    }
}

package org.rodsgate.reverse.place;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.FileUpload;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.reverse.OmeroSide;

/**
 * Places the files of OMERO filesets into iRODS as their rule says ({@link PlacementRule.Kind}):
 * <ul>
 * <li>IN_PLACE: each file's link target, "/" + {@code FilesetEntry.clientPath} (or, failing that, the target of the
 *     link in the ManagedRepository), lies under the mount root; the iRODS path is the rest of it (the mount shows
 *     iRODS "/" at the mount root, as {@code watch.mount} says). The object must exist with OMERO's size and a good
 *     replica: "found".</li>
 * <li>MANAGED_ON_MOUNT: the same for ManagedRepository/{@code OriginalFile.path}+{@code name}.</li>
 * <li>COPY: each file from the local ManagedRepository (or, when it cannot be read there, downloaded from OMERO into
 *     the spool directory) to the rule's path template, through {@link ResumableCopy}; only while the rule's time
 *     window is open ({@link Placement.NotYet} otherwise), at most the rule's bytes per second (one
 *     {@link TokenBucket} per cap, shared by every copy of this placement).</li>
 * <li>REGISTER: see {@link Registration}.</li>
 * </ul>
 * Copies and lookups run as the iRODS user the OMERO owner maps to (the gateway's rodsadmin account proxying for
 * that user, so the objects are theirs and iRODS checks their rights); registrations run as the gateway's account.
 * Thread-safe: each call takes its own connection from the pool, holds it for the fileset and gives it back (a
 * connection that failed, or holds an unfinished copy, is discarded, as a kill -9 would leave it).
 */
public final class IrodsPlacement implements Placement {
    /** Knobs that tests turn; {@link #defaults()} for everything else. */
    public record Tuning(int chunkBytes, ZoneId zone, LongSupplier clockMillis) {
        /** 8 MiB chunks ({@link FileUpload#BUFFER}, as {@code rodsgate put}), the system's time zone and clock. */
        public static Tuning defaults() {
            return new Tuning(FileUpload.BUFFER, ZoneId.systemDefault(), System::currentTimeMillis);
        }
    }

    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final Path managedRepository;
    private final Path mountRoot;
    private final OmeroSide omero;
    private final Path spool;
    private final Tuning tuning;
    private final Map<Long, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile FileUpload.Chunks cut;

    /**
     * @param pool              connections to iRODS
     * @param account           the gateway's account (a rodsadmin, to proxy for users and to register)
     * @param managedRepository OMERO's ManagedRepository directory as this host sees it (COPY reads from it;
     *                          MANAGED_ON_MOUNT maps it through the mount; REGISTER hands paths below it to the
     *                          iRODS server, which must see it at the same path), or null
     * @param mountRoot         where the rodsgate mount shows iRODS "/" (IN_PLACE, MANAGED_ON_MOUNT), or null
     * @param omero             for downloads of files the ManagedRepository does not let this host read, or null
     * @param spool             where such downloads are kept while they are copied (null: the JVM's temporary
     *                          directory); each is removed when its copy ends
     */
    public IrodsPlacement(ConnectionPool pool, IrodsAccount account, Path managedRepository, Path mountRoot,
                          OmeroSide omero, Path spool) {
        this(pool, account, managedRepository, mountRoot, omero, spool, Tuning.defaults());
    }

    public IrodsPlacement(ConnectionPool pool, IrodsAccount account, Path managedRepository, Path mountRoot,
                          OmeroSide omero, Path spool, Tuning tuning) {
        this.pool = pool;
        this.account = account;
        this.managedRepository = managedRepository;
        this.mountRoot = mountRoot;
        this.omero = omero;
        this.spool = spool;
        this.tuning = tuning;
    }

    /** Tests: sees every chunk of every copy before it is sent (to cut a copy in the middle). */
    void onChunk(FileUpload.Chunks hook) {
        this.cut = hook;
    }

    @Override
    public List<Placed> place(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException {
        return switch (rule.kind()) {
            case IN_PLACE, MANAGED_ON_MOUNT -> found(rule, fs, irodsUser);
            case COPY -> copy(rule, fs, irodsUser);
            case REGISTER -> new Registration(pool, account, managedRepository, tuning.zone())
                .place(rule, fs, irodsUser);
        };
    }

    @Override
    public List<String> targets(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException {
        if (rule.kind() != PlacementRule.Kind.COPY && rule.kind() != PlacementRule.Kind.REGISTER) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (OmeroOriginalFile f : fs.files()) {
            out.add(PathTemplate.expand(rule.template(), account.zone(), irodsUser, fs, f, tuning.zone()));
        }
        return out;
    }

    /** The account that acts for {@code irodsUser}: the gateway's own, or the gateway proxying for that user. */
    IrodsAccount as(String irodsUser) {
        return actingFor(account, irodsUser);
    }

    /** {@code gateway} itself when it is {@code user} (or no user is named), else {@code gateway} proxying for them. */
    static IrodsAccount actingFor(IrodsAccount gateway, String user) {
        return user == null || user.isEmpty() || user.equals(gateway.clientUser()) ? gateway
            : gateway.proxyFor(user);
    }

    // ------------------------------------------------------------------ IN_PLACE, MANAGED_ON_MOUNT

    private List<Placed> found(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException {
        List<Placed> out = new ArrayList<>();
        try (ConnectionPool.Lease l = pool.acquire(as(irodsUser))) {
            IrodsSession s = l.session();
            for (OmeroOriginalFile f : fs.files()) {
                String path = onMount(rule, fs, f);
                String what = "fileset " + fs.id() + ", file " + f.repoPath() + " (" + rule.kind() + "): " + path;
                ObjStat st = s.statWithReplicaStatus(path);
                if (st == null || st.isCollection()) {
                    throw new IOException(what + " is not a data object in iRODS (or " + as(irodsUser).clientUser()
                        + " may not see it)");
                }
                if (st.replStatus() != 1 && st.replStatus() != -1) {
                    throw new IOException(what + " has no complete replica (status " + st.replStatus() + ")");
                }
                if (st.size() != f.size()) {
                    throw new IOException(what + " has " + st.size() + " bytes but OMERO records " + f.size());
                }
                String cs = s.checksum(path, false);
                Digests.Sum omeroSum = Digests.ofOmero(f.hasher(), f.hash());
                Digests.Sum irodsSum = Digests.ofIrods(cs);
                if (omeroSum != null && irodsSum != null && omeroSum.algo() == irodsSum.algo()
                    && !omeroSum.sameAs(irodsSum)) {
                    throw new IOException(what + ": checksum mismatch: iRODS has " + cs + " but OMERO records "
                        + f.hasher() + " " + f.hash());
                }
                out.add(new Placed(f, path, cs, "found"));
            }
        }
        return out;
    }

    /** The iRODS path of a file that lies on the mount, from its local path. */
    private String onMount(PlacementRule rule, OmeroFileset fs, OmeroOriginalFile f) throws IOException {
        if (mountRoot == null) {
            throw new IOException("fileset " + fs.id() + ": rule " + rule.kind() + " needs the mount root, and none"
                + " is configured");
        }
        List<Path> tried = new ArrayList<>();
        if (rule.kind() == PlacementRule.Kind.IN_PLACE) {
            if (f.clientPath() != null && !f.clientPath().isEmpty()) {
                tried.add(Path.of("/" + f.clientPath()));
            }
            Path link = managedRepository == null ? null : managedRepository.resolve(f.repoPath());
            if (link != null && Files.isSymbolicLink(link)) {
                Path t = Files.readSymbolicLink(link);
                tried.add(link.resolveSibling(t));
            }
        } else if (managedRepository != null) {
            tried.add(managedRepository.resolve(f.repoPath()));
        }
        for (Path p : tried) {
            String irods = irodsPathOf(p);
            if (irods != null) {
                return irods;
            }
        }
        throw new IOException("fileset " + fs.id() + ", file " + f.repoPath() + " (" + rule.kind() + "): "
            + (tried.isEmpty() ? "no local path is known for it" : tried + " is not under the mount root "
            + mountRoot));
    }

    /**
     * The iRODS path of a local path under the mount root, or null for a path elsewhere. Lexically first (no file
     * system call); a path that is not lexically below the root but exists is compared again with its links
     * resolved (a local directory linked into the mount, a mount root reached through a link), so a file on the
     * mount is recognised whichever way its path was written.
     */
    String irodsPathOf(Path local) {
        String lexical = below(local.toAbsolutePath().normalize(), mountRoot.toAbsolutePath().normalize());
        if (lexical != null) {
            return lexical;
        }
        try {
            return below(local.toRealPath(), mountRoot.toRealPath());
        } catch (IOException | SecurityException e) {
            return null; // not there (or not resolvable) here: not a file on the mount as far as this host sees
        }
    }

    private static String below(Path p, Path root) {
        if (!p.startsWith(root) || p.equals(root)) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Path part : root.relativize(p)) {
            b.append('/').append(part);
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ COPY

    private List<Placed> copy(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException {
        TimeWindow window = TimeWindow.of(rule, tuning.zone());
        requireOpen(window, fs);
        Map<String, OmeroOriginalFile> targets = new HashMap<>();
        List<String> paths = new ArrayList<>();
        for (OmeroOriginalFile f : fs.files()) {
            String t = PathTemplate.expand(rule.template(), account.zone(), irodsUser, fs, f, tuning.zone());
            OmeroOriginalFile other = targets.putIfAbsent(t, f);
            if (other != null) {
                throw new IOException("fileset " + fs.id() + ": files " + other.repoPath() + " and " + f.repoPath()
                    + " both map to " + t + " under path template " + rule.template());
            }
            paths.add(t);
        }
        TokenBucket bucket = rule.bytesPerSecond() > 0
            ? buckets.computeIfAbsent(rule.bytesPerSecond(), TokenBucket::system) : null;
        FileUpload.Chunks pace = (b, off, n) -> {
            FileUpload.Chunks c = cut;
            if (c != null) {
                c.next(b, off, n);
            }
            if (bucket != null) {
                bucket.take(n);
            }
        };
        List<Placed> out = new ArrayList<>();
        ConnectionPool.Lease l = pool.acquire(as(irodsUser));
        try {
            ResumableCopy c = new ResumableCopy(l.session(), tuning.chunkBytes(), pace);
            for (int i = 0; i < fs.files().size(); i++) {
                requireOpen(window, fs);
                OmeroOriginalFile f = fs.files().get(i);
                refuseLoop(fs, f);
                try (LocalFile src = LocalFile.of(f, managedRepository, omero, spool)) {
                    out.add(c.copy(fs.id(), f, src.path(), paths.get(i), rule.resource()));
                }
            }
        } catch (IOException | RuntimeException e) {
            l.discard();
            throw e;
        }
        l.close();
        return out;
    }

    /**
     * No loops: a file OMERO holds as a link into the rodsgate mount (imported in place) is an iRODS object
     * already; copying it would put a second copy of iRODS's own bytes back into iRODS.
     */
    private void refuseLoop(OmeroFileset fs, OmeroOriginalFile f) throws IOException {
        if (mountRoot == null || managedRepository == null) {
            return;
        }
        Path link = managedRepository.resolve(f.repoPath());
        if (Files.isSymbolicLink(link)) {
            String irods = irodsPathOf(link.resolveSibling(Files.readSymbolicLink(link)));
            if (irods != null) {
                throw new IOException("fileset " + fs.id() + ", file " + f.repoPath() + ": OMERO links it to " + irods
                    + " on the rodsgate mount (an in-place import): it is in iRODS already; place it with IN_PLACE,"
                    + " not COPY");
            }
        }
    }

    private void requireOpen(TimeWindow w, OmeroFileset fs) throws NotYet {
        long now = tuning.clockMillis().getAsLong();
        if (!w.isOpen(now)) {
            throw new NotYet("fileset " + fs.id() + ": copies start only inside the time window " + w,
                w.nextOpen(now));
        }
    }

    /** Whether {@code p} can be read here (the copy reads it directly rather than downloading it from OMERO). */
    static boolean readable(Path p) {
        return p != null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(p);
    }
}

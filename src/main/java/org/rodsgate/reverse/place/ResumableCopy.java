package org.rodsgate.reverse.place;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;
import org.rodsgate.fs.open.Replacement;
import org.rodsgate.fs.open.WorkNames;
import org.rodsgate.irods.FileUpload;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import org.rodsgate.reverse.OmeroOriginalFile;

/**
 * Copies one OMERO file into iRODS so that nothing incomplete or unverified ever carries the final name: the bytes
 * go to a hidden work object beside the target ({@link WorkNames#part(String, String)}: the same name for the same
 * file and target, so a copy cut by a crash, a kill -9 or a lost connection is continued where iRODS has its bytes),
 * are verified (size; OMERO's own hash, re-computed over the bytes sent, where OMERO's hasher is SHA1-160 or
 * MD5-128; iRODS's checksum, computed by the server after the close, against the local digest of the same
 * algorithm) and are then renamed to the target, without overwriting. A target that exists already is accepted
 * only when it holds the same bytes (a copy finished before a crash), else refused: nothing in iRODS is overwritten.
 */
final class ResumableCopy {
    private static final Logger LOG = Logger.getLogger(ResumableCopy.class.getName());

    private final IrodsSession s;
    private final int chunkBytes;
    private final FileUpload.Chunks pace;
    private final String who;
    private final TargetCollection.Exists exists;
    private final String server;

    /**
     * {@code pace}: sees every chunk before it is sent (the bandwidth cap, tests' cuts); may be null. {@code who}:
     * the iRODS user {@code s} acts as, for errors (e.g. "jdoe (OMERO owner john.doe)"); {@code exists}: looks up
     * collections for such an error as an account that sees them all; {@code server}: the OMERO server as written
     * in AVU omero.server (null: not known here, written by the description).
     */
    ResumableCopy(IrodsSession s, int chunkBytes, FileUpload.Chunks pace, String who, TargetCollection.Exists exists,
                  String server) {
        this.s = s;
        this.server = server;
        this.who = who;
        this.exists = exists;
        this.chunkBytes = chunkBytes;
        this.pace = pace;
    }

    /**
     * Copies {@code local} (OMERO's file {@code f} of fileset {@code filesetId}) to {@code target} on
     * {@code resource} (null: default).
     */
    Placed copy(long filesetId, OmeroOriginalFile f, Path local, String target, String resource) throws IOException {
        String work = WorkNames.part(target, f.id() + "|" + f.size() + "|" + f.hasher() + "|" + f.hash());
        requireOmerosSize(f, local, java.nio.file.Files.size(local), target, work);
        ObjStat existing = s.statWithReplicaStatus(target);
        if (existing != null) {
            try {
                return alreadyThere(filesetId, f, local, target, existing);
            } catch (IrodsException e) {
                if (!e.connectionDead() && s.statOrNull(work) != null) {
                    Replacement.removeQuietly(s, work); // no copy of it will ever be switched in there
                }
                throw e;
            }
        }
        TargetCollection.create(s, Paths.parent(target), who, "copies", exists);
        try {
            return attempt(filesetId, f, local, target, work, resource, true);
        } catch (Resumed e) {
            LOG.warning(e.getMessage() + "; copying " + f.repoPath() + " again from the start");
            Replacement.removeQuietly(s, work);
            return attempt(filesetId, f, local, target, work, resource, false);
        }
    }

    /**
     * A local file of another size than OMERO records (changed or incomplete) is refused, and the work object an
     * earlier attempt left for it removed: bytes of a file that no longer is OMERO's are not kept for a resume.
     */
    private void requireOmerosSize(OmeroOriginalFile f, Path local, long size, String target, String work)
        throws IOException {
        if (size != f.size()) {
            if (s.statOrNull(work) != null) {
                Replacement.removeQuietly(s, work);
            }
            throw new IOException("copy of " + f.repoPath() + " to " + target + ": OMERO records " + f.size()
                + " bytes but " + local + " has " + size + " (changed or incomplete): refused");
        }
    }

    /** A continued copy whose result did not verify: its earlier bytes are not trusted, the copy starts over. */
    private static final class Resumed extends IOException {
        Resumed(String m) {
            super(m);
        }
    }

    private Placed attempt(long filesetId, OmeroOriginalFile f, Path local, String target, String work,
                           String resource, boolean mayResume) throws IOException {
        Digests.Sum omero = Digests.ofOmero(f.hasher(), f.hash());
        Digests d = new Digests(Digests.Algo.SHA256, omero == null ? null : omero.algo());
        long from = 0;
        try (FileChannel in = FileChannel.open(local, StandardOpenOption.READ)) {
            requireOmerosSize(f, local, in.size(), target, work);
            IrodsSession.OpenFile fd = null;
            ObjStat ws = mayResume ? s.statOrNull(work) : null;
            if (ws != null && !ws.isCollection()) {
                fd = reopen(work);
            }
            if (fd != null) {
                long have = s.seek(fd.fd(), 0, IrodsSession.SEEK_END);
                if (have > 0 && have <= f.size()) {
                    hashPrefix(in, have, d);
                    from = have;
                    LOG.info("continuing the copy of " + f.repoPath() + " to " + target + " at byte " + have);
                } else if (have > f.size()) {
                    s.close(fd.fd());
                    fd = null;
                }
            }
            if (fd == null) {
                fd = s.create(work, resource);
            }
            try {
                FileUpload.send(s, fd.fd(), in, from, new byte[chunkBytes], (b, off, n) -> {
                    if (pace != null) {
                        pace.next(b, off, n);
                    }
                    d.update(b, off, n);
                });
                s.close(fd.fd());
            } catch (IrodsException e) {
                throw e.in("copy of " + local + " to", work + " (the work object of " + target + ")");
            }
        }
        verify(f, local, target, work, d, omero, from > 0);
        // what it is, on the work object before its rename (AVUs follow a rename): from the moment the final name
        // appears, any rodsgate watcher — also one with another ledger — sees it is OMERO's and does not import it
        IrodsAvuDescription.identify(s, work, filesetId, server);
        try {
            s.rename(work, target, false);
        } catch (IrodsException e) {
            ObjStat there = e.connectionDead() ? null : s.statWithReplicaStatus(target);
            if (there == null) {
                throw e;
            }
            // another gateway switched its copy in first: this one is not needed; that one is checked as any
            // existing target is (the same bytes: found; anything else: refused, never overwritten)
            Replacement.removeQuietly(s, work);
            return alreadyThere(filesetId, f, local, target, there);
        }
        return new Placed(f, target, s.checksum(target, false), "copied");
    }

    /**
     * The work object a cut copy left, opened for writing without truncation; null when iRODS will not open it so
     * (e.g. a server that refuses to write into a stale replica): then it is removed and the copy starts afresh. A
     * work object still locked by a writer stays (its removal fails too) and the fresh create then fails: the
     * caller tries again later.
     */
    private IrodsSession.OpenFile reopen(String work) throws IrodsException {
        try {
            return s.open(work, IrodsSession.O_WRONLY);
        } catch (IrodsException e) {
            if (e.connectionDead()) {
                throw e;
            }
            LOG.info("cannot continue " + work + " (" + e.getMessage() + "); starting that copy afresh");
            Replacement.removeQuietly(s, work);
            return null;
        }
    }

    private static void hashPrefix(FileChannel in, long n, Digests d) throws IOException {
        byte[] buf = new byte[1 << 20];
        long pos = 0;
        while (pos < n) {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, n - pos));
            int r = in.read(bb, pos);
            if (r < 0) {
                throw new IOException("the local file ended at byte " + pos + " while its first " + n
                    + " bytes were read again");
            }
            d.update(buf, 0, r);
            pos += r;
        }
    }

    /** Size, OMERO's hash and iRODS's checksum of the work object; a failure removes it and names both sides. */
    private void verify(OmeroOriginalFile f, Path local, String target, String work, Digests d, Digests.Sum omero,
                        boolean resumed) throws IOException {
        String what = "copy of " + f.repoPath() + " to " + target;
        ObjStat st = s.stat(work);
        if (st.size() != f.size()) {
            refuse(work, resumed, what + ": iRODS holds " + st.size() + " bytes of " + f.size()
                + " after the close: refused, nothing switched in");
        }
        if (omero != null && !omero.sameAs(d.sum(omero.algo()))) {
            refuse(work, false, what + ": checksum mismatch: OMERO records " + f.hasher() + " " + f.hash()
                + " but the bytes read from " + local + " have " + d.sum(omero.algo()).hex()
                + ": refused, nothing switched in");
        }
        String cs = s.checksum(work, true);
        Digests.Sum remote = Digests.ofIrods(cs);
        if (remote == null) {
            refuse(work, false, what + ": iRODS answered checksum '" + cs + "', whose scheme rodsgate cannot"
                + " compute: refused, nothing switched in");
        }
        Digests.Sum mine = d.has(remote.algo()) ? d.sum(remote.algo()) : Digests.ofFile(local, remote.algo());
        if (!remote.sameAs(mine)) {
            refuse(work, resumed, what + ": checksum mismatch: iRODS computed " + cs + " for the bytes it holds but"
                + " the local file has " + Digests.toIrods(mine) + ": refused, nothing switched in");
        }
    }

    private void refuse(String work, boolean resumed, String why) throws IOException {
        if (resumed) {
            throw new Resumed(why);
        }
        Replacement.removeQuietly(s, work);
        throw new IrodsException(org.rodsgate.irods.ErrorCode.USER_CHKSUM_MISMATCH.code, why);
    }

    /**
     * The target exists: a copy finished before (same size and bytes, not described as another fileset's) is taken
     * as it is; anything else refused.
     */
    private Placed alreadyThere(long filesetId, OmeroOriginalFile f, Path local, String target, ObjStat st)
        throws IOException {
        String what = "copy of " + f.repoPath() + " to " + target;
        if (st.isCollection()) {
            throw new IOException(what + ": a collection has that name: refused");
        }
        IrodsAvuDescription.refuseOtherFileset(s, target, filesetId, what);
        if (st.size() == f.size() && st.replStatus() == 1) {
            String cs = s.checksum(target, false);
            Digests.Sum remote = Digests.ofIrods(cs);
            if (remote != null && remote.sameAs(Digests.ofFile(local, remote.algo()))) {
                return new Placed(f, target, cs, "found");
            }
        }
        throw new IrodsException(org.rodsgate.irods.ErrorCode.OVERWRITE_WITHOUT_FORCE_FLAG.code, what
            + ": iRODS already has a different object there (" + st.size() + " bytes, replica status "
            + st.replStatus() + "): refused, it is not overwritten");
    }
}

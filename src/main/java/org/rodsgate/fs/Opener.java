package org.rodsgate.fs;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.fs.open.Consistency;
import org.rodsgate.fs.open.Replacement;
import org.rodsgate.fs.open.WorkNames;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;

/**
 * The open-file lifecycle at the namespace: open and create with close-to-open revalidation, the last close, and
 * rename or unlink of files that are open. What happens to the bytes in between is {@link OpenFile}'s and
 * {@link Writer}'s; the rules it relies on are in {@code fs/open}. SEMANTICS.md, "Consistency model", is the
 * contract. Thread-safe.
 */
final class Opener {
    private static final Logger LOG = Logger.getLogger(Opener.class.getName());

    /** The attributes of a path through the metadata cache (the one loader every lookup of the mount uses). */
    interface Lookup {
        Optional<ObjStat> stat(IrodsFs.Target t) throws IrodsException;
    }

    /** The caller's permission to write an existing object, asked of iRODS (ACLs of the caller and its groups). */
    interface WriteCheck {
        boolean canWrite(IrodsFs.Target t, ObjStat s) throws IrodsException;
    }

    private final ConnectionPool pool;
    private final MetadataCache cache;
    private final OpenFiles open;
    private final Consistency consistency;
    private final Lookup lookup;
    private final WriteCheck writeCheck;

    Opener(ConnectionPool pool, MetadataCache cache, OpenFiles open, Consistency consistency, Lookup lookup,
           WriteCheck writeCheck) {
        this.lookup = lookup;
        this.pool = pool;
        this.cache = cache;
        this.open = open;
        this.consistency = consistency;
        this.writeCheck = writeCheck;
    }

    private Optional<ObjStat> cached(IrodsFs.Target t) throws IrodsException {
        return lookup.stat(t);
    }

    /** The object's state for a decision at open: from iRODS (close-to-open; one round trip), cached on the way. */
    private Optional<ObjStat> current(IrodsFs.Target t) throws IrodsException {
        if (consistency.revalidate()) {
            cache.invalidate(t.irodsPath());
        }
        return cached(t);
    }

    /**
     * Opens for reading: the iRODS descriptor is opened now, as the caller, and its reply gives the object's
     * current size, data id and replica status — the revalidation costs no extra round trip. ENOENT, EISDIR,
     * EACCES as iRODS says; EIO for an object with no complete replica.
     */
    long openForReading(IrodsFs.Target t, String shown, int flags) throws FsException, IrodsException {
        long cachedSize = 0;
        if (!consistency.revalidate()) {
            ObjStat s = cached(t).orElseThrow(() -> new FsException(Errno.ENOENT, "no such file: " + t.irodsPath()));
            if (s.isCollection()) {
                throw new FsException(Errno.EISDIR, shown + " is a directory");
            }
            cachedSize = s.size();
        }
        OpenFile f = open.acquire(t.account(), t.irodsPath(), cachedSize);
        OpenFiles.Handle h = new OpenFiles.Handle(f, flags, t.readOnly());
        try {
            if (!f.hasWriter()) {
                h.stream = new ReadStream(pool, t.account(), f.path());
                IrodsSession.OpenFile o = openDescriptor(t, shown, h.stream);
                if (o.replStatus() >= 0 && o.replStatus() != 1) {
                    throw new FsException(Errno.EIO, shown + " has no complete replica in iRODS (replica status "
                        + o.replStatus() + ": an upload did not finish, or one is in progress)");
                }
                f.revalidated(o.size());
                h.bypassKernelCache = cache.invalidateIfChanged(t.user(), t.irodsPath(), o.dataId(), o.size());
            }
        } catch (FsException | IrodsException | RuntimeException e) {
            close(h);
            throw e;
        }
        return open.register(h);
    }

    private IrodsSession.OpenFile openDescriptor(IrodsFs.Target t, String shown, ReadStream stream)
        throws FsException, IrodsException {
        try {
            return stream.openNow();
        } catch (IrodsException e) {
            if (e.isNotFound() || e.errno() == Errno.EACCES.value) { // only on failure: say what is there
                Optional<ObjStat> s = current(t);
                if (s.isEmpty()) {
                    throw new FsException(Errno.ENOENT, "no such file: " + t.irodsPath());
                }
                if (s.get().isCollection()) {
                    throw new FsException(Errno.EISDIR, shown + " is a directory");
                }
            }
            throw e;
        }
    }

    /**
     * Opens for writing: one OBJ_STAT (close-to-open) and the permission to write, checked now (EACCES at open);
     * O_TRUNC of a non-empty object starts a staged, empty new version.
     */
    long openForWriting(IrodsFs.Target t, String shown, int flags) throws FsException, IrodsException {
        ObjStat s = current(t).orElseThrow(() -> new FsException(Errno.ENOENT, "no such file: " + t.irodsPath()));
        if (s.isCollection()) {
            throw new FsException(Errno.EISDIR, shown + " is a directory");
        }
        requireWrite(t, s, shown);
        if ((flags & IrodsFs.O_TRUNC) == 0) {
            requireComplete(s, shown);
        }
        OpenFile f = open.acquire(t.account(), t.irodsPath(), s.size());
        f.revalidated(s.size());
        OpenFiles.Handle h = new OpenFiles.Handle(f, flags, t.readOnly());
        try {
            if ((flags & IrodsFs.O_TRUNC) != 0) {
                f.truncateNow(s);
                cache.invalidate(t.irodsPath());
            }
        } catch (IrodsException | RuntimeException e) {
            close(h);
            throw e;
        }
        return open.register(h);
    }

    /** EACCES at open for a caller that may read but not write: owners may; others need a write ACL (or group's). */
    private void requireWrite(IrodsFs.Target t, ObjStat s, String shown) throws FsException, IrodsException {
        if (!s.owner().equals(t.user()) && !writeCheck.canWrite(t, s)) {
            throw new FsException(Errno.EACCES, t.user() + " may not write " + shown);
        }
    }

    /**
     * EIO for writing into an object with no complete replica (stale: an upload that did not finish) without
     * replacing it: iRODS would finalize the written replica as good, and the incomplete remnant plus the new
     * bytes would look complete. Replacing it (O_TRUNC) is allowed. Status 2 (being written) is left to iRODS's lock.
     */
    private static void requireComplete(ObjStat s, String shown) throws FsException {
        if (s.replStatus() == 0) {
            throw new FsException(Errno.EIO, shown + " has no complete replica in iRODS (replica status 0: an upload"
                + " did not finish); it can be replaced (O_TRUNC) or removed, not written into");
        }
    }

    /**
     * creat(2) / open(O_CREAT). iRODS decides whether the name is taken: with O_EXCL the object is made under a
     * work name and renamed to the name without overwriting (EEXIST if it exists, whoever created it); without
     * O_EXCL an existing object is opened as it is — truncated only with O_TRUNC, and then as a staged new version.
     */
    long create(IrodsFs.Target t, String shown, int flags) throws FsException, IrodsException {
        if ((flags & IrodsFs.O_EXCL) != 0) {
            createExclusive(t, shown);
            OpenFile f = open.acquire(t.account(), t.irodsPath(), 0);
            f.revalidated(0);
            return open.register(new OpenFiles.Handle(f, flags, false));
        }
        Optional<ObjStat> s = current(t);
        if (s.isPresent() && s.get().isCollection()) {
            throw new FsException(Errno.EISDIR, shown + " is a directory");
        }
        if (s.isPresent()) {
            requireWrite(t, s.get(), shown);
            if ((flags & IrodsFs.O_TRUNC) == 0) {
                requireComplete(s.get(), shown);
            }
        }
        OpenFile f = open.acquire(t.account(), t.irodsPath(), s.map(ObjStat::size).orElse(0L));
        s.ifPresent(x -> f.revalidated(x.size()));
        OpenFiles.Handle h = new OpenFiles.Handle(f, flags, false);
        try {
            if (s.isEmpty() || (flags & IrodsFs.O_TRUNC) != 0) {
                f.truncateNow(s.orElse(null));
            }
        } catch (IrodsException | RuntimeException e) {
            close(h);
            throw e;
        } finally {
            cache.invalidate(t.irodsPath());
        }
        return open.register(h);
    }

    private void createExclusive(IrodsFs.Target t, String shown) throws FsException, IrodsException {
        String part = WorkNames.part(t.irodsPath());
        try {
            pool.run(t.account(), false, x -> {
                x.close(x.create(part).fd());
                try {
                    x.rename(part, t.irodsPath(), false);
                } catch (IrodsException e) {
                    Replacement.removeQuietly(x, part);
                    throw e;
                }
                return null;
            });
        } catch (IrodsException e) {
            if (e.errno() == Errno.EEXIST.value) {
                throw new FsException(Errno.EEXIST, shown + " exists (O_EXCL, decided by iRODS)");
            }
            throw e;
        } finally {
            cache.invalidate(t.irodsPath());
        }
    }

    /**
     * The last reference to a handle went: its read-ahead stops; at the file's last close, what was not flushed
     * (and not failed already) is uploaded, unsaved data that cannot be is kept, and an unlinked file's hidden
     * object is removed.
     */
    void close(OpenFiles.Handle h) {
        dropReadAhead(h);
        OpenFile f = h.file;
        if (!open.release(f)) {
            return;
        }
        if (f.needsUpload()) {
            try {
                f.flush();
            } catch (IOException e) {
                LOG.warning("writing " + f.path() + " at release failed: " + e.getMessage());
            }
            cache.invalidate(f.path());
        }
        f.close();
        if (f.unlinked()) {
            try {
                pool.run(f.account, false, x -> {
                    Replacement.removeQuietly(x, f.path());
                    return null;
                });
            } catch (IrodsException e) {
                LOG.info("could not remove " + f.path() + ": " + e.getMessage());
            }
        }
        open.forget(f);
    }

    static void dropReadAhead(OpenFiles.Handle h) {
        synchronized (h) {
            if (h.prefetcher != null) {
                h.prefetcher.close();
                h.prefetcher = null;
            }
            if (h.stream != null) {
                h.stream.close();
                h.stream = null;
            }
        }
    }

    /**
     * unlink(2) of a file this mount has open: it is renamed to a hidden work name (its name is gone at once; its
     * handles keep working) and removed at its last close. Returns false when the file is not open here.
     */
    boolean unlinkOpen(IrodsFs.Target t) throws IrodsException {
        OpenFile f = open.find(t.user(), t.irodsPath());
        if (f == null) {
            return false;
        }
        String gone = WorkNames.gone(t.irodsPath());
        f.settle();
        try {
            pool.run(t.account(), false, s -> {
                s.rename(t.irodsPath(), gone, false);
                return null;
            });
        } catch (IrodsException e) {
            if (e.errno() != Errno.EACCES.value) {
                throw e;
            }
            // iRODS renames only for owners; one who may delete but not own it unlinks as on NFS without
            // silly rename: the name goes, and so does the data behind the open handles
            LOG.info("unlink of open " + t.irodsPath() + " by a non-owner: removed at once (" + e.getMessage() + ")");
            return false;
        }
        open.renamed(t.user(), t.irodsPath(), gone);
        f.unlinkedTo(gone);
        cache.invalidate(t.irodsPath());
        return true;
    }

    /** Before a rename: files open at or under the source hold no iRODS lock (in-place streams are closed). */
    void settleUnder(IrodsFs.Target t) throws IrodsException {
        for (OpenFile f : open.under(t.user(), t.irodsPath())) {
            f.settle();
        }
    }
}

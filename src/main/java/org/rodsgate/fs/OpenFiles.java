package org.rodsgate.fs;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rodsgate.fs.open.Consistency;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.Paths;

/** Open handles, and the shared {@link OpenFile} per (iRODS user, path) they point at. Thread-safe. */
final class OpenFiles {
    /** One open() of a file: its shared state, its flags, and its own read-ahead. */
    static final class Handle {
        final OpenFile file;
        final int flags;
        final boolean readOnlyMapping;
        ReadStream stream;
        Prefetcher prefetcher;
        /** The open found the object changed behind a cached size: the kernel's page cache and size are bypassed. */
        boolean bypassKernelCache;

        Handle(OpenFile file, int flags, boolean readOnlyMapping) {
            this.file = file;
            this.flags = flags;
            this.readOnlyMapping = readOnlyMapping;
        }
    }

    private record Key(String user, String path) {}

    private final Map<Key, OpenFile> files = new HashMap<>();
    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicLong nextFh = new AtomicLong(1);
    private final ConnectionPool pool;
    private final Path spillDir;
    private final Consistency consistency;

    OpenFiles(ConnectionPool pool, Path spillDir, Consistency consistency) {
        this.pool = pool;
        this.spillDir = spillDir;
        this.consistency = consistency;
    }

    synchronized OpenFile acquire(IrodsAccount account, String path, long size) {
        Key k = new Key(account.clientUser(), path);
        OpenFile f = files.get(k);
        if (f == null || f.closing()) { // a file still finishing its last close is not handed out again
            f = new OpenFile(pool, account, path, spillDir, size, consistency);
            files.put(k, f);
        }
        f.retain();
        return f;
    }

    synchronized OpenFile find(String user, String path) {
        return files.get(new Key(user, path));
    }

    long register(Handle h) {
        long fh = nextFh.getAndIncrement();
        handles.put(fh, h);
        return fh;
    }

    Handle handle(long fh) throws FsException {
        Handle h = handles.get(fh);
        if (h == null) {
            throw new FsException(org.rodsgate.irods.Errno.EBADF, "no open file handle " + fh);
        }
        return h;
    }

    Handle remove(long fh) {
        return handles.remove(fh);
    }

    /**
     * Drops a reference; returns true when it was the last. The file stays findable (attributes show what it holds)
     * until {@link #forget} — after its last upload, so no lookup in between sees the object's previous version.
     */
    synchronized boolean release(OpenFile f) {
        return f.releaseRef();
    }

    /** Forgets a file whose last close is done (unless a newer open of its path replaced it already). */
    synchronized void forget(OpenFile f) {
        files.values().removeIf(v -> v == f);
    }

    /** The open files of {@code user} at or under {@code path} (a file, or a directory being renamed). */
    synchronized java.util.List<OpenFile> under(String user, String path) {
        java.util.List<OpenFile> out = new java.util.ArrayList<>();
        files.forEach((k, f) -> {
            if (k.user().equals(user) && Paths.isUnder(k.path(), path)) {
                out.add(f);
            }
        });
        return out;
    }

    /** Follows a rename: open files at or under {@code from} now live under {@code to}. */
    synchronized void renamed(String user, String from, String to) {
        Map<Key, OpenFile> moved = new HashMap<>();
        files.entrySet().removeIf(e -> {
            if (e.getKey().user().equals(user) && Paths.isUnder(e.getKey().path(), from)) {
                String np = to + e.getKey().path().substring(from.length());
                e.getValue().renamed(np);
                moved.put(new Key(user, np), e.getValue());
                return true;
            }
            return false;
        });
        files.putAll(moved);
    }
}

package org.rodsgate.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.rodsgate.fs.open.Baseline;
import org.rodsgate.fs.open.Consistency;
import org.rodsgate.fs.open.WriteFailure;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.ObjStat;

/**
 * The one shared state of a data object opened through the mount by one iRODS user, however many handles point
 * at it: its writer (if it was written to), the first write failure (kept until a flush reports it), and whether
 * it was unlinked while open. A write failure is never dropped: it is thrown by the write, and again by the next
 * flush, fsync or close. Unsaved data is never deleted silently: a failed upload keeps the spill file (the error
 * and the log name it). Thread-safe.
 */
final class OpenFile {
    private static final Logger LOG = Logger.getLogger(OpenFile.class.getName());
    private final ConnectionPool pool;
    final IrodsAccount account;
    private final Path spillDir;
    private final Consistency consistency;
    private volatile String path;
    private int refs;
    private Writer writer;
    private IOException failure;
    private boolean flushFailed;   // a flush failed and said so; release does not try again behind the user's back
    private long knownSize;
    private volatile boolean unlinked;

    OpenFile(ConnectionPool pool, IrodsAccount account, String path, Path spillDir, long size,
             Consistency consistency) {
        this.pool = pool;
        this.account = account;
        this.path = path;
        this.spillDir = spillDir;
        this.knownSize = size;
        this.consistency = consistency;
    }

    String path() {
        return path;
    }

    boolean unlinked() {
        return unlinked;
    }

    synchronized void retain() {
        refs++;
    }

    /** Drops one reference; true when it was the last. */
    synchronized boolean releaseRef() {
        return --refs == 0;
    }

    /** Its last handle was released: it is being closed (its last upload may still run) and takes no new handle. */
    synchronized boolean closing() {
        return refs <= 0;
    }

    synchronized boolean hasWriter() {
        return writer != null;
    }

    /** The size as written so far, while there are unflushed writes; else -1. */
    synchronized long dirtySize() {
        return writer == null ? -1 : writer.size();
    }

    /**
     * While its last close runs (no handle left), the size it holds or just stored: a lookup racing that close may
     * have read the object's previous version. Else -1.
     */
    synchronized long closingSize() {
        return refs <= 0 ? (writer != null ? writer.size() : knownSize) : -1;
    }

    /** What an open just learned from iRODS (close-to-open): the object's current size, unless writes are pending. */
    synchronized void revalidated(long size) {
        if (writer == null && size >= 0) {
            knownSize = size;
        }
    }

    /**
     * O_TRUNC at open, or create: the object becomes empty. A new object ({@code existing} null) or an empty one
     * is written in place; an existing one gets a new, empty version staged beside it and switched in at flush, so
     * its previous contents stay readable until the new ones are safe.
     */
    synchronized void truncateNow(ObjStat existing) throws IrodsException {
        discardWriter();
        if (existing != null && existing.size() > 0 && consistency.safeReplace()) {
            writer = Writer.replacingOrInPlace(pool, account, path, spillDir,
                Baseline.of(existing, () -> pool.run(account, true, s -> s.checksum(path))));
        } else {
            writer = Writer.truncating(pool, account, path, spillDir);
        }
        knownSize = 0;
    }

    /** Writes {@code len} bytes at {@code offset}, or with {@code append} at the end of the object as it is now. */
    synchronized void write(long offset, Source data, int len, boolean append) throws IOException {
        try {
            if (writer == null) {
                writer = startWriter(offset, append);
            }
            writer.write(append ? writer.end() : offset, data, len);
        } catch (IOException e) {
            remember(e);
            throw e;
        }
    }

    /**
     * The first write decides the writer from iRODS's current state, never from a cached size: an O_APPEND write
     * opens a descriptor at the end iRODS reports (under iRODS's lock, so it is the end at the time of the write);
     * any other write asks for the object's state — at its end it streams in place, elsewhere it moves to a spill
     * copy of that version (the baseline its upload must still find).
     */
    private Writer startWriter(long offset, boolean append) throws IOException {
        if (append) {
            return Writer.appending(pool, account, path, spillDir, consistency.revalidate() ? -1 : knownSize);
        }
        if (!consistency.revalidate()) {
            return offset == knownSize ? Writer.appending(pool, account, path, spillDir, knownSize) : spill(null);
        }
        ObjStat now = pool.run(account, true, s -> s.stat(path));
        return offset == now.size() ? Writer.appending(pool, account, path, spillDir, now.size()) : spill(now);
    }

    /** A spill copy of version {@code now} (null: whatever iRODS has now). */
    private Writer spill(ObjStat now) throws IOException {
        ObjStat v = now != null ? now : pool.run(account, true, s -> s.stat(path));
        try (ReadStream rs = new ReadStream(pool, account, path)) {
            return Writer.spilling(pool, account, path, spillDir, v.size(), rs,
                consistency.safeReplace() ? Baseline.of(v, () -> pool.run(account, true, s -> s.checksum(path)))
                    : null);
        }
    }

    synchronized int readThroughWriter(long offset, byte[] dst, int off, int len) throws IOException {
        return writer.read(offset, dst, off, len);
    }

    synchronized void truncate(long size) throws IOException {
        try {
            if (writer == null) {
                ObjStat now = pool.run(account, true, s -> s.stat(path));
                if (size == now.size()) {
                    return;
                }
                if (size == 0) {
                    truncateNow(now);
                    return;
                }
                writer = spill(now);
            }
            writer.truncate(size);
        } catch (IOException e) {
            remember(e);
            throw e;
        }
    }

    /** Makes iRODS hold what was written; throws the first failure since the last flush. */
    synchronized void flush() throws IOException {
        if (failure != null) {
            IOException f = failure;
            failure = null;
            discardWriter();
            throw f;
        }
        if (writer == null || unlinked) {
            return; // an unlinked file's data lives until the last close, then goes with it
        }
        try {
            writer.finish();
            knownSize = writer.size();
            flushFailed = false;
        } catch (IOException e) {
            flushFailed = true;
            boolean kept = writer.spillFile() != null && !(e instanceof WriteFailure w && w.isConflict());
            if (!kept) {
                discardWriter();
            }
            throw e;
        }
        discardWriter();
    }

    /**
     * A replacement of a non-empty object (open with O_TRUNC) to which nothing has been written yet. Shells and dd
     * open with O_TRUNC, dup2 the descriptor and close the original before writing: switching the empty version in at
     * that close would destroy the previous contents before the new ones exist. Such a flush waits: the switch
     * happens at the flush that follows writes, or at the last close (an empty file, if nothing was written).
     */
    synchronized boolean emptyReplacementPending() {
        return failure == null && writer != null && !unlinked && writer.staged() && writer.size() == 0
            && writer.spillFile() == null;
    }

    /** Whether the last close should still try to upload (nothing failed that the user was already told of). */
    synchronized boolean needsUpload() {
        return writer != null && !unlinked && !flushFailed;
    }

    /** Before a rename or unlink in iRODS: an in-place stream is closed, so that iRODS holds no lock on the object. */
    synchronized void settle() throws IrodsException {
        if (writer != null) {
            writer.settle();
        }
    }

    /** The object now lives at {@code to} (renamed through this mount); unflushed data follows it there. */
    synchronized void renamed(String to) {
        path = to;
        if (writer != null) {
            writer.retarget(to);
        }
    }

    /** Unlinked while open: the object was moved to the hidden {@code gone} name, removed at the last close. */
    synchronized void unlinkedTo(String gone) {
        renamed(gone);
        unlinked = true;
    }

    private void remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void discardWriter() {
        if (writer != null) {
            writer.discard();
            writer = null;
        }
    }

    /** After the last release: unsaved data that could not be uploaded stays in its spill file, which is logged. */
    synchronized void close() {
        if (writer == null) {
            return;
        }
        if (!unlinked && writer.spillFile() != null) {
            Path kept = writer.abandon();
            LOG.severe("changes to " + path + " could not be uploaded; they are kept in " + kept);
        } else {
            writer.discard();
        }
        writer = null;
    }
}

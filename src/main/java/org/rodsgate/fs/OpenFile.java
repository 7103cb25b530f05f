package org.rodsgate.fs;

import java.io.IOException;
import java.nio.file.Path;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;

/**
 * The one shared state of a data object opened through the mount by one iRODS user, however many handles point
 * at it: its writer (if it was written to) and the first write failure, kept until a flush reports it. A write
 * failure is never dropped: it is thrown by the write, and again by the next flush, fsync or close. Thread-safe.
 */
final class OpenFile {
    private final ConnectionPool pool;
    final IrodsAccount account;
    private final Path spillDir;
    private volatile String path;
    private int refs;
    private Writer writer;
    private IOException failure;
    private long knownSize;

    OpenFile(ConnectionPool pool, IrodsAccount account, String path, Path spillDir, long size) {
        this.pool = pool;
        this.account = account;
        this.path = path;
        this.spillDir = spillDir;
        this.knownSize = size;
    }

    String path() {
        return path;
    }

    void renamed(String to) {
        path = to;
    }

    synchronized void retain() {
        refs++;
    }

    /** Drops one reference; true when it was the last. */
    synchronized boolean releaseRef() {
        return --refs == 0;
    }

    synchronized boolean hasWriter() {
        return writer != null;
    }

    /** The size as written so far, while there are unflushed writes; else -1. */
    synchronized long dirtySize() {
        return writer == null ? -1 : writer.size();
    }

    /** O_TRUNC at open, or create: the object is (re)created empty now, which also checks the permission. */
    synchronized void truncateNow() throws IrodsException {
        discardWriter();
        writer = Writer.truncating(pool, account, path, spillDir);
        knownSize = 0;
    }

    synchronized void write(long offset, Source data, int len) throws IOException {
        try {
            if (writer == null) {
                writer = startWriter(offset);
            }
            writer.write(offset, data, len);
        } catch (IOException e) {
            remember(e);
            throw e;
        }
    }

    private Writer startWriter(long offset) throws IOException {
        if (offset == 0 && knownSize == 0) {
            return Writer.truncating(pool, account, path, spillDir);
        }
        if (offset == knownSize) {
            return Writer.appending(pool, account, path, spillDir, knownSize);
        }
        try (ReadStream rs = new ReadStream(pool, account, path)) {
            return Writer.spilling(pool, account, path, spillDir, knownSize, rs);
        }
    }

    synchronized int readThroughWriter(long offset, byte[] dst, int off, int len) throws IOException {
        return writer.read(offset, dst, off, len);
    }

    synchronized void truncate(long size) throws IOException {
        try {
            if (writer == null) {
                if (size == knownSize) {
                    return;
                }
                if (size == 0) {
                    truncateNow();
                    return;
                }
                try (ReadStream rs = new ReadStream(pool, account, path)) {
                    writer = Writer.spilling(pool, account, path, spillDir, knownSize, rs);
                }
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
        if (writer == null) {
            return;
        }
        try {
            writer.finish();
            knownSize = writer.size();
        } catch (IOException e) {
            discardWriter();
            throw e;
        }
        discardWriter();
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

    synchronized void close() {
        discardWriter();
    }
}

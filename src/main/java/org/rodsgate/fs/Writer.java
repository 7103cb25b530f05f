package org.rodsgate.fs;

import org.rodsgate.config.SecretFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;

/**
 * The write side of one open file. While writes arrive in order it <b>streams</b>: data is gathered into
 * {@value #CHUNK}-byte chunks and written to an iRODS descriptor; if that connection dies, it reconnects, reopens
 * without truncating, seeks to the last acknowledged byte and resends the chunk it still holds. A write anywhere
 * else switches it to a local <b>spill</b> file (the object's bytes plus the changes), uploaded whole at
 * flush. Either way {@link #finish()} makes iRODS hold exactly what was written, or throws. Not thread-safe: the
 * owning {@link OpenFile} serialises calls.
 */
final class Writer {
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());
    static final int CHUNK = 8 << 20;
    private static final int ATTEMPTS = 4;

    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final String path;
    private final Path spillDir;

    // streaming
    private ConnectionPool.Lease lease;
    private int fd = -1;
    private long acked;          // bytes up to here are in iRODS
    private byte[] chunk;
    private int chunkLen;
    // spilling
    private FileChannel spill;
    private Path spillFile;
    private long size;           // logical size of the file as written

    private Writer(ConnectionPool pool, IrodsAccount account, String path, Path spillDir) {
        this.pool = pool;
        this.account = account;
        this.path = path;
        this.spillDir = spillDir;
    }

    /** Starts streaming into a truncated (or new) object. */
    static Writer truncating(ConnectionPool pool, IrodsAccount account, String path, Path spillDir)
        throws IrodsException {
        Writer w = new Writer(pool, account, path, spillDir);
        w.openDescriptor(true, 0);
        return w;
    }

    /** Starts streaming at the end of an existing object of {@code size} bytes (appending). */
    static Writer appending(ConnectionPool pool, IrodsAccount account, String path, Path spillDir, long size)
        throws IrodsException {
        Writer w = new Writer(pool, account, path, spillDir);
        w.openDescriptor(false, size);
        w.size = size;
        return w;
    }

    /** Starts with a spill copy of the object's current {@code size} bytes (for writes in the middle). */
    static Writer spilling(ConnectionPool pool, IrodsAccount account, String path, Path spillDir, long size,
                           ReadStream source) throws IOException {
        Writer w = new Writer(pool, account, path, spillDir);
        w.startSpill(source, size);
        return w;
    }

    private void openDescriptor(boolean truncate, long at) throws IrodsException {
        ConnectionPool.Lease l = pool.acquire(account);
        try {
            int flags = IrodsSession.O_RDWR | (truncate ? IrodsSession.O_CREAT | IrodsSession.O_TRUNC : 0);
            fd = l.session().open(path, flags).fd();
            if (at > 0) {
                l.session().seek(fd, at, IrodsSession.SEEK_SET);
            }
            lease = l;
            acked = at;
        } catch (IrodsException e) {
            l.close();
            throw e;
        }
    }

    long size() {
        return size;
    }

    /** Where the next in-order byte goes while streaming. */
    long streamEnd() {
        return acked + chunkLen;
    }

    void write(long offset, byte[] data, int off, int len) throws IOException {
        write(offset, Source.of(data, off), len);
    }

    void write(long offset, Source data, int len) throws IOException {
        if (spill == null && offset == streamEnd()) {
            if (chunk == null) {
                chunk = new byte[CHUNK];
            }
            int done = 0;
            while (done < len) {
                int n = Math.min(len - done, CHUNK - chunkLen);
                data.get(done, chunk, chunkLen, n);
                chunkLen += n;
                done += n;
                if (chunkLen == CHUNK) {
                    sendChunk();
                }
            }
            size = Math.max(size, offset + len);
            return;
        }
        if (spill == null) {
            toSpill();
        }
        byte[] copy = new byte[len];
        data.get(0, copy, 0, len);
        ByteBuffer bb = ByteBuffer.wrap(copy);
        long at = offset;
        while (bb.hasRemaining()) {
            at += spill.write(bb, at);
        }
        size = Math.max(size, offset + len);
    }

    void truncate(long newSize) throws IOException {
        if (spill == null && newSize == streamEnd()) {
            return;
        }
        if (spill == null) {
            toSpill();
        }
        spill.truncate(newSize);
        if (newSize > spill.size()) {
            spill.write(ByteBuffer.allocate(1), newSize - 1);
        }
        size = newSize;
    }

    /** Reads back what was written (reads of a file open for writing go through its writer). */
    int read(long offset, byte[] dst, int off, int len) throws IOException {
        if (spill == null) {
            sendChunk();
            IrodsSession s = lease.session();
            s.seek(fd, offset, IrodsSession.SEEK_SET);
            int total = 0;
            while (total < len) {
                int n = s.read(fd, dst, off + total, len - total);
                if (n <= 0) {
                    break;
                }
                total += n;
            }
            s.seek(fd, acked, IrodsSession.SEEK_SET);
            return total;
        }
        return Math.max(0, spill.read(ByteBuffer.wrap(dst, off, len), offset));
    }

    private void sendChunk() throws IrodsException {
        if (chunkLen == 0) {
            return;
        }
        IrodsException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                if (lease == null) {
                    openDescriptor(false, acked); // replay: continue after the last acknowledged byte
                }
                lease.session().write(fd, chunk, 0, chunkLen);
                acked += chunkLen;
                chunkLen = 0;
                return;
            } catch (IrodsException e) {
                if (!e.connectionDead()) {
                    throw e;
                }
                last = e;
                LOG.info("write to " + path + " lost its connection (" + e.getMessage() + "); resuming at " + acked);
                if (lease != null) {
                    lease.discard();
                    lease = null;
                }
                sleepQuietly(100L * (attempt + 1));
            }
        }
        throw last;
    }

    /** Moves to spill mode: what is in iRODS so far plus the pending chunk become a local file. */
    private void toSpill() throws IOException {
        sendChunk();
        closeDescriptor();
        try (ReadStream rs = new ReadStream(pool, account, path)) {
            startSpill(rs, size);
        }
    }

    private void startSpill(ReadStream source, long bytes) throws IOException {
        SecretFiles.createPrivateDirectories(spillDir); // other users' data in per-user mode
        spillFile = Files.createTempFile(spillDir, "spill-", ".part", SecretFiles.privateFile());
        spill = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        byte[] buf = new byte[CHUNK];
        long at = 0;
        while (at < bytes) {
            int n = source.read(at, buf, 0, (int) Math.min(CHUNK, bytes - at));
            if (n <= 0) {
                throw new IOException("object " + path + " ended at " + at + " of " + bytes + " bytes while copying");
            }
            spill.write(ByteBuffer.wrap(buf, 0, n), at);
            at += n;
        }
        size = bytes;
    }

    /**
     * Makes iRODS hold what was written: streaming sends the last chunk and closes (finalizing the replica);
     * spilling uploads the spill file whole. The writer stays usable afterwards (a later write reopens).
     */
    void finish() throws IOException {
        if (spill == null) {
            sendChunk();
            closeDescriptor();
            return;
        }
        Writer up = truncating(pool, account, path, spillDir);
        byte[] buf = new byte[CHUNK];
        long at = 0;
        while (at < size) {
            int n = spill.read(ByteBuffer.wrap(buf, 0, (int) Math.min(CHUNK, size - at)), at);
            if (n <= 0) {
                break;
            }
            up.write(at, buf, 0, n);
            at += n;
        }
        up.finish();
    }

    private void closeDescriptor() throws IrodsException {
        if (lease == null) {
            return;
        }
        ConnectionPool.Lease l = lease;
        lease = null;
        try {
            l.session().close(fd);
        } catch (IrodsException e) {
            l.discard();
            throw e;
        } finally {
            l.close();
        }
    }

    /** Releases everything without writing more (after a failure, or after finish). */
    void discard() {
        if (lease != null) {
            lease.discard();
            lease = null;
        }
        if (spill != null) {
            try {
                spill.close();
                Files.deleteIfExists(spillFile);
            } catch (IOException e) {
                LOG.warning("cannot remove spill file " + spillFile + ": " + e.getMessage());
            }
            spill = null;
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

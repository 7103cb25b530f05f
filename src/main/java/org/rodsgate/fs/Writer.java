package org.rodsgate.fs;

import org.rodsgate.config.SecretFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;
import org.rodsgate.fs.open.Baseline;
import org.rodsgate.fs.open.Replacement;
import org.rodsgate.fs.open.WorkNames;
import org.rodsgate.fs.open.WriteFailure;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;

/**
 * The write side of one open file. While writes arrive in order it <b>streams</b>: data is gathered into
 * {@value #CHUNK}-byte chunks and written to an iRODS descriptor; if that connection dies, it reconnects, reopens
 * without truncating, seeks to the last acknowledged byte and resends the chunk it still holds. A write anywhere
 * else switches it to a local <b>spill</b> file (the object's bytes plus the changes).
 *
 * <p>Where the bytes go: a new object, or the end of an existing one (appending), is written <i>in place</i>. A
 * new version of an existing object (after O_TRUNC, or a spill) is <i>staged</i>: written to a work object and
 * switched in by {@link Replacement} at {@link #finish()}, only once iRODS holds all of it and only if the object is
 * still at the version the writer started from ({@link Baseline}). Until then the previous contents stay readable;
 * if the upload fails the spill file is kept and the error names it. Not thread-safe: the owning {@link OpenFile}
 * serialises calls.
 */
final class Writer {
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());
    static final int CHUNK = 8 << 20;
    /** The smallest chunk, when the memory budget is spent: one kernel write (128 KiB) per round trip. */
    static final int CHUNK_FLOOR = 128 << 10;
    private static final int ATTEMPTS = 4;

    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final Path spillDir;
    private String target;       // the object's name: where the data ends up
    private String path;         // where bytes go now: target (in place) or a work object (staged)
    private Baseline baseline;   // for staged writes: the version being replaced (null: none existed)

    // streaming
    private ConnectionPool.Lease lease;
    private int fd = -1;
    private long acked;          // bytes up to here are in iRODS
    private byte[] chunk;
    private MemoryBudget.Grant chunkGrant;
    private int chunkLen;
    // spilling
    private FileChannel spill;
    private Path spillFile;
    private long size;           // logical size of the file as written
    private IOException lost;    // a spill that failed: the writes it held are gone, so no later write may land

    private Writer(ConnectionPool pool, IrodsAccount account, String target, Path spillDir) {
        this.pool = pool;
        this.account = account;
        this.target = target;
        this.path = target;
        this.spillDir = spillDir;
    }

    /** Starts streaming in place into an object that is new or empty (created, or truncated if it exists). */
    static Writer truncating(ConnectionPool pool, IrodsAccount account, String path, Path spillDir)
        throws IrodsException {
        Writer w = new Writer(pool, account, path, spillDir);
        w.openDescriptor(true, 0, false);
        return w;
    }

    /** Starts streaming a new version of an existing object at {@code base}, staged in a work object. */
    static Writer replacing(ConnectionPool pool, IrodsAccount account, String target, Path spillDir, Baseline base)
        throws IrodsException {
        Writer w = new Writer(pool, account, target, spillDir);
        w.path = WorkNames.part(target);
        w.baseline = base;
        w.openDescriptor(true, 0, false);
        return w;
    }

    /**
     * Like {@link #replacing}, but where the caller may write the object and not create objects beside it (a write
     * ACL on one object in someone else's collection), iRODS refuses the work object: then the new version is
     * written in place, as without safe replacement — logged, since a failure then leaves a stale object.
     */
    static Writer replacingOrInPlace(ConnectionPool pool, IrodsAccount account, String target, Path spillDir,
                                     Baseline base) throws IrodsException {
        try {
            return replacing(pool, account, target, spillDir, base);
        } catch (IrodsException e) {
            if (e.errno() != Errno.EACCES.value) {
                throw e;
            }
            LOG.warning(account.clientUser() + " may not create objects beside " + target + " (" + e.getMessage()
                + "); its new version is written in place");
            return truncating(pool, account, target, spillDir);
        }
    }

    /**
     * Starts streaming in place at the end of an existing object: at {@code size}, or with {@code size < 0} at
     * the end iRODS reports when the descriptor is opened (O_APPEND: the end at the time of the write).
     */
    static Writer appending(ConnectionPool pool, IrodsAccount account, String path, Path spillDir, long size)
        throws IrodsException {
        Writer w = new Writer(pool, account, path, spillDir);
        w.openDescriptor(false, size, size < 0);
        w.size = w.acked;
        return w;
    }

    /**
     * Starts with a spill copy of the object's current {@code size} bytes (for writes in the middle), to be
     * switched in over version {@code base} (null only with safe replacement switched off: uploaded in place).
     */
    static Writer spilling(ConnectionPool pool, IrodsAccount account, String path, Path spillDir, long size,
                           ReadStream source, Baseline base) throws IOException {
        Writer w = new Writer(pool, account, path, spillDir);
        w.baseline = base;
        w.startSpill(source, size);
        return w;
    }

    private void openDescriptor(boolean truncate, long at, boolean atEnd) throws IrodsException {
        ConnectionPool.Lease l = pool.acquire(account);
        try {
            int flags = IrodsSession.O_RDWR | (truncate ? IrodsSession.O_CREAT | IrodsSession.O_TRUNC : 0);
            fd = l.session().open(path, flags).fd();
            long pos = at;
            if (atEnd) {
                pos = l.session().seek(fd, 0, IrodsSession.SEEK_END);
            } else if (at > 0) {
                l.session().seek(fd, at, IrodsSession.SEEK_SET);
            }
            lease = l;
            acked = pos;
        } catch (IrodsException e) {
            l.discard();
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

    /** Where an O_APPEND write goes: the end of what this writer holds (its descriptor keeps others out). */
    long end() {
        return spill == null ? streamEnd() : size;
    }

    boolean staged() {
        return !path.equals(target);
    }

    /** The local file holding the unsaved contents, or null while streaming. */
    Path spillFile() {
        return spillFile;
    }

    void write(long offset, byte[] data, int off, int len) throws IOException {
        write(offset, Source.of(data, off), len);
    }

    void write(long offset, Source data, int len) throws IOException {
        requireIntact();
        if (spill == null && offset == streamEnd()) {
            if (chunk == null) {
                chunkGrant = MemoryBudget.process().take(CHUNK, CHUNK_FLOOR);
                chunk = new byte[chunkGrant.size()];
            }
            int done = 0;
            while (done < len) {
                int n = Math.min(len - done, chunk.length - chunkLen);
                data.get(done, chunk, chunkLen, n);
                chunkLen += n;
                done += n;
                if (chunkLen == chunk.length) {
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
        try {
            while (bb.hasRemaining()) {
                at += spill.write(bb, at);
            }
        } catch (IOException e) {
            throw spillFailure(e);
        }
        size = Math.max(size, offset + len);
    }

    void truncate(long newSize) throws IOException {
        requireIntact();
        if (spill == null && newSize == streamEnd()) {
            return;
        }
        if (spill == null) {
            toSpill();
        }
        try {
            spill.truncate(newSize);
            if (newSize > spill.size()) {
                spill.write(ByteBuffer.allocate(1), newSize - 1);
            }
        } catch (IOException e) {
            throw spillFailure(e);
        }
        size = newSize;
    }

    /** Reads back what was written (reads of a file open for writing go through its writer). */
    int read(long offset, byte[] dst, int off, int len) throws IOException {
        requireIntact();
        if (spill == null) {
            sendChunk();
            if (lease == null) {
                openDescriptor(false, acked, false); // settled by a rename or unlink: reopen where it was
            }
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
                    openDescriptor(false, acked, false); // replay: continue after the last acknowledged byte
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

    /**
     * Moves to spill mode: what is in iRODS so far plus the pending chunk become a local file. Bytes streamed in
     * place are closed (finalized) first and are the baseline; a staged stream's work object is read and removed.
     */
    private void toSpill() throws IOException {
        sendChunk();
        closeDescriptor();
        if (!staged()) {
            baseline = pool.run(account, true, s -> Baseline.of(s.stat(path), () -> s.checksum(path)));
        }
        try (ReadStream rs = new ReadStream(pool, account, path)) {
            startSpill(rs, size);
        }
        if (staged()) {
            pool.run(account, false, s -> {
                Replacement.removeQuietly(s, path);
                return null;
            });
            path = target;
        }
    }

    private void startSpill(ReadStream source, long bytes) throws IOException {
        try {
            SecretFiles.createPrivateDirectories(spillDir); // other users' data in per-user mode
            spillFile = Files.createTempFile(spillDir, "spill-", ".part", SecretFiles.privateFile());
            spill = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw spillFailure(e);
        }
        long at = 0;
        try (MemoryBudget.Grant g = MemoryBudget.process().take(CHUNK, CHUNK_FLOOR)) {
            byte[] buf = new byte[g.size()];
            while (at < bytes) {
                int n = source.read(at, buf, 0, (int) Math.min(buf.length, bytes - at));
                if (n <= 0) {
                    throw new IOException("object " + path + " ended at " + at + " of " + bytes
                        + " bytes while copying");
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                long p = at;
                while (bb.hasRemaining()) {
                    p += spill.write(bb, p);
                }
                at += n;
            }
        } catch (IOException e) {
            throw spillFailure(e);
        }
        size = bytes;
    }

    /**
     * A spill that cannot be written is removed at once (so a full disk does not stay full of partial copies), and
     * reported as ENOSPC when the disk is full.
     */
    private IOException spillFailure(IOException e) {
        removeSpill();
        String m = String.valueOf(e.getMessage());
        IOException f = e;
        if (m.contains("No space left") || m.contains("Disk quota exceeded")) {
            f = new WriteFailure(Errno.ENOSPC, "spill directory " + spillDir + " is full (writing " + target
                + "); the partial spill file was removed", e);
        }
        lost = f;
        return f;
    }

    /**
     * After a spill failed, the writes it held are gone: a later write must fail too (until the failure is reported
     * by a flush and the writer discarded), never go on as a stream in place over the object or its baseline.
     */
    private void requireIntact() throws IOException {
        if (lost != null) {
            Errno errno = lost instanceof WriteFailure w ? w.errno() : Errno.EIO;
            throw new WriteFailure(errno, "earlier changes to " + target + " were lost when its spill file failed ("
                + lost.getMessage() + "); nothing more is written until the file is closed", lost);
        }
    }

    /** Streams in place are closed (their bytes finalized in iRODS, the lock released); a later write reopens. */
    void settle() throws IrodsException {
        if (spill == null && !staged()) {
            sendChunk();
            closeDescriptor();
        }
    }

    /** The object was renamed to {@code to} (after {@link #settle()}): the data now ends under that name. */
    void retarget(String to) {
        if (!staged()) {
            path = to;
        }
        target = to;
    }

    /** The object's version changed by this mount's own doing (a rename): the baseline follows. */
    void rebase(Baseline b) {
        if (baseline != null) {
            baseline = b;
        }
    }

    /**
     * Makes iRODS hold what was written under the target name, or throws. In place: the last chunk is sent and the
     * descriptor closed (iRODS finalizes the replica). Staged: the work object is closed and switched in. Spilled:
     * the spill file is uploaded to a work object and switched in; on failure the spill file is kept (the error
     * names it) and a later {@code finish} tries again. The writer must not be used for writing afterwards.
     */
    void finish() throws IOException {
        requireIntact();
        if (spill == null) {
            sendChunk();
            closeDescriptor();
            if (staged()) {
                String part = path;
                path = target; // from here on the work object is complete: it is never removed by discard()
                try (ConnectionPool.Lease l = pool.acquire(account)) {
                    Replacement.commit(l.session(), part, target, baseline);
                } catch (IrodsException e) {
                    String m = "switching the new version of " + target + " in failed (" + e.getMessage()
                        + "); the previous contents are unchanged and the new version is kept as " + part;
                    LOG.severe(m);
                    throw new WriteFailure(Errno.EIO, m, e);
                }
            }
            return;
        }
        Writer up = baseline == null ? truncating(pool, account, target, spillDir) // safe replacement switched off
            : replacingOrInPlace(pool, account, target, spillDir, baseline);
        try (MemoryBudget.Grant g = MemoryBudget.process().take(CHUNK, CHUNK_FLOOR)) {
            byte[] buf = new byte[g.size()];
            long at = 0;
            while (at < size) {
                int n = spill.read(ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, size - at)), at);
                if (n <= 0) {
                    break;
                }
                up.write(at, buf, 0, n);
                at += n;
            }
            up.finish();
            up.releaseChunk(); // its chunk back to the budget (discard() also does, after a failure)
        } catch (IOException e) {
            up.discard();
            if (e instanceof WriteFailure w && w.isConflict()) {
                removeSpill(); // the version is safe in iRODS as the conflict copy the message names
                throw e;
            }
            String m = "upload of " + target + " failed (" + e.getMessage() + "); the previous contents are"
                + " unchanged and this version is kept in " + spillFile + " until it is uploaded";
            LOG.severe(m);
            throw e instanceof WriteFailure ? e : new WriteFailure(Errno.EIO, m, e);
        }
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

    private void releaseChunk() {
        if (chunkGrant != null) {
            chunkGrant.close();
            chunkGrant = null;
        }
        chunk = null;
    }

    /**
     * Releases everything without writing more (after a failure, after finish, or for an unlinked file): the
     * descriptor's connection is dropped (iRODS then unlocks the replica), a staged work object is removed, and
     * the spill file deleted.
     */
    void discard() {
        releaseChunk();
        if (lease != null) {
            lease.discard();
            lease = null;
        }
        if (staged()) {
            String part = path;
            path = target;
            try {
                pool.run(account, false, s -> {
                    Replacement.removeQuietly(s, part);
                    return null;
                });
            } catch (IrodsException e) {
                LOG.info("could not remove work object " + part + ": " + e.getMessage());
            }
        }
        removeSpill();
    }

    /**
     * Gives up on unsaved changes without deleting them: the descriptor is dropped and the spill file left where
     * it is. Returns it (null when there was none).
     */
    Path abandon() {
        if (lease != null) {
            lease.discard();
            lease = null;
        }
        Path kept = spillFile;
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                LOG.warning("closing spill file " + spillFile + ": " + e.getMessage());
            }
            spill = null;
            spillFile = null;
        }
        return kept;
    }

    private void removeSpill() {
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                LOG.warning("closing spill file " + spillFile + ": " + e.getMessage());
            }
            spill = null;
        }
        if (spillFile != null) {
            try {
                Files.deleteIfExists(spillFile);
            } catch (IOException e) {
                LOG.warning("cannot remove spill file " + spillFile + ": " + e.getMessage());
            }
            spillFile = null;
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

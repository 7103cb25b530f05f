package org.rodsgate.fs;

import java.util.logging.Logger;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;

/**
 * A read-only descriptor on one data object, on a connection of its own, with positional reads. If the
 * connection dies (a cut, a server restart), it reconnects, reopens, seeks and carries on — a few times, with
 * backoff — before giving up with the error. While others wait for an I/O connection of the same identity, it
 * gives its own back after each read and reopens at the next. Thread-safe (one read at a time).
 */
final class ReadStream implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReadStream.class.getName());
    private static final int ATTEMPTS = 4;

    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final String path;
    private volatile ConnectionPool.Lease lease;
    private volatile boolean busy;
    private int fd = -1;
    private long pos;

    private long versionId = -1;   // data id and size of the version first opened: a reopen must find it again
    private long versionSize = -1;

    ReadStream(ConnectionPool pool, IrodsAccount account, String path) {
        this.pool = pool;
        this.account = account;
        this.path = path;
    }

    /** Opens now, so that a missing object or a denial is reported at open time. */
    synchronized IrodsSession.OpenFile openNow() throws IrodsException {
        return ensureOpen();
    }

    /** Opens unless open; returns what the open reply said of the replica (null when already open). */
    private IrodsSession.OpenFile ensureOpen() throws IrodsException {
        if (lease != null) {
            return null;
        }
        ConnectionPool.Lease l = pool.acquire(account);
        try {
            IrodsSession.OpenFile o = l.session().open(path, IrodsSession.O_RDONLY);
            if (o.dataId() >= 0 && versionId >= 0 && (o.dataId() != versionId || o.size() != versionSize)) {
                l.session().close(o.fd());
                throw new IrodsException(0, "read of " + path + ": the object was replaced or changed since it was"
                    + " opened (data id " + versionId + ", " + versionSize + " bytes; now " + o.dataId() + ", "
                    + o.size() + " bytes); reopening would mix two versions");
            }
            if (o.dataId() >= 0 && versionId < 0) {
                versionId = o.dataId();
                versionSize = o.size();
            }
            fd = o.fd();
            pos = 0;
            lease = l;
            l.reclaimableBy(this::yieldConnection);
            return o;
        } catch (IrodsException e) {
            l.close();
            throw e;
        }
    }

    /** Reads up to {@code len} bytes at {@code offset}; fewer only at end of file. */
    synchronized int read(long offset, byte[] buf, int off, int len) throws IrodsException {
        busy = true;
        try {
            return readNow(offset, buf, off, len);
        } finally {
            busy = false;
        }
    }

    private int readNow(long offset, byte[] buf, int off, int len) throws IrodsException {
        IrodsException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                ensureOpen();
                IrodsSession s = lease.session();
                if (pos != offset) {
                    pos = s.seek(fd, offset, IrodsSession.SEEK_SET);
                }
                int total = 0;
                while (total < len) {
                    int n = s.read(fd, buf, off + total, len - total);
                    if (n <= 0) {
                        break;
                    }
                    total += n;
                    pos += n;
                }
                return total;
            } catch (IrodsException e) {
                if (!e.connectionDead()) {
                    throw e;
                }
                last = e;
                LOG.info("read of " + path + " lost its connection (" + e.getMessage() + "); reopening at " + offset);
                dropLease();
                sleep(100L * (attempt + 1));
            }
        }
        throw last;
    }

    /**
     * Asked by the pool when all I/O connections of this identity are held and someone waits: an idle stream gives
     * its connection back (closes the descriptor); the next read reopens the object and seeks to its offset. So open
     * files that are read now and then cannot lock out an identity's other opens. A busy stream declines.
     */
    private boolean yieldConnection() {
        if (busy || lease == null) {
            return false;
        }
        synchronized (this) {
            if (lease == null) {
                return false;
            }
            try {
                lease.session().close(fd);
                lease.close();
            } catch (IrodsException e) {
                lease.discard();
            }
            lease = null;
            fd = -1;
            return true;
        }
    }

    private void dropLease() {
        if (lease != null) {
            lease.discard();
            lease = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (lease == null) {
            return;
        }
        try {
            lease.session().close(fd);
            lease.close();
        } catch (IrodsException e) {
            lease.discard();
        }
        lease = null;
    }
}

package org.rodsgate.fs;

import java.util.logging.Logger;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;

/**
 * A read-only descriptor on one data object, on a connection of its own, with positional reads. If the
 * connection dies (a cut, a server restart), it reconnects, reopens, seeks and carries on — a few times, with
 * backoff — before giving up with the error. Thread-safe (one read at a time).
 */
final class ReadStream implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReadStream.class.getName());
    private static final int ATTEMPTS = 4;

    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final String path;
    private ConnectionPool.Lease lease;
    private int fd = -1;
    private long pos;

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
            fd = o.fd();
            pos = 0;
            lease = l;
            return o;
        } catch (IrodsException e) {
            l.close();
            throw e;
        }
    }

    /** Reads up to {@code len} bytes at {@code offset}; fewer only at end of file. */
    synchronized int read(long offset, byte[] buf, int off, int len) throws IrodsException {
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

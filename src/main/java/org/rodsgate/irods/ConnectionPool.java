package org.rodsgate.irods;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Connections kept per identity ({@link IrodsAccount#identityKey()}): a rodsadmin proxying for alice and for bob
 * holds two separate sets, never mixed. Bounded per identity (callers wait up to {@code acquireTimeout}); idle
 * connections are evicted after {@code idleTimeout}; a connection idle longer than {@code validateAfter} is
 * pinged before reuse; a connection that failed is discarded, never returned. Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionPool.class.getName());

    /** Declared once, with the reason for each default. */
    public record Settings(int maxPerIdentity, Duration acquireTimeout, Duration idleTimeout, Duration validateAfter,
                           int retries, Duration retryBackoff) {
        /**
         * 8 connections per user: enough for parallel reads of a few files on 2 cores without crowding an iRODS
         * server's agent limit; 60 s idle: an agent per idle connection costs the server a process; 3 retries with
         * 200 ms backoff
         * ride out a server restart of a few seconds. A connection idle for more than 30 s is pinged before reuse
         * (cheap, and catches server restarts before a non-repeatable operation meets them).
         */
        public static Settings defaults() {
            return new Settings(8, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(30), 3,
                Duration.ofMillis(200));
        }
    }

    private final Settings settings;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService evictor;
    private volatile boolean closed;

    private static final class Slot {
        final Semaphore permits;
        final Deque<IrodsConnection> idle = new ArrayDeque<>();

        Slot(int max) {
            permits = new Semaphore(max, true);
        }
    }

    /** A connection on loan; {@link #close()} returns it (or discards it when it failed). */
    public final class Lease implements AutoCloseable {
        private final Slot slot;
        private final IrodsSession session;
        private boolean returned;

        Lease(Slot slot, IrodsSession session) {
            this.slot = slot;
            this.session = session;
        }

        public IrodsSession session() {
            return session;
        }

        /** Gives the lease back with its connection closed (it failed, or a descriptor was left open on it). */
        public void discard() {
            session.connection().close();
            close();
        }

        @Override
        public void close() {
            if (returned) {
                return;
            }
            returned = true;
            IrodsConnection c = session.connection();
            if (!c.isDead() && !closed) {
                synchronized (slot) {
                    slot.idle.push(c);
                }
            } else {
                c.close();
            }
            slot.permits.release();
        }
    }

    public ConnectionPool(Settings settings) {
        this.settings = settings;
        this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "irods-pool-evictor");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, settings.idleTimeout().toMillis() / 4);
        evictor.scheduleAtFixedRate(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
    }

    public ConnectionPool() {
        this(Settings.defaults());
    }

    public Settings settings() {
        return settings;
    }

    public Lease acquire(IrodsAccount account) throws IrodsException {
        if (closed) {
            throw IrodsException.transport("connection pool is closed", null, Errno.ENOTCONN.value);
        }
        Slot slot = slots.computeIfAbsent(account.identityKey(), k -> new Slot(settings.maxPerIdentity()));
        try {
            if (!slot.permits.tryAcquire(settings.acquireTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw IrodsException.transport("no iRODS connection free for " + account.clientUser() + " within "
                    + settings.acquireTimeout().toSeconds() + " s (" + settings.maxPerIdentity() + " in use)", null,
                    Errno.EAGAIN.value);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw IrodsException.transport("interrupted while waiting for a connection", e, Errno.EIO.value);
        }
        try {
            while (true) {
                IrodsConnection c;
                synchronized (slot) {
                    c = slot.idle.poll();
                }
                if (c == null) {
                    return new Lease(slot, new IrodsSession(IrodsConnection.open(account)));
                }
                if (healthy(c)) {
                    return new Lease(slot, new IrodsSession(c));
                }
                c.close();
            }
        } catch (IrodsException | RuntimeException e) {
            slot.permits.release();
            throw e;
        }
    }

    private boolean healthy(IrodsConnection c) {
        if (c.isDead()) {
            return false;
        }
        if (c.idleNanos() < settings.validateAfter().toNanos()) {
            return true;
        }
        try {
            c.call(ApiNumber.GET_MISC_SVR_INFO, null);
            return true;
        } catch (IrodsException e) {
            LOG.fine("discarding a pooled connection that failed its health check: " + e.getMessage());
            return false;
        }
    }

    /** An operation on one session. */
    @FunctionalInterface
    public interface Operation<T> {
        T apply(IrodsSession s) throws IrodsException;
    }

    /**
     * Runs {@code op} on a pooled connection. If the connection dies and the operation is safe to repeat
     * ({@code idempotent}), it is retried on a fresh connection, up to {@link Settings#retries()} times.
     */
    public <T> T run(IrodsAccount account, boolean idempotent, Operation<T> op) throws IrodsException {
        IrodsException last = null;
        int attempts = idempotent ? settings.retries() + 1 : 1;
        for (int i = 0; i < attempts; i++) {
            if (i > 0) {
                sleep(settings.retryBackoff().toMillis() * i);
            }
            Lease lease;
            try {
                lease = acquire(account);
            } catch (IrodsException e) {
                // a server that refuses connections may be restarting: retry; a login failure will not heal
                if (!e.connectionDead() || e.code() != 0) {
                    throw e;
                }
                last = e;
                continue;
            }
            try (lease) {
                return op.apply(lease.session());
            } catch (IrodsException e) {
                if (!e.connectionDead()) {
                    throw e;
                }
                last = e;
                LOG.fine("connection lost (" + e.getMessage() + "), attempt " + (i + 1) + " of " + attempts);
            }
        }
        throw last;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void evictIdle() {
        long limit = settings.idleTimeout().toNanos();
        for (Slot s : slots.values()) {
            synchronized (s) {
                s.idle.removeIf(c -> {
                    if (c.idleNanos() > limit || c.isDead()) {
                        c.close();
                        return true;
                    }
                    return false;
                });
            }
        }
    }

    /** Idle connections currently held, over all identities (for tests and status). */
    public int idleCount() {
        int n = 0;
        for (Slot s : slots.values()) {
            synchronized (s) {
                n += s.idle.size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        evictor.shutdownNow();
        for (Slot s : slots.values()) {
            synchronized (s) {
                s.idle.forEach(IrodsConnection::close);
                s.idle.clear();
            }
        }
    }
}

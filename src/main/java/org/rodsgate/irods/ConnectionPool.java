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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Connections kept per identity ({@link IrodsAccount#identityKey()}): a rodsadmin proxying for alice and for bob
 * holds two separate sets, never mixed. Each identity has two bounded sets: <b>I/O</b> connections, held by open
 * descriptors for as long as a file is open ({@link #acquire}), and <b>metadata</b> connections, lent for one
 * operation ({@link #run}) — so open files can never starve stat, readdir and the rest (as go-irodsclient
 * separates metadata and I/O sessions). Waits are bounded: for a free connection {@code acquireTimeout}, then
 * {@code EAGAIN} (logged once per episode); one {@link #run} operation, retries included, ends within
 * {@code operationTimeout}; a server that does not answer is marked down ({@link ServerHealth}) and calls fail
 * fast with {@code EHOSTDOWN} until it answers again. Idle connections are evicted after {@code idleTimeout};
 * one idle longer than {@code validateAfter} is pinged (within {@code pingTimeout}) before reuse; a connection
 * that failed is discarded, never returned. Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionPool.class.getName());

    /**
     * Declared once, with the reason for each default (the mount's values come from {@code config/MountConfig}).
     *
     * @param maxPerIdentity     I/O connections per identity: files open at once that hold a descriptor
     * @param metadataPerIdentity metadata connections per identity: stat, listings, renames... in parallel
     * @param acquireTimeout     longest wait for a free connection before {@code EAGAIN}
     * @param idleTimeout        an idle connection is closed after this
     * @param validateAfter      an idle connection older than this is pinged before reuse
     * @param retries            repeats of an idempotent operation whose connection died
     * @param retryBackoff       wait before the first repeat (then ×2, ×3...)
     * @param operationTimeout   one {@link #run} operation, retries and connecting included, ends by then
     * @param pingTimeout        the health check of an idle connection waits at most this
     * @param downRetryMax       while the server is down, the longest wait between two attempts to reach it
     */
    public record Settings(int maxPerIdentity, int metadataPerIdentity, Duration acquireTimeout, Duration idleTimeout,
                           Duration validateAfter, int retries, Duration retryBackoff, Duration operationTimeout,
                           Duration pingTimeout, Duration downRetryMax) {
        /**
         * 8 I/O and 4 metadata connections per user: enough for parallel reads of a few files on 2 cores without
         * crowding an iRODS server's agent limit, and stat/readdir never queue behind open files; 10 s for a free
         * connection (a `ls` that waits longer is better told EAGAIN); 60 s idle: an agent per idle connection
         * costs the server a process; 3 retries with 200 ms backoff ride out a server restart of a few seconds;
         * 120 s per operation, as long as one reply may take (a checksum of a large file); a connection idle for
         * more than 30 s is pinged (5 s at most) before reuse (cheap, and catches server restarts before a
         * non-repeatable operation meets them); a down server is tried again at least every 5 s, so the mount
         * recovers within seconds of the server's return.
         */
        public static Settings defaults() {
            return new Settings(8, 4, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 3,
                Duration.ofMillis(200), Duration.ofSeconds(120), Duration.ofSeconds(5), Duration.ofSeconds(5));
        }

        public Settings withSizes(int io, int metadata) {
            return new Settings(io, metadata, acquireTimeout, idleTimeout, validateAfter, retries, retryBackoff,
                operationTimeout, pingTimeout, downRetryMax);
        }

        public Settings withWaits(Duration acquire, Duration operation, Duration downRetry) {
            return new Settings(maxPerIdentity, metadataPerIdentity, acquire, idleTimeout, validateAfter, retries,
                retryBackoff, operation, pingTimeout, downRetry);
        }
    }

    private final Settings settings;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, ServerHealth> servers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService evictor;
    private volatile boolean closed;

    private static final class Slot {
        final String kind;
        final int max;
        final Semaphore permits;
        final Deque<IrodsConnection> idle = new ArrayDeque<>();
        final AtomicBoolean exhausted = new AtomicBoolean();
        /** Leases whose holders can give them back between calls (see {@link Lease#reclaimableBy}). */
        final java.util.Set<Lease> reclaimable = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Slot(String kind, int max) {
            this.kind = kind;
            this.max = max;
            permits = new Semaphore(max, true);
        }
    }

    /** A connection on loan; {@link #close()} returns it (or discards it when it failed). */
    public final class Lease implements AutoCloseable {
        private final Slot slot;
        private final IrodsSession session;
        private boolean returned;
        private volatile java.util.function.BooleanSupplier reclaimer;

        Lease(Slot slot, IrodsSession session) {
            this.slot = slot;
            this.session = session;
        }

        public IrodsSession session() {
            return session;
        }

        /**
         * Lets a waiter for a connection of this identity ask the holder to give this lease back: {@code yield}
         * returns true if it did (it closed its descriptor and closed the lease), false if it is busy. A holder
         * that can reopen where it was (a read-only descriptor) registers; writers cannot.
         */
        public void reclaimableBy(java.util.function.BooleanSupplier yield) {
            reclaimer = yield;
            slot.reclaimable.add(this);
        }

        boolean tryReclaim() {
            java.util.function.BooleanSupplier r = reclaimer;
            return r != null && !returned && r.getAsBoolean();
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
            slot.reclaimable.remove(this);
            IrodsConnection c = session.connection();
            c.clearDeadline();
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

    /**
     * An I/O connection, for a descriptor kept open across calls (reads and writes of an open file); the caller
     * closes the lease. Waits up to {@code acquireTimeout} for one, then fails with EAGAIN.
     */
    public Lease acquire(IrodsAccount account) throws IrodsException {
        return acquire(account, "io", settings.maxPerIdentity(),
            System.nanoTime() + settings.operationTimeout().toNanos(), false);
    }

    private Lease acquire(IrodsAccount account, String kind, int max, long deadline, boolean bounded)
        throws IrodsException {
        if (closed) {
            throw IrodsException.transport("connection pool is closed", null, Errno.EIO.value);
        }
        ServerHealth health = health(account);
        health.admit();
        Slot slot = slots.computeIfAbsent(account.identityKey() + "|" + kind, k -> new Slot(kind, max));
        long waitMs = Math.min(settings.acquireTimeout().toMillis(), (deadline - System.nanoTime()) / 1_000_000);
        try {
            boolean got = slot.permits.tryAcquire();
            if (!got) {
                // all held: ask a holder that is idle and can reopen later (a reader) to give one back
                for (Lease l : slot.reclaimable) {
                    if (l.tryReclaim()) {
                        break;
                    }
                }
                got = slot.permits.tryAcquire(Math.max(0, waitMs), TimeUnit.MILLISECONDS);
            }
            if (!got) {
                String msg = "no " + (kind.equals("io") ? "I/O" : kind) + " connection to iRODS free for "
                    + account.clientUser() + " within " + Math.max(0, waitMs) + " ms (" + slot.max + " in use)";
                if (slot.exhausted.compareAndSet(false, true)) {
                    LOG.warning(msg + "; calls fail with EAGAIN until one is returned");
                }
                throw IrodsException.transport(msg, null, Errno.EAGAIN.value);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw IrodsException.transport("interrupted while waiting for a connection", e, Errno.EIO.value);
        }
        if (slot.exhausted.compareAndSet(true, false)) {
            LOG.info(kind + " connections of " + account.clientUser() + " are free again");
        }
        try {
            while (true) {
                IrodsConnection c;
                synchronized (slot) {
                    c = slot.idle.poll();
                }
                if (c == null) {
                    try {
                        // start-up and login are bounded by the connect timeout: a server that takes longer to
                        // let us in is not there (and a probe of a stalled server costs no more than that)
                        c = IrodsConnection.open(account,
                            Math.min(deadline, System.nanoTime() + account.connectTimeout().toNanos()));
                    } catch (IrodsException e) {
                        if (ServerHealth.meansDown(e)) {
                            health.failed(e);
                        }
                        throw e;
                    }
                    health.succeeded();
                    c.observeTimeouts(health::failed);
                    if (bounded) {
                        c.setDeadline(deadline);
                    }
                    return new Lease(slot, new IrodsSession(c));
                }
                if (healthy(c, deadline)) {
                    if (bounded) {
                        c.setDeadline(deadline);
                    }
                    return new Lease(slot, new IrodsSession(c));
                }
                c.close();
            }
        } catch (IrodsException | RuntimeException e) {
            slot.permits.release();
            throw e;
        }
    }

    private ServerHealth health(IrodsAccount a) {
        return servers.computeIfAbsent(a.host() + ":" + a.port(),
            k -> new ServerHealth(k, settings.downRetryMax(), a.connectTimeout().plusSeconds(1)));
    }

    /** Whether the server of {@code account} is currently taken as down (for status and tests). */
    public boolean serverDown(IrodsAccount account) {
        return health(account).isDown();
    }

    private boolean healthy(IrodsConnection c, long deadline) {
        if (c.isDead()) {
            return false;
        }
        if (c.idleNanos() < settings.validateAfter().toNanos()) {
            return true;
        }
        try {
            c.setDeadline(Math.min(deadline, System.nanoTime() + settings.pingTimeout().toNanos()));
            c.call(ApiNumber.GET_MISC_SVR_INFO, null);
            c.clearDeadline();
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
     * Runs {@code op} on a pooled metadata connection; it ends, retries included, within
     * {@link Settings#operationTimeout()}. If the connection dies and the operation is safe to repeat
     * ({@code idempotent}), it is retried on a fresh connection, up to {@link Settings#retries()} times; a reply
     * that did not come in time is not retried (the server is marked down). Errors: the operation's own, EAGAIN
     * (no connection free), ETIMEDOUT (no reply in time), EHOSTDOWN (server unreachable).
     */
    public <T> T run(IrodsAccount account, boolean idempotent, Operation<T> op) throws IrodsException {
        long deadline = System.nanoTime() + settings.operationTimeout().toNanos();
        ServerHealth health = health(account);
        IrodsException last = null;
        int attempts = idempotent ? settings.retries() + 1 : 1;
        for (int i = 0; i < attempts; i++) {
            if (i > 0) {
                long pause = settings.retryBackoff().toMillis() * i;
                if (System.nanoTime() + pause * 1_000_000 - deadline >= 0) {
                    break;
                }
                sleep(pause);
            }
            Lease lease;
            try {
                lease = acquire(account, "metadata", settings.metadataPerIdentity(), deadline, true);
            } catch (IrodsException e) {
                // a connection that could not be made may be retried; not a login failure (will not heal), not a
                // server taken as down (it is tried again with backoff, by one caller at a time), not a full pool
                if (!e.connectionDead() || e.code() != 0 || e.timedOut() || e.errno() == Errno.EAGAIN.value
                    || health.isDown()) {
                    throw e;
                }
                last = e;
                continue;
            }
            try (lease) {
                T result = op.apply(lease.session());
                health.succeeded();
                return result;
            } catch (IrodsException e) {
                if (!e.connectionDead()) {
                    health.succeeded();
                    throw e;
                }
                last = e;
                if (e.timedOut()) {
                    health.failed(e);
                    throw e;
                }
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

    /** Connections on loan now, over all identities, of one kind ("io" or "metadata"; for metrics and status). */
    public int inUse(String kind) {
        int n = 0;
        for (Slot s : slots.values()) {
            if (s.kind.equals(kind)) {
                n += s.max - s.permits.availablePermits();
            }
        }
        return n;
    }

    /** Callers waiting for a connection now, over all identities, of one kind ("io" or "metadata"). */
    public int waiting(String kind) {
        int n = 0;
        for (Slot s : slots.values()) {
            if (s.kind.equals(kind)) {
                n += s.permits.getQueueLength();
            }
        }
        return n;
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

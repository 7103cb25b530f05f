package org.rodsgate.watch;

import java.io.IOException;
import java.sql.SQLException;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.omero.OmeroCli;
import org.rodsgate.omero.Registrar;
import org.rodsgate.omero.SystemProcessRunner;

/**
 * Wires a gateway from its config: the ledger (SQLite or PostgreSQL) shared by both directions, and each direction
 * that is configured — the watcher (iRODS → OMERO: change feed, OMERO command, registrar) and the reverse loop
 * (OMERO → iRODS: reverse feed, placement, description). Each claims only its own units.
 */
public final class Gateway implements AutoCloseable {
    private final Ledger ledger;
    private final ConnectionPool pool;
    private final Watcher watcher;
    private final org.rodsgate.reverse.ReverseLoop reverse;
    private final boolean ownPool;

    private Gateway(Ledger ledger, ConnectionPool pool, Watcher watcher, org.rodsgate.reverse.ReverseLoop reverse,
                    boolean ownPool) {
        this.ledger = ledger;
        this.pool = pool;
        this.watcher = watcher;
        this.reverse = reverse;
        this.ownPool = ownPool;
    }

    public static Ledger openLedger(WatchConfig cfg) throws SQLException, IOException {
        return openLedger(cfg, true);
    }

    /** {@code create} false: for commands that read the ledger (status, retry) — a missing SQLite file is an error. */
    public static Ledger openLedger(WatchConfig cfg, boolean create) throws SQLException, IOException {
        if (cfg.postgresUrl() != null && !cfg.postgresUrl().isEmpty()) {
            return Ledger.postgres(cfg.postgresUrl(), cfg.postgresUser(), cfg.postgresPassword(),
                System::currentTimeMillis);
        }
        return Ledger.sqlite(cfg.ledgerFile(), System::currentTimeMillis, create);
    }

    /** The ledger as a reverse section names it (the watch section's when the config has one). */
    public static Ledger openLedger(org.rodsgate.config.ReverseConfig.LedgerSettings s, boolean create)
        throws SQLException, IOException {
        if (s.postgresUrl() != null && !s.postgresUrl().isEmpty()) {
            return Ledger.postgres(s.postgresUrl(), s.postgresUser(), s.postgresPassword(), System::currentTimeMillis);
        }
        return Ledger.sqlite(s.sqlite(), System::currentTimeMillis, create);
    }

    /**
     * @param pool  a pool to share (the mount's), or null for one of its own
     * @param cache the mount's cache, to invalidate on every change seen, or null
     * @param withOmero false: log what would be registered instead of registering
     */
    public static Gateway start(WatchConfig cfg, IrodsAccount account, ConnectionPool pool, MetadataCache cache,
                                boolean withOmero) throws ConfigException, IOException, SQLException {
        return start(cfg, null, account, pool, cache, withOmero);
    }

    /**
     * Both directions, each when configured ({@code cfg} or {@code rev} may be null, not both).
     *
     * @param rev the reverse section (OMERO → iRODS), or null
     */
    public static Gateway start(WatchConfig cfg, org.rodsgate.config.ReverseConfig rev, IrodsAccount account,
                                ConnectionPool pool, MetadataCache cache, boolean withOmero)
        throws ConfigException, IOException, SQLException {
        if (cfg == null) {
            if (rev == null) {
                throw new ConfigException("neither a watch nor a reverse section: nothing to run");
            }
            boolean own = pool == null;
            ConnectionPool p = own ? new ConnectionPool() : pool;
            Ledger ledger = openLedger(rev.ledger(), true);
            ledger.startHeartbeat(rev.gateway(), rev.heartbeat());
            java.util.logging.Logger.getLogger(Gateway.class.getName()).info("gateway instance " + ledger.instance()
                + " (gateway " + rev.gateway() + "): OMERO -> iRODS only");
            return new Gateway(ledger, p, null, startReverse(rev, ledger, p, account), own);
        }
        if (cfg.mountRoot() == null) {
            throw new ConfigException("watch.mount is needed: the local path where the mount shows iRODS '/'");
        }
        boolean own = pool == null;
        ConnectionPool p = own ? new ConnectionPool() : pool;
        var log = java.util.logging.Logger.getLogger(Gateway.class.getName());
        for (String c : cfg.collections()) {
            org.rodsgate.irods.ObjStat st = p.run(account, true, s -> s.statOrNull(c));
            if (st != null && !st.isCollection()) {
                if (own) {
                    p.close();
                }
                throw new ConfigException("watch.collections: " + c + " is a data object, not a collection");
            }
            if (st == null) {
                log.warning("watched collection " + c + " does not exist (yet): nothing is registered from it until"
                    + " it does");
            }
        }
        Ledger ledger = openLedger(cfg);
        ledger.startHeartbeat(cfg.gateway(), cfg.heartbeat());
        log.info("watcher instance " + ledger.instance()
            + " (gateway " + cfg.gateway() + ")");
        OmeroCli omero = withOmero ? new OmeroCli(cfg.omero(), new SystemProcessRunner(cfg.omero().osUser())) : null;
        Registrar registrar = omero == null ? null : new Registrar(omero, p, account, cfg::localPath);
        Watcher w = new Watcher(cfg, new ChangeFeed(p, account, cfg.collections()), ledger, registrar, omero, cache,
            System::currentTimeMillis);
        w.start();
        bindQueueMetrics(ledger, org.rodsgate.ledger.Unit.Direction.FORWARD);
        org.rodsgate.reverse.ReverseLoop r = null;
        if (rev != null) {
            try {
                r = startReverse(rev, ledger, p, account);
            } catch (ConfigException | IOException | RuntimeException e) {
                w.close();
                ledger.close();
                if (own) {
                    p.close();
                }
                throw e;
            }
        }
        return new Gateway(ledger, p, w, r, own);
    }

    /** The reverse direction on this gateway's ledger and pool. */
    private static org.rodsgate.reverse.ReverseLoop startReverse(org.rodsgate.config.ReverseConfig rev, Ledger ledger,
                                                                 ConnectionPool pool, IrodsAccount account)
        throws ConfigException, IOException {
        rev.checkZone(account.zone());
        org.rodsgate.reverse.ReverseSides sides = org.rodsgate.reverse.ReverseSides.create(rev, pool, account);
        var feed = new org.rodsgate.reverse.ReverseFeed(rev, sides.omero(), ledger, sides.description(),
            System::currentTimeMillis);
        var worker = new org.rodsgate.reverse.ReverseWorker(rev, ledger, sides.omero(), sides.placement(),
            sides.description(), rev.gateway());
        var loop = new org.rodsgate.reverse.ReverseLoop(rev, ledger, feed, worker);
        loop.start();
        bindQueueMetrics(ledger, org.rodsgate.ledger.Unit.Direction.REVERSE);
        java.util.logging.Logger.getLogger(Gateway.class.getName()).info("OMERO -> iRODS: polling " + rev.server()
            + " every " + rev.poll().toMillis() / 1000.0 + " s");
        return loop;
    }

    /**
     * {@code rodsgate_watch_units{state=pending|claimed|parked|done}} (iRODS → OMERO) or
     * {@code rodsgate_reverse_units{state}} (OMERO → iRODS): the ledger's units of that direction by state, and
     * {@code rodsgate_watch_oldest_pending_age_seconds} / {@code rodsgate_reverse_oldest_pending_age_seconds}: how long
     * that direction's oldest pending unit has waited ({@link Ledger#oldestPendingAge}); both read at most every 10 s
     * (a scrape never costs more than one status query and one age query in that time).
     */
    private static void bindQueueMetrics(Ledger ledger, org.rodsgate.ledger.Unit.Direction direction) {
        boolean fwd = direction == org.rodsgate.ledger.Unit.Direction.FORWARD;
        var cached = new java.util.concurrent.atomic.AtomicReference<java.util.Map<String, Long>>(java.util.Map.of());
        var age = new java.util.concurrent.atomic.AtomicLong();
        var readAt = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
        Runnable refresh = () -> {
            long now = System.nanoTime();
            long last = readAt.get();
            if ((last == Long.MIN_VALUE || now - last > 10_000_000_000L) && readAt.compareAndSet(last, now)) {
                try {
                    cached.set(ledger.status(direction).byState());
                    age.set(ledger.oldestPendingAge(direction).toSeconds());
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(Gateway.class.getName()).fine("ledger status for metrics: " + e.getMessage());
                }
            }
        };
        for (String state : java.util.List.of(Ledger.PENDING, Ledger.CLAIMED, Ledger.PARKED, Ledger.DONE)) {
            io.micrometer.core.instrument.Gauge.builder(fwd ? "rodsgate.watch.units" : "rodsgate.reverse.units", () -> {
                refresh.run();
                return cached.get().getOrDefault(state, 0L);
            }).tag("state", state).description((fwd ? "watcher" : "reverse") + " units by state in the ledger")
                .register(org.rodsgate.metrics.Metrics.registry());
        }
        io.micrometer.core.instrument.Gauge.builder(fwd ? "rodsgate.watch.oldest.pending.age"
            : "rodsgate.reverse.oldest.pending.age", () -> {
            refresh.run();
            return age.get();
        }).baseUnit("seconds").description("how long the oldest pending unit has been in the ledger (0: none)")
            .register(org.rodsgate.metrics.Metrics.registry());
    }

    public Watcher watcher() {
        return watcher;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** The reverse direction's loop, or null when it is not configured. */
    public org.rodsgate.reverse.ReverseLoop reverse() {
        return reverse;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (reverse != null) {
            reverse.close();
        }
        try {
            ledger.close();
        } catch (SQLException ignored) {
            // closing
        }
        if (ownPool) {
            pool.close();
        }
    }
}

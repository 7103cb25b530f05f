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

/** Wires a watcher from its config: ledger (SQLite or PostgreSQL), change feed, OMERO command, registrar. */
public final class Gateway implements AutoCloseable {
    private final Ledger ledger;
    private final ConnectionPool pool;
    private final Watcher watcher;
    private final boolean ownPool;

    private Gateway(Ledger ledger, ConnectionPool pool, Watcher watcher, boolean ownPool) {
        this.ledger = ledger;
        this.pool = pool;
        this.watcher = watcher;
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

    /**
     * @param pool  a pool to share (the mount's), or null for one of its own
     * @param cache the mount's cache, to invalidate on every change seen, or null
     * @param withOmero false: log what would be registered instead of registering
     */
    public static Gateway start(WatchConfig cfg, IrodsAccount account, ConnectionPool pool, MetadataCache cache,
                                boolean withOmero) throws ConfigException, IOException, SQLException {
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
        bindQueueMetrics(ledger);
        return new Gateway(ledger, p, w, own);
    }

    /**
     * {@code rodsgate_watch_units{state=pending|claimed|parked|done}}: the ledger's units by state, and
     * {@code rodsgate_watch_oldest_pending_age_seconds}: how long the oldest pending unit has waited
     * ({@link Ledger#oldestPendingAge()}); both read at most every 10 s (a scrape never costs more than one status
     * query and one age query in that time).
     */
    private static void bindQueueMetrics(Ledger ledger) {
        var cached = new java.util.concurrent.atomic.AtomicReference<java.util.Map<String, Long>>(java.util.Map.of());
        var age = new java.util.concurrent.atomic.AtomicLong();
        var readAt = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
        Runnable refresh = () -> {
            long now = System.nanoTime();
            long last = readAt.get();
            if ((last == Long.MIN_VALUE || now - last > 10_000_000_000L) && readAt.compareAndSet(last, now)) {
                try {
                    cached.set(ledger.status().byState());
                    age.set(ledger.oldestPendingAge().toSeconds());
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(Gateway.class.getName()).fine("ledger status for metrics: " + e.getMessage());
                }
            }
        };
        for (String state : java.util.List.of(Ledger.PENDING, Ledger.CLAIMED, Ledger.PARKED, Ledger.DONE)) {
            io.micrometer.core.instrument.Gauge.builder("rodsgate.watch.units", () -> {
                refresh.run();
                return cached.get().getOrDefault(state, 0L);
            }).tag("state", state).description("watcher units by state in the ledger")
                .register(org.rodsgate.metrics.Metrics.registry());
        }
        io.micrometer.core.instrument.Gauge.builder("rodsgate.watch.oldest.pending.age", () -> {
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

    @Override
    public void close() {
        watcher.close();
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

package org.rodsgate.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The durable queue of units and their registration records: an embedded SQLite file by default, or PostgreSQL so
 * that several gateways share one queue. A unit is claimed with a lease: if its claimer crashes, the lease runs out
 * and another gateway takes it (the registrar then checks OMERO before importing, so nothing is imported twice).
 * Failures are retried with exponential backoff and parked after a number of attempts. Thread-safe (one JDBC
 * connection, calls serialised).
 */
public final class Ledger implements AutoCloseable {
    public static final String PENDING = "pending";
    public static final String CLAIMED = "claimed";
    public static final String DONE = "done";
    public static final String PARKED = "parked";

    private final Connection db;
    private final boolean postgres;
    private final LongSupplier clock;

    private Ledger(Connection db, boolean postgres, LongSupplier clock) {
        this.db = db;
        this.postgres = postgres;
        this.clock = clock;
    }

    /** Opens a SQLite file (created if missing). */
    public static Ledger sqlite(Path file, LongSupplier clock) throws SQLException, IOException {
        return sqlite(file, clock, true);
    }

    /**
     * Opens a SQLite file; with {@code create} false a missing file is an error (a command that only reads the
     * ledger must not make an empty one). Errors name the file.
     */
    public static Ledger sqlite(Path file, LongSupplier clock, boolean create) throws SQLException, IOException {
        Path f = file.toAbsolutePath();
        if (!create && !Files.isRegularFile(f)) {
            throw new java.io.FileNotFoundException("ledger " + f + " does not exist (has a watcher run with this"
                + " config? watch.ledger.sqlite names the file)");
        }
        Files.createDirectories(f.getParent());
        org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
        cfg.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        cfg.setBusyTimeout(10_000);
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + f, cfg.toProperties());
            return init(c, false, clock);
        } catch (SQLException e) {
            if (c != null) {
                c.close();
            }
            throw new SQLException("ledger " + f + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /** Opens a PostgreSQL database ({@code jdbc:postgresql://...}). */
    public static Ledger postgres(String url, String user, String password, LongSupplier clock) throws SQLException {
        return init(DriverManager.getConnection(url, user, password), true, clock);
    }

    private static Ledger init(Connection c, boolean pg, LongSupplier clock) throws SQLException {
        String id = pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
        if (pg) {
            // gateways starting together would race on CREATE TABLE IF NOT EXISTS: one creates, the others wait
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(7263017)");
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS units (id " + id + ", ukey TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
                + " paths TEXT NOT NULL, owner TEXT, target TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
                + " next_attempt BIGINT NOT NULL, claimed_by TEXT, lease_until BIGINT NOT NULL DEFAULT 0,"
                + " last_error TEXT, fileset BIGINT, images TEXT, created BIGINT NOT NULL, updated BIGINT NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS units_state ON units(state, next_attempt)");
            s.execute("CREATE TABLE IF NOT EXISTS watermarks (feed TEXT PRIMARY KEY, value BIGINT NOT NULL)");
        }
        try (Statement s = c.createStatement()) {
            // ledgers made before annotations existed (still in autocommit mode here)
            s.execute(pg ? "ALTER TABLE units ADD COLUMN IF NOT EXISTS annotations TEXT"
                : "ALTER TABLE units ADD COLUMN annotations TEXT");
        } catch (SQLException alreadyThere) {
            if (pg) {
                throw alreadyThere;
            }
        }
        if (pg) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(7263017)");
            }
            c.setAutoCommit(false);
        }
        return new Ledger(c, pg, clock);
    }

    @FunctionalInterface
    private interface Tx<T> {
        T run() throws SQLException;
    }

    /** One transaction; on SQLite it takes the write lock at once (BEGIN IMMEDIATE), so claims never interleave. */
    private synchronized <T> T tx(Tx<T> t) throws SQLException {
        if (postgres) {
            try {
                T r = t.run();
                db.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        try {
            T r = t.run();
            try (Statement s = db.createStatement()) {
                s.execute("COMMIT");
            }
            return r;
        } catch (SQLException | RuntimeException e) {
            try (Statement s = db.createStatement()) {
                s.execute("ROLLBACK");
            }
            throw e;
        }
    }

    private PreparedStatement prep(String sql, Object... args) throws SQLException {
        PreparedStatement p = db.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    /** KEY=VALUE lines; newlines inside keys or values are not representable and were refused earlier. */
    private static String encode(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static Map<String, String> decode(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        if (s != null) {
            for (String line : s.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return m;
    }

    public long watermark(String feed) throws SQLException {
        return tx(() -> {
            try (PreparedStatement p = prep("SELECT value FROM watermarks WHERE feed = ?", feed);
                 ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0L;
            }
        });
    }

    /** Moves a watermark forward (never back). */
    public void advanceWatermark(String feed, long value) throws SQLException {
        tx(() -> {
            try (PreparedStatement p = prep("INSERT INTO watermarks(feed, value) VALUES (?, ?) ON CONFLICT (feed)"
                + " DO UPDATE SET value = CASE WHEN excluded.value > watermarks.value THEN excluded.value"
                + " ELSE watermarks.value END", feed, value)) {
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Adds a unit unless one with the same key exists; true when it was new. */
    public boolean enqueue(Unit u) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            try (PreparedStatement p = prep("INSERT INTO units(ukey, kind, paths, owner, target, state, next_attempt,"
                + " created, updated, annotations) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (ukey) DO NOTHING", u.key(),
                u.kind().name(), String.join("\n", u.paths()), u.owner(), u.target(), PENDING, now, now, now,
                encode(u.annotations()))) {
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Takes the oldest unit that is due (or whose previous claimer's lease ran out), for {@code lease}. */
    public Optional<Claim> claim(String gateway, Duration lease) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            String pick = "SELECT id FROM units WHERE (state = ? AND next_attempt <= ?) OR (state = ? AND lease_until < ?)"
                + " ORDER BY id LIMIT 1" + (postgres ? " FOR UPDATE SKIP LOCKED" : "");
            long id;
            try (PreparedStatement p = prep(pick, PENDING, now, CLAIMED, now); ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                id = r.getLong(1);
            }
            long until = now + lease.toMillis();
            try (PreparedStatement p = prep("UPDATE units SET state = ?, claimed_by = ?, lease_until = ?, updated = ?"
                + " WHERE id = ?", CLAIMED, gateway, until, now, id)) {
                p.executeUpdate();
            }
            try (PreparedStatement p = prep("SELECT ukey, kind, paths, owner, target, attempts, annotations FROM units"
                + " WHERE id = ?", id); ResultSet r = p.executeQuery()) {
                r.next();
                Unit u = new Unit(r.getString(1), Unit.Kind.valueOf(r.getString(2)),
                    Arrays.asList(r.getString(3).split("\n")), r.getString(4), r.getString(5), decode(r.getString(7)));
                return Optional.of(new Claim(id, u, r.getInt(6), gateway, until));
            }
        });
    }

    /**
     * Gives back the units this gateway had claimed when it stopped (a crash, kill -9): a restarted gateway does not
     * wait for its own leases to run out. The registrar's check of OMERO keeps a half-done import from repeating.
     */
    public int reclaim(String gateway) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            try (PreparedStatement p = prep("UPDATE units SET state = ?, next_attempt = ?, lease_until = 0, updated = ?"
                + " WHERE state = ? AND claimed_by = ?", PENDING, now, now, CLAIMED, gateway)) {
                return p.executeUpdate();
            }
        });
    }

    /** Records success: the OMERO fileset and images of the unit. Only the current claimer may. */
    public boolean done(Claim c, long fileset, List<Long> images) throws SQLException {
        long now = clock.getAsLong();
        StringBuilder ids = new StringBuilder();
        for (Long i : images) {
            ids.append(ids.length() == 0 ? "" : ",").append(i);
        }
        return tx(() -> {
            try (PreparedStatement p = prep("UPDATE units SET state = ?, fileset = ?, images = ?, last_error = NULL,"
                + " updated = ? WHERE id = ? AND state = ? AND claimed_by = ?", DONE, fileset, ids.toString(), now,
                c.id(), CLAIMED, c.gateway())) {
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Records a failure: retried after {@code base * 2^attempts}, or parked after {@code maxAttempts}. */
    public void failed(Claim c, String error, Duration base, int maxAttempts) throws SQLException {
        long now = clock.getAsLong();
        int attempts = c.attempts() + 1;
        boolean park = attempts >= maxAttempts;
        long next = now + base.toMillis() * (1L << Math.min(attempts - 1, 16));
        tx(() -> {
            try (PreparedStatement p = prep("UPDATE units SET state = ?, attempts = ?, next_attempt = ?, last_error = ?,"
                + " updated = ? WHERE id = ? AND claimed_by = ?", park ? PARKED : PENDING, attempts, next, error, now,
                c.id(), c.gateway())) {
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Puts parked units back in the queue (all, or the one with {@code key}); returns how many. */
    public int retry(String key) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            String where = key == null ? "" : " AND ukey = ?";
            Object[] args = key == null ? new Object[] {PENDING, now, now, PARKED}
                : new Object[] {PENDING, now, now, PARKED, key};
            try (PreparedStatement p = prep("UPDATE units SET state = ?, attempts = 0, next_attempt = ?, updated = ?"
                + " WHERE state = ?" + where, args)) {
                return p.executeUpdate();
            }
        });
    }

    public LedgerStatus status() throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            Map<String, Long> marks = new LinkedHashMap<>();
            try (PreparedStatement p = prep("SELECT feed, value FROM watermarks ORDER BY feed"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    marks.put(r.getString(1), r.getLong(2));
                }
            }
            Map<String, Long> states = new LinkedHashMap<>();
            for (String s : List.of(PENDING, CLAIMED, DONE, PARKED)) {
                states.put(s, 0L);
            }
            try (PreparedStatement p = prep("SELECT state, count(*) FROM units GROUP BY state"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    states.put(r.getString(1), r.getLong(2));
                }
            }
            List<String> errors = new ArrayList<>();
            try (PreparedStatement p = prep("SELECT ukey, state, attempts, last_error FROM units WHERE last_error IS NOT NULL"
                + " ORDER BY updated DESC LIMIT 10"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    errors.add(r.getString(1) + " [" + r.getString(2) + ", " + r.getInt(3) + " attempts]: " + r.getString(4));
                }
            }
            long recent;
            try (PreparedStatement p = prep("SELECT count(*) FROM units WHERE state = ? AND updated >= ?", DONE,
                now - 3_600_000L); ResultSet r = p.executeQuery()) {
                r.next();
                recent = r.getLong(1);
            }
            return new LedgerStatus(marks, states, errors, recent);
        });
    }

    /** The state of one unit, or null. */
    public String stateOf(String key) throws SQLException {
        return tx(() -> {
            try (PreparedStatement p = prep("SELECT state FROM units WHERE ukey = ?", key); ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        });
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }
}

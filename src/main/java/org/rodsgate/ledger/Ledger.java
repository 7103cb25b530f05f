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

    private Connection db;
    /** PostgreSQL only: replaces a connection the server dropped (SQLite is a local file). */
    private Reconnector reconnector;
    private final boolean postgres;
    private final LongSupplier clock;
    /** This open ledger's instance: unique whatever the gateway is called; every claim carries it. */
    private final String instance = java.util.UUID.randomUUID().toString();
    private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();
    private java.util.concurrent.ScheduledExecutorService beat;
    /** How far each heartbeat pushes the leases of this instance's claims (0 until {@link #startHeartbeat}). */
    private volatile long leaseOnBeat;

    private Ledger(Connection db, boolean postgres, LongSupplier clock) {
        this.db = db;
        this.postgres = postgres;
        this.clock = clock;
    }

    /** The unique id of this instance (claims record it; the gateway name is only a label beside it). */
    public String instance() {
        return instance;
    }

    /** Opens a SQLite file (created if missing). */
    public static Ledger sqlite(Path file, LongSupplier clock) throws SQLException, IOException {
        return sqlite(file, clock, true);
    }

    /**
     * Opens a SQLite file; with {@code create} false a missing file is an error (a command that only reads the
     * ledger must not make an empty one). Errors name the file. A new file is private (0600, directories 0700).
     */
    public static Ledger sqlite(Path file, LongSupplier clock, boolean create) throws SQLException, IOException {
        Path f = file.toAbsolutePath();
        if (!create && !Files.isRegularFile(f)) {
            throw new java.io.FileNotFoundException("ledger " + f + " does not exist (has a gateway run with this"
                + " config? watch.ledger.sqlite, or reverse.ledger.sqlite without a watch section, names the file)");
        }
        org.rodsgate.config.SecretFiles.createPrivateDirectories(f.getParent());
        if (!Files.exists(f)) {
            org.rodsgate.config.SecretFiles.createPrivateFile(f); // SQLite's -wal/-shm files take its mode
        }
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
        Ledger l = init(DriverManager.getConnection(url, user, password), true, clock);
        l.reconnector = new Reconnector(url, user, password, System::nanoTime);
        return l;
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
        for (String col : List.of("annotations TEXT", "claimer TEXT", "claim_token TEXT", "park_kind TEXT",
            "supersedes TEXT", "placed TEXT", "deleted BIGINT")) {
            try (Statement s = c.createStatement()) {
                // ledgers made before these columns existed (still in autocommit mode here)
                s.execute(pg ? "ALTER TABLE units ADD COLUMN IF NOT EXISTS " + col : "ALTER TABLE units ADD COLUMN " + col);
            } catch (SQLException alreadyThere) {
                if (pg) {
                    throw alreadyThere;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS instances (instance TEXT PRIMARY KEY, label TEXT NOT NULL,"
                + " host TEXT, pid BIGINT, started BIGINT NOT NULL, heartbeat BIGINT NOT NULL)");
            // DATA_IDs are unique within a zone only: gateways of several zones may share a PostgreSQL ledger
            s.execute("CREATE TABLE IF NOT EXISTS objects (zone TEXT NOT NULL, data_id BIGINT NOT NULL, path TEXT NOT"
                + " NULL, state TEXT NOT NULL, reason TEXT, ukey TEXT, size BIGINT, mtime BIGINT, checksum TEXT,"
                + " updated BIGINT NOT NULL, PRIMARY KEY (zone, data_id))");
            s.execute("CREATE INDEX IF NOT EXISTS objects_path ON objects(path)");
            s.execute("CREATE INDEX IF NOT EXISTS objects_ukey ON objects(ukey)");
            // the reverse direction: its units by OMERO fileset (deletions), and filesets seen before they finished
            s.execute("CREATE INDEX IF NOT EXISTS units_fileset ON units(fileset)");
            s.execute("CREATE TABLE IF NOT EXISTS reverse_pending (feed TEXT NOT NULL, fileset BIGINT NOT NULL,"
                + " seen BIGINT NOT NULL, PRIMARY KEY (feed, fileset))");
            // what the reverse direction wrote into iRODS: never imported back into OMERO by the watcher
            s.execute("CREATE TABLE IF NOT EXISTS reverse_written (path TEXT PRIMARY KEY, fileset BIGINT NOT NULL,"
                + " ukey TEXT NOT NULL, written BIGINT NOT NULL)");
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
            if (reconnector != null && reconnector.isLost()) {
                Connection fresh = reconnector.reconnect();
                closeQuietly(db);
                db = fresh;
            }
            try {
                T r = t.run();
                db.commit();
                return r;
            } catch (SQLException e) {
                if (reconnector != null && Reconnector.connectionLost(e, db)) {
                    reconnector.lost(e); // the transaction is not retried: the next one reconnects
                    throw e;
                }
                db.rollback();
                throw e;
            } catch (RuntimeException e) {
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

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a connection the server already dropped
        }
    }

    /** One statement in a transaction of its own; returns how many rows it changed. */
    private int update(String sql, Object... args) throws SQLException {
        return tx(() -> {
            try (PreparedStatement p = prep(sql, args)) {
                return p.executeUpdate();
            }
        });
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

    private static String ids(List<Long> ids) {
        StringBuilder b = new StringBuilder();
        for (Long i : ids) {
            b.append(b.length() == 0 ? "" : ",").append(i);
        }
        return b.toString();
    }

    private static List<Long> parseIds(String s) {
        List<Long> out = new ArrayList<>();
        if (s != null) {
            for (String x : s.split(",")) {
                if (!x.isBlank()) {
                    out.add(Long.parseLong(x.trim()));
                }
            }
        }
        return out;
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
        update("INSERT INTO watermarks(feed, value) VALUES (?, ?) ON CONFLICT (feed)"
                + " DO UPDATE SET value = CASE WHEN excluded.value > watermarks.value THEN excluded.value"
                + " ELSE watermarks.value END", feed, value);
    }

    /** Adds a unit unless one with the same key exists; true when it was new. */
    public boolean enqueue(Unit u) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            return insert(u, PENDING, null, null, now);
        });
    }

    private boolean insert(Unit u, String state, String parkKind, String why, long now) throws SQLException {
        Long fileset = u.kind() == Unit.Kind.FILESET ? u.omeroFileset() : null;
        try (PreparedStatement p = prep("INSERT INTO units(ukey, kind, paths, owner, target, state, next_attempt,"
            + " created, updated, annotations, supersedes, fileset, park_kind, last_error) VALUES"
            + " (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (ukey) DO NOTHING",
            u.key(), u.kind().name(), String.join("\n", u.paths()), u.owner(), u.target(), state, now, now, now,
            encode(u.annotations()), ids(u.supersedes()), fileset, parkKind, why)) {
            return p.executeUpdate() == 1;
        }
    }

    /**
     * Adds a unit that is parked from the start ({@code kind} says until what, {@code why} in words: e.g. an OMERO
     * import that failed), unless one with the same key exists; true when it was new. {@link #retry} queues it.
     */
    public boolean enqueueParked(Unit u, String kind, String why) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> insert(u, PARKED, kind, why, now));
    }

    /** The forward direction's {@link #claim(String, Duration, Unit.Direction)} (the watcher's units only). */
    public Optional<Claim> claim(String gateway, Duration lease) throws SQLException {
        return claim(gateway, lease, Unit.Direction.FORWARD);
    }

    /** SQL "kind IN ('A', 'B')" for a direction's kinds (enum names: nothing to escape). */
    private static String kindsOf(Unit.Direction d) {
        return "kind IN ('" + String.join("', '", d.kinds()) + "')";
    }

    /**
     * Takes the oldest unit of {@code direction} that is due (or whose previous claimer's lease ran out), for
     * {@code lease}: the watcher never takes an OMERO fileset, the reverse worker never an iRODS path.
     */
    public Optional<Claim> claim(String gateway, Duration lease, Unit.Direction direction) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            String pick = "SELECT id FROM units WHERE " + kindsOf(direction) + " AND ((state = ? AND next_attempt <= ?)"
                + " OR (state = ? AND lease_until < ?)) ORDER BY id LIMIT 1" + (postgres ? " FOR UPDATE SKIP LOCKED" : "");
            long id;
            try (PreparedStatement p = prep(pick, PENDING, now, CLAIMED, now); ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                id = r.getLong(1);
            }
            long until = now + lease.toMillis();
            String token = instance + "/" + claims.incrementAndGet();
            try (PreparedStatement p = prep("UPDATE units SET state = ?, claimed_by = ?, claimer = ?, claim_token = ?,"
                + " lease_until = ?, updated = ? WHERE id = ?", CLAIMED, gateway, instance, token, until, now, id)) {
                p.executeUpdate();
            }
            try (PreparedStatement p = prep("SELECT ukey, kind, paths, owner, target, attempts, annotations, supersedes"
                + " FROM units WHERE id = ?", id); ResultSet r = p.executeQuery()) {
                r.next();
                Unit u = new Unit(r.getString(1), Unit.Kind.valueOf(r.getString(2)),
                    Arrays.asList(r.getString(3).split("\n")), r.getString(4), r.getString(5), decode(r.getString(7)),
                    parseIds(r.getString(8)));
                return Optional.of(new Claim(id, u, r.getInt(6), gateway, until, token));
            }
        });
    }

    /**
     * Records this instance as alive under {@code label} and keeps its heartbeat every {@code interval} on a daemon
     * thread until {@link #close()}; each beat also extends the leases of this instance's claims to 12 intervals
     * from then, so an import longer than its first lease is not taken over while its watcher lives. Returns the
     * instance id.
     */
    public String startHeartbeat(String label, Duration interval) throws SQLException {
        leaseOnBeat = interval.toMillis() * 12;
        long now = clock.getAsLong();
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "?";
        }
        String h = host;
        tx(() -> {
            try (PreparedStatement p = prep("INSERT INTO instances(instance, label, host, pid, started, heartbeat)"
                + " VALUES (?,?,?,?,?,?)", instance, label, h, ProcessHandle.current().pid(), now, now)) {
                p.executeUpdate();
            }
            // instances gone for a week hold no claim worth knowing about: the table stays small
            try (PreparedStatement p = prep("DELETE FROM instances WHERE heartbeat < ? AND instance NOT IN (SELECT"
                + " claimer FROM units WHERE state = ? AND claimer IS NOT NULL)", now - 7 * 86_400_000L, CLAIMED)) {
                p.executeUpdate();
            }
            return null;
        });
        beat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rodsgate-ledger-heartbeat");
            t.setDaemon(true);
            return t;
        });
        beat.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
            } catch (SQLException e) {
                java.util.logging.Logger.getLogger(Ledger.class.getName()).warning("ledger heartbeat: " + e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return instance;
    }

    /** Tells the ledger this instance is alive (also done by {@link #startHeartbeat}). */
    public void heartbeat() throws SQLException {
        long now = clock.getAsLong();
        tx(() -> {
            try (PreparedStatement p = prep("UPDATE instances SET heartbeat = ? WHERE instance = ?", now, instance)) {
                p.executeUpdate();
            }
            if (leaseOnBeat > 0) {
                try (PreparedStatement p = prep("UPDATE units SET lease_until = ? WHERE state = ? AND claimer = ?"
                    + " AND lease_until < ?", now + leaseOnBeat, CLAIMED, instance, now + leaseOnBeat)) {
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * Gives back to the queue the units claimed by instances silent for longer than {@code silence} (a crash,
     * kill -9), whatever their label: a restarted gateway does not wait for the leases to run out, and a live
     * gateway of the same name keeps its claims. Units claimed before instances were recorded (no claimer) wait for
     * their lease. The registrar's check of OMERO keeps a half-done import from repeating.
     */
    public int reclaimDead(Duration silence) throws SQLException {
        long now = clock.getAsLong();
        return update("UPDATE units SET state = ?, next_attempt = ?, lease_until = 0, updated = ?"
                + " WHERE state = ? AND claimer IS NOT NULL AND claimer <> ? AND claimer NOT IN (SELECT instance FROM"
                + " instances WHERE heartbeat >= ?)", PENDING, now, now, CLAIMED, instance, now - silence.toMillis());
    }

    /** Records success: the OMERO fileset and images of the unit. Only the current claimer may. */
    public boolean done(Claim c, long fileset, List<Long> images) throws SQLException {
        long now = clock.getAsLong();
        StringBuilder ids = new StringBuilder();
        for (Long i : images) {
            ids.append(ids.length() == 0 ? "" : ",").append(i);
        }
        return update("UPDATE units SET state = ?, fileset = ?, images = ?, last_error = NULL,"
                + " park_kind = NULL, updated = ? WHERE id = ? AND state = ? AND claim_token = ?", DONE, fileset,
                ids.toString(), now, c.id(), CLAIMED, c.token()) == 1;
    }

    /** Records a failure: retried after {@code base * 2^attempts}, or parked after {@code maxAttempts}. */
    public void failed(Claim c, String error, Duration base, int maxAttempts) throws SQLException {
        long now = clock.getAsLong();
        int attempts = c.attempts() + 1;
        boolean park = attempts >= maxAttempts;
        long next = now + base.toMillis() * (1L << Math.min(attempts - 1, 16));
        update("UPDATE units SET state = ?, attempts = ?, next_attempt = ?, last_error = ?,"
                + " park_kind = ?, updated = ? WHERE id = ? AND state = ? AND claim_token = ?", park ? PARKED : PENDING,
                attempts, next, error, park ? "attempts" : null, now, c.id(), CLAIMED, c.token());
    }

    /**
     * Parks a unit at once with {@code why}: retrying would not help until {@code kind} passes ("mount": the mount
     * answering again; see {@link #retryParked}).
     */
    public void park(Claim c, String kind, String why) throws SQLException {
        long now = clock.getAsLong();
        update("UPDATE units SET state = ?, last_error = ?, park_kind = ?, updated = ?"
                + " WHERE id = ? AND state = ? AND claim_token = ?", PARKED, why, kind, now, c.id(), CLAIMED, c.token());
    }

    /** Queues again the units parked for {@code kind} (e.g. "mount", once the mount answers); returns how many. */
    public int retryParked(String kind) throws SQLException {
        long now = clock.getAsLong();
        return update("UPDATE units SET state = ?, next_attempt = ?, park_kind = NULL,"
                + " last_error = NULL, updated = ? WHERE state = ? AND park_kind = ?", PENDING, now, now, PARKED, kind);
    }

    // ---- the reverse direction (OMERO → iRODS): units of kind FILESET ----

    /**
     * Takes the unit {@code key} now, whatever its backoff ({@code rodsgate push}): when it is pending or parked,
     * done without placing anything ({@link #doneNotPlaced}: the rules may have changed), or claimed with a lease
     * that ran out. Empty when it is done, or claimed by a live claimer.
     */
    public Optional<Claim> claimKey(String gateway, Duration lease, String key) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            long id;
            int attempts;
            try (PreparedStatement p = prep("SELECT id, attempts FROM units WHERE ukey = ? AND (state IN (?, ?) OR (state"
                + " = ? AND lease_until < ?) OR (state = ? AND park_kind = ?))" + (postgres ? " FOR UPDATE SKIP LOCKED"
                : ""), key, PENDING, PARKED, CLAIMED, now, DONE, NOT_PLACED); ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                id = r.getLong(1);
                attempts = r.getInt(2);
            }
            long until = now + lease.toMillis();
            String token = instance + "/" + claims.incrementAndGet();
            try (PreparedStatement p = prep("UPDATE units SET state = ?, claimed_by = ?, claimer = ?, claim_token = ?,"
                + " lease_until = ?, park_kind = NULL, updated = ? WHERE id = ?", CLAIMED, gateway, instance, token, until,
                now, id)) {
                p.executeUpdate();
            }
            try (PreparedStatement p = prep("SELECT ukey, kind, paths, owner, target, annotations, supersedes FROM units"
                + " WHERE id = ?", id); ResultSet r = p.executeQuery()) {
                r.next();
                Unit u = new Unit(r.getString(1), Unit.Kind.valueOf(r.getString(2)),
                    Arrays.asList(r.getString(3).split("\n")), r.getString(4), r.getString(5), decode(r.getString(6)),
                    parseIds(r.getString(7)));
                return Optional.of(new Claim(id, u, attempts, gateway, until, token));
            }
        });
    }

    /**
     * Gives a claimed unit back without counting a failure: it may not start before {@code notBeforeMillis} (a
     * placement's time window is closed). Only the current claimer may.
     */
    /**
     * Puts a claimed unit off for {@code delay} without counting an attempt, recording {@code why}: the cause was an
     * outage of a server (iRODS not answering), not the unit, so an outage of any length never parks a backlog.
     */
    public void putOff(Claim c, Duration delay, String why) throws SQLException {
        long now = clock.getAsLong();
        update("UPDATE units SET state = ?, next_attempt = ?, lease_until = 0, last_error = ?,"
                + " updated = ? WHERE id = ? AND state = ? AND claim_token = ?", PENDING, now + delay.toMillis(), why, now,
                c.id(), CLAIMED, c.token());
    }

    public void defer(Claim c, long notBeforeMillis) throws SQLException {
        long now = clock.getAsLong();
        update("UPDATE units SET state = ?, next_attempt = ?, lease_until = 0, updated = ?"
                + " WHERE id = ? AND state = ? AND claim_token = ?", PENDING, Math.max(now, notBeforeMillis), now,
                c.id(), CLAIMED, c.token());
    }

    /**
     * Records the iRODS paths a reverse unit wrote (copied or registered), before it is described and done: the
     * watcher of the forward direction skips them from then on (no loop). Only the current claimer may; a path
     * written again for another fileset names the latest.
     */
    public void written(Claim c, long fileset, List<String> irodsPaths) throws SQLException {
        long now = clock.getAsLong();
        tx(() -> {
            try (PreparedStatement p = prep("SELECT 1 FROM units WHERE id = ? AND state = ? AND claim_token = ?", c.id(),
                CLAIMED, c.token()); ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
            }
            for (String path : irodsPaths) {
                try (PreparedStatement p = prep("INSERT INTO reverse_written(path, fileset, ukey, written) VALUES"
                    + " (?,?,?,?) ON CONFLICT (path) DO UPDATE SET fileset = excluded.fileset, ukey = excluded.ukey,"
                    + " written = excluded.written", path, fileset, c.unit().key(), now)) {
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * Records success of a reverse unit: its OMERO images and the iRODS paths it placed (kept for deletions).
     * Returns when OMERO deleted the fileset meanwhile ({@link #filesetDeleted}), epoch ms: then its objects must
     * be marked deleted now; -1 when it was not; {@code Long.MIN_VALUE} when the claim was lost (no change made).
     */
    public long doneReverse(Claim c, List<Long> images, List<String> irodsPaths) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            try (PreparedStatement p = prep("UPDATE units SET state = ?, images = ?, placed = ?, last_error = NULL,"
                + " park_kind = NULL, updated = ? WHERE id = ? AND state = ? AND claim_token = ?", DONE, ids(images),
                String.join("\n", irodsPaths), now, c.id(), CLAIMED, c.token())) {
                if (p.executeUpdate() != 1) {
                    return Long.MIN_VALUE;
                }
            }
            try (PreparedStatement p = prep("SELECT deleted FROM units WHERE id = ?", c.id());
                 ResultSet r = p.executeQuery()) {
                r.next();
                long d = r.getLong(1);
                return r.wasNull() ? -1L : d;
            }
        });
    }

    /** {@code park_kind} of a reverse unit done without placing anything ({@link #doneNotPlaced}). */
    public static final String NOT_PLACED = "not-placed";

    /**
     * Records a reverse unit done without placing anything, with {@code why} (shown by {@code status}, kept as its
     * last error with park kind {@link #NOT_PLACED}): its rule says nothing is to be placed, and retrying would not
     * change that. {@code retry KEY} queues it again (e.g. after the rules were changed). Only the current claimer
     * may; false when the claim was lost.
     */
    public boolean doneNotPlaced(Claim c, String why) throws SQLException {
        long now = clock.getAsLong();
        return update("UPDATE units SET state = ?, placed = ?, last_error = ?, park_kind = ?,"
                + " updated = ? WHERE id = ? AND state = ? AND claim_token = ?", DONE, "", why, NOT_PLACED, now,
                c.id(), CLAIMED, c.token()) == 1;
    }

    /** When OMERO deleted this fileset as the ledger knows it (epoch ms), or -1. */
    public long deletedAt(long fileset) throws SQLException {
        return tx(() -> {
            try (PreparedStatement p = prep("SELECT min(deleted) FROM units WHERE kind = ? AND fileset = ?",
                Unit.Kind.FILESET.name(), fileset); ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return -1L;
                }
                long d = r.getLong(1);
                return r.wasNull() ? -1L : d;
            }
        });
    }

    /**
     * OMERO deleted {@code fileset} at {@code atMillis}: recorded on its reverse units (the first time is kept),
     * and returned: the iRODS paths its finished units placed, to mark deleted. A unit not finished yet marks its
     * own objects when it finishes ({@link #doneReverse} returns the time). Same row lock as doneReverse, so one of
     * the two always sees the other.
     */
    public List<String> filesetDeleted(long fileset, long atMillis) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            try (PreparedStatement p = prep("UPDATE units SET deleted = ?, updated = ? WHERE kind = ? AND fileset = ? AND"
                + " deleted IS NULL", atMillis, now, Unit.Kind.FILESET.name(), fileset)) {
                p.executeUpdate();
            }
            try (PreparedStatement p = prep("DELETE FROM reverse_pending WHERE fileset = ?", fileset)) {
                p.executeUpdate();
            }
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = prep("SELECT placed FROM units WHERE kind = ? AND fileset = ? AND state = ? AND"
                + " placed IS NOT NULL ORDER BY id", Unit.Kind.FILESET.name(), fileset, DONE);
                 ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    for (String path : r.getString(1).split("\n")) {
                        if (!path.isEmpty() && !out.contains(path)) {
                            out.add(path);
                        }
                    }
                }
            }
            return out;
        });
    }

    /** The iRODS paths the reverse unit {@code ukey} wrote (or was about to write), in path order. */
    public List<String> writtenFor(String ukey) throws SQLException {
        return tx(() -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = prep("SELECT path FROM reverse_written WHERE ukey = ? ORDER BY path", ukey);
                 ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    /**
     * The OMERO fileset whose reverse unit wrote {@code irodsPath} ({@link #written}), or -1: the forward watcher
     * does not import it back (no loop).
     */
    public long writtenBy(String irodsPath) throws SQLException {
        return tx(() -> {
            try (PreparedStatement p = prep("SELECT fileset FROM reverse_written WHERE path = ?", irodsPath);
                 ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : -1L;
            }
        });
    }

    /** Remembers OMERO filesets of {@code feed} seen before their import finished (the first sighting is kept). */
    public void addPending(String feed, List<Long> filesets) throws SQLException {
        if (filesets.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        tx(() -> {
            for (Long f : filesets) {
                try (PreparedStatement p = prep("INSERT INTO reverse_pending(feed, fileset, seen) VALUES (?,?,?) ON"
                    + " CONFLICT (feed, fileset) DO NOTHING", feed, f, now)) {
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Forgets pending filesets (finished and queued, deleted, or given up on). */
    public void removePending(String feed, List<Long> filesets) throws SQLException {
        if (filesets.isEmpty()) {
            return;
        }
        tx(() -> {
            for (Long f : filesets) {
                try (PreparedStatement p = prep("DELETE FROM reverse_pending WHERE feed = ? AND fileset = ?", feed, f)) {
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The pending filesets of {@code feed} with an id at most {@code upTo}, as id → first seen (epoch ms). */
    public Map<Long, Long> pending(String feed, long upTo) throws SQLException {
        return tx(() -> {
            Map<Long, Long> out = new LinkedHashMap<>();
            try (PreparedStatement p = prep("SELECT fileset, seen FROM reverse_pending WHERE feed = ? AND fileset <= ?"
                + " ORDER BY fileset", feed, upTo); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getLong(1), r.getLong(2));
                }
            }
            return out;
        });
    }

    /** Queues again the unit {@code key} if it is parked for {@code kind}; returns how many (0 or 1). */
    public int retryParked(String key, String kind) throws SQLException {
        long now = clock.getAsLong();
        return update("UPDATE units SET state = ?, attempts = 0, next_attempt = ?, park_kind ="
                + " NULL, last_error = NULL, updated = ? WHERE ukey = ? AND state = ? AND park_kind = ?", PENDING, now,
                now, key, PARKED, kind);
    }

    /** Puts parked units back in the queue (all, or the one with {@code key}); returns how many. */
    public int retry(String key) throws SQLException {
        return retry(key, null);
    }

    /**
     * Puts parked units back in the queue: the one with {@code key}, or (key null) all of {@code direction} (both
     * when null); returns how many.
     */
    public int retry(String key, Unit.Direction direction) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            // one unit named by its key: also one done without placing anything (its rule may have changed)
            String where = (key == null ? "" : " AND ukey = ?") + (direction == null ? "" : " AND " + kindsOf(direction));
            Object[] args = key == null ? new Object[] {PENDING, now, now, PARKED}
                : new Object[] {PENDING, now, now, PARKED, DONE, NOT_PLACED, key};
            try (PreparedStatement p = prep("UPDATE units SET state = ?, attempts = 0, next_attempt = ?, park_kind = NULL,"
                + " last_error = NULL, updated = ? WHERE " + (key == null ? "state = ?"
                : "(state = ? OR (state = ? AND park_kind = ?))") + where, args)) {
                return p.executeUpdate();
            }
        });
    }

    /** The states {@link #filesets} lists reverse units in (and "importing" for unfinished imports it watches). */
    public static final List<String> FILESET_STATES = List.of("pending", "waiting", "failing", "placing", "placed",
        "not-placed", "parked", "importing");

    /** One reverse unit (or unfinished import) as {@code status --list} shows it. */
    public record FilesetState(String key, String state, String reason) {}

    /**
     * The reverse direction's units, in queue order, with the state a person asks about — pending, waiting (for its
     * copy window, until when), failing (attempt, next try, last error), placing, placed, not-placed (why),
     * parked (why) — and the unfinished imports the feed watches (importing); all, or those in {@code state} (one
     * of {@link #FILESET_STATES}); at most {@code limit}.
     */
    public List<FilesetState> filesets(String state, int limit) throws SQLException {
        long now = clock.getAsLong();
        String shown = "CASE WHEN state = 'pending' AND last_error IS NOT NULL THEN 'failing' WHEN state = 'pending'"
            + " AND next_attempt > ? THEN 'waiting' WHEN state = 'claimed' THEN 'placing' WHEN state = 'done' AND"
            + " park_kind = '" + NOT_PLACED + "' THEN 'not-placed' WHEN state = 'done' THEN 'placed' ELSE state END";
        return tx(() -> {
            List<FilesetState> out = new ArrayList<>();
            if (!"importing".equals(state)) {
                String sql = "SELECT ukey, " + shown + ", attempts, next_attempt, last_error, placed FROM units WHERE "
                    + kindsOf(Unit.Direction.REVERSE) + (state == null ? "" : " AND " + shown + " = ?")
                    + " ORDER BY id LIMIT " + limit;
                Object[] args = state == null ? new Object[] {now} : new Object[] {now, now, state};
                try (PreparedStatement p = prep(sql, args); ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String st = r.getString(2);
                        String err = r.getString(5);
                        String when = java.time.Instant.ofEpochMilli(r.getLong(4)).truncatedTo(
                            java.time.temporal.ChronoUnit.SECONDS).toString();
                        String placed = r.getString(6);
                        String reason = switch (st) {
                            case "failing" -> "attempt " + r.getInt(3) + " failed, next try " + when + ": " + err;
                            case "waiting" -> "waits until " + when + " (its copy window)";
                            case "placed" -> (placed == null || placed.isEmpty() ? 0 : placed.split("\n").length)
                                + " object(s) in iRODS";
                            case "pending" -> "queued";
                            case "placing" -> "being placed now";
                            default -> err == null ? "" : err;
                        };
                        out.add(new FilesetState(r.getString(1), st, reason));
                    }
                }
            }
            if ((state == null || state.equals("importing")) && out.size() < limit) {
                try (PreparedStatement p = prep("SELECT DISTINCT fileset, seen FROM reverse_pending ORDER BY fileset"
                    + " LIMIT " + (limit - out.size())); ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new FilesetState("Fileset:" + r.getLong(1), "importing", "unfinished import in OMERO,"
                            + " seen since " + java.time.Instant.ofEpochMilli(r.getLong(2)).truncatedTo(
                            java.time.temporal.ChronoUnit.SECONDS)));
                    }
                }
            }
            return out;
        });
    }

    /** The forward direction's status (the watcher's feeds, units and data objects). */
    public LedgerStatus status() throws SQLException {
        return status(Unit.Direction.FORWARD);
    }

    /** Feeds whose watermark names start with this belong to the reverse direction. */
    public static final String REVERSE_FEEDS = "reverse-";

    /**
     * One direction's status: its watermarks, its units by state, its latest errors and throughput; data objects
     * (the watcher's view of iRODS) for the forward direction, and for the reverse one the filesets pending.
     */
    public LedgerStatus status(Unit.Direction direction) throws SQLException {
        long now = clock.getAsLong();
        boolean reverse = direction == Unit.Direction.REVERSE;
        String kinds = kindsOf(direction);
        return tx(() -> {
            Map<String, Long> marks = new LinkedHashMap<>();
            try (PreparedStatement p = prep("SELECT feed, value FROM watermarks ORDER BY feed"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (r.getString(1).startsWith(REVERSE_FEEDS) == reverse) {
                        marks.put(r.getString(1), r.getLong(2));
                    }
                }
            }
            Map<String, Long> states = new LinkedHashMap<>();
            for (String s : List.of(PENDING, CLAIMED, DONE, PARKED)) {
                states.put(s, 0L);
            }
            try (PreparedStatement p = prep("SELECT state, count(*) FROM units WHERE " + kinds + " GROUP BY state");
                 ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    states.put(r.getString(1), r.getLong(2));
                }
            }
            List<String> errors = new ArrayList<>();
            try (PreparedStatement p = prep("SELECT ukey, state, attempts, last_error FROM units WHERE " + kinds
                + " AND last_error IS NOT NULL ORDER BY updated DESC LIMIT 10"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    errors.add(r.getString(1) + " [" + r.getString(2) + ", " + r.getInt(3) + " attempts]: " + r.getString(4));
                }
            }
            long recent;
            try (PreparedStatement p = prep("SELECT count(*) FROM units WHERE " + kinds + " AND state = ? AND updated >= ?",
                DONE, now - 3_600_000L); ResultSet r = p.executeQuery()) {
                r.next();
                recent = r.getLong(1);
            }
            Map<String, Long> objects;
            if (reverse) {
                objects = new LinkedHashMap<>();
                try (PreparedStatement p = prep("SELECT count(*) FROM reverse_pending"); ResultSet r = p.executeQuery()) {
                    r.next();
                    objects.put("filesets importing", r.getLong(1));
                }
            } else {
                objects = objectCountsInTx();
            }
            return new LedgerStatus(marks, states, objects, errors, recent);
        });
    }

    /**
     * How long the oldest pending unit (queued, or failed and waiting for its retry) has been in the ledger: now
     * minus its creation time (a unit queued again by {@code retry} counts from its first queueing);
     * {@link Duration#ZERO} when none is pending. One indexed query (units_state).
     */
    public Duration oldestPendingAge() throws SQLException {
        return oldestPendingAge(Unit.Direction.FORWARD);
    }

    /** {@link #oldestPendingAge()} of one direction's units. */
    public Duration oldestPendingAge(Unit.Direction direction) throws SQLException {
        long now = clock.getAsLong();
        return tx(() -> {
            try (PreparedStatement p = prep("SELECT min(created) FROM units WHERE state = ? AND " + kindsOf(direction),
                PENDING);
                 ResultSet r = p.executeQuery()) {
                r.next(); // min() answers one row, NULL when nothing is pending
                long oldest = r.getLong(1);
                return r.wasNull() ? Duration.ZERO : Duration.ofMillis(Math.max(0, now - oldest));
            }
        });
    }

    // ---- data objects: every object under a watched collection has exactly one row, hence one state ----

    /** Object row states; {@link #QUEUED} defers to its unit's state (queued, failed, registering, registered, parked). */
    public static final String WAITING = "waiting";
    public static final String EXCLUDED = "excluded";
    public static final String QUEUED = "queued";
    public static final String STALE = "stale";

    /** What the ledger says of one data object: its effective state, why, and its unit. */
    public record ObjectState(long dataId, String path, String state, String reason, String unit, long size,
                              long mtime) {}

    /** A registration on record for a path: the object it was made from and what OMERO holds. */
    public record Registration(long dataId, long size, long mtime, String checksum, long fileset, String unit) {}

    private static final String EFFECTIVE = "CASE WHEN o.state = 'queued' THEN CASE u.state"
        + " WHEN 'pending' THEN CASE WHEN u.last_error IS NULL THEN 'queued' ELSE 'failed' END"
        + " WHEN 'claimed' THEN 'registering' WHEN 'done' THEN 'registered' ELSE u.state END ELSE o.state END";

    /**
     * Records the state of a data object (one row per DATA_ID, replaced): {@code state} one of WAITING, EXCLUDED,
     * PARKED, QUEUED (then {@code unit} names the unit), STALE (then {@code unit} names the registration it
     * outdates); {@code reason} says what it waits for, which rule excluded it, why it is parked or what changed.
     */
    public void record(long dataId, String path, String state, String reason, String unit, long size, long mtime,
                       String checksum) throws SQLException {
        long now = clock.getAsLong();
        update("INSERT INTO objects(zone, data_id, path, state, reason, ukey, size, mtime,"
                + " checksum, updated) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (zone, data_id) DO UPDATE SET path ="
                + " excluded.path, state = excluded.state, reason = excluded.reason, ukey = excluded.ukey, size ="
                + " excluded.size, mtime = excluded.mtime, checksum = excluded.checksum, updated = excluded.updated",
                zone(path), dataId, path, state, reason, unit, size, mtime, checksum, now);
    }

    /** The zone of an iRODS path (its first component): DATA_IDs are unique within it. */
    private static String zone(String path) {
        int slash = path.indexOf('/', 1);
        return slash < 0 ? path : path.substring(0, slash);
    }

    /** Forgets an object that no longer exists (deleted before it was registered, or replaced); {@code path} names
     *  its zone. */
    public void forget(String path, long dataId) throws SQLException {
        update("DELETE FROM objects WHERE zone = ? AND data_id = ?", zone(path), dataId);
    }

    /** The state the ledger holds for one data object (at {@code path}, in its zone), or null when it has none. */
    public ObjectState object(String path, long dataId) throws SQLException {
        List<ObjectState> l = objectsWhere("o.zone = ? AND o.data_id = ?", 1, zone(path), dataId);
        return l.isEmpty() ? null : l.get(0);
    }

    /** The object recorded at {@code path} (its latest data id), or null when none is. */
    public ObjectState objectAt(String path) throws SQLException {
        List<ObjectState> l = objectsWhere("o.path = ?", 1, path);
        return l.isEmpty() ? null : l.get(0);
    }

    /** Objects in effective state {@code state} (all when null), by path, at most {@code limit}. */
    public List<ObjectState> objects(String state, int limit) throws SQLException {
        return state == null ? objectsWhere(null, limit) : objectsWhere(EFFECTIVE + " = ?", limit, state);
    }

    private List<ObjectState> objectsWhere(String where, int limit, Object... args) throws SQLException {
        return tx(() -> {
            List<ObjectState> out = new ArrayList<>();
            String sql = "SELECT o.data_id, o.path, " + EFFECTIVE + ", CASE WHEN o.state = 'queued' THEN"
                + " CASE WHEN u.state = 'done' THEN 'Fileset:' || u.fileset || ' Image:' || u.images ELSE u.last_error"
                + " END ELSE o.reason END, o.ukey, o.size, o.mtime FROM objects o LEFT JOIN units u ON u.ukey = o.ukey"
                + (where == null ? "" : " WHERE " + where) + " ORDER BY o.path, o.data_id LIMIT " + limit;
            try (PreparedStatement p = prep(sql, args); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new ObjectState(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getLong(6), r.getLong(7)));
                }
            }
            return out;
        });
    }

    /** How many objects are in each effective state. */
    public Map<String, Long> objectCounts() throws SQLException {
        return tx(this::objectCountsInTx);
    }

    private Map<String, Long> objectCountsInTx() throws SQLException {
        Map<String, Long> m = new java.util.TreeMap<>();
        try (PreparedStatement p = prep("SELECT " + EFFECTIVE + ", count(*) FROM objects o LEFT JOIN units u ON"
            + " u.ukey = o.ukey GROUP BY 1"); ResultSet r = p.executeQuery()) {
            while (r.next()) {
                m.put(r.getString(1), r.getLong(2));
            }
        }
        return m;
    }

    /**
     * The registration on record for {@code path}, or null: the latest object at that path whose unit was
     * registered (or that was marked stale against it).
     */
    public Registration registration(String path) throws SQLException {
        return tx(() -> {
            try (PreparedStatement p = prep("SELECT o.data_id, o.size, o.mtime, o.checksum, u.fileset, u.ukey FROM"
                + " objects o JOIN units u ON u.ukey = o.ukey WHERE o.path = ? AND u.state = ? AND o.state IN (?, ?)"
                + " ORDER BY o.updated DESC, o.data_id DESC LIMIT 1", path, DONE, QUEUED, STALE);
                 ResultSet r = p.executeQuery()) {
                return r.next() ? new Registration(r.getLong(1), r.getLong(2), r.getLong(3), r.getString(4),
                    r.getLong(5), r.getString(6)) : null;
            }
        });
    }

    /** A unit as it stands: state, park kind, failed attempts, next try (epoch ms), last error (null: none). */
    public record UnitState(String state, String parkKind, int attempts, long nextAttempt, String lastError) {}

    /** The unit {@code key} as it stands, or null when the ledger has none. */
    public UnitState unitState(String key) throws SQLException {
        return tx(() -> {
            try (PreparedStatement p = prep("SELECT state, park_kind, attempts, next_attempt, last_error FROM units"
                + " WHERE ukey = ?", key); ResultSet r = p.executeQuery()) {
                return r.next() ? new UnitState(r.getString(1), r.getString(2), r.getInt(3), r.getLong(4),
                    r.getString(5)) : null;
            }
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
    public void close() throws SQLException {
        if (beat != null) {
            beat.shutdownNow();
        }
        synchronized (this) {
            db.close();
        }
    }
}

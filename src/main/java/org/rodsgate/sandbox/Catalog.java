package org.rodsgate.sandbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.Paths;

/**
 * The sandbox's catalog: users and groups, collections, data objects (one replica each, on resource
 * {@value #RESOURCE}), ACLs and AVUs, in an embedded SQLite file. Ids come from one sequence, as in iRODS, so an
 * id names exactly one object. All access goes through {@link #tx}, which serialises callers.
 */
final class Catalog implements AutoCloseable {
    static final String RESOURCE = "demoResc";
    static final long RESOURCE_ID = 9101;

    record User(long id, String name, String zone, String type) {
        boolean isAdmin() {
            return "rodsadmin".equals(type);
        }
    }

    record Coll(long id, String name, String parent, String owner, boolean inherit, String createTs,
                String modifyTs) {}

    record Data(long id, long collId, String path, long size, int replStatus, String checksum, String owner,
                String createTs, String modifyTs, String dataType) {}

    @FunctionalInterface
    interface SqlFn<T> {
        T apply(Catalog c) throws SQLException, SandboxError;
    }

    private final Connection db;
    private final String zone;
    private final ReentrantLock lock = new ReentrantLock();

    private Catalog(Connection db, String zone) {
        this.db = db;
        this.zone = zone;
    }

    static Catalog open(Path file, String zone) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA case_sensitive_like=ON");
            s.execute("CREATE TABLE IF NOT EXISTS seq (id INTEGER PRIMARY KEY AUTOINCREMENT, x INTEGER)");
            s.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, zone TEXT NOT NULL,"
                + " type TEXT NOT NULL, create_ts TEXT, modify_ts TEXT, UNIQUE(name, zone))");
            s.execute("CREATE TABLE IF NOT EXISTS passwords (user_id INTEGER NOT NULL, password TEXT NOT NULL,"
                + " kind TEXT NOT NULL, expiry INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS group_members (group_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"
                + " PRIMARY KEY(group_id, user_id))");
            s.execute("CREATE TABLE IF NOT EXISTS colls (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                + " parent_name TEXT NOT NULL, owner_name TEXT, owner_zone TEXT, inherit INTEGER DEFAULT 0,"
                + " create_ts TEXT, modify_ts TEXT)");
            s.execute("CREATE INDEX IF NOT EXISTS colls_parent ON colls(parent_name)");
            s.execute("CREATE TABLE IF NOT EXISTS data (id INTEGER PRIMARY KEY, coll_id INTEGER NOT NULL,"
                + " name TEXT NOT NULL, repl_num INTEGER DEFAULT 0, size INTEGER DEFAULT 0,"
                + " repl_status INTEGER DEFAULT 1, checksum TEXT DEFAULT '', owner_name TEXT, owner_zone TEXT,"
                + " data_type TEXT DEFAULT 'generic', create_ts TEXT, modify_ts TEXT, data_path TEXT,"
                + " UNIQUE(coll_id, name, repl_num))");
            s.execute("CREATE TABLE IF NOT EXISTS access (object_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"
                + " access_type INTEGER NOT NULL, create_ts TEXT, modify_ts TEXT, PRIMARY KEY(object_id, user_id))");
            s.execute("CREATE INDEX IF NOT EXISTS access_user ON access(user_id)");
            s.execute("CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                + " value TEXT NOT NULL, units TEXT DEFAULT '', create_ts TEXT, modify_ts TEXT)");
            s.execute("CREATE TABLE IF NOT EXISTS metamap (object_id INTEGER NOT NULL, meta_id INTEGER NOT NULL,"
                + " PRIMARY KEY(object_id, meta_id))");
            s.execute("CREATE INDEX IF NOT EXISTS metamap_meta ON metamap(meta_id)");
            s.execute("CREATE TABLE IF NOT EXISTS specific_queries (alias TEXT PRIMARY KEY, sql TEXT NOT NULL)");
            // the iCAT's table and column names over the sandbox's own tables, for specific queries registered by a
            // rodsadmin (SQL written against the iCAT, e.g. "select DATA_NAME from R_DATA_MAIN")
            s.execute("CREATE VIEW IF NOT EXISTS R_DATA_MAIN AS SELECT id AS data_id, coll_id, name AS data_name,"
                + " repl_num AS data_repl_num, size AS data_size, repl_status AS data_is_dirty, checksum AS"
                + " data_checksum, owner_name AS data_owner_name, owner_zone AS data_owner_zone, data_type AS"
                + " data_type_name, data_path, 'demoResc' AS resc_name, create_ts, modify_ts FROM data");
            s.execute("CREATE VIEW IF NOT EXISTS R_COLL_MAIN AS SELECT id AS coll_id, name AS coll_name, parent_name AS"
                + " parent_coll_name, owner_name AS coll_owner_name, owner_zone AS coll_owner_zone, create_ts,"
                + " modify_ts FROM colls");
            s.execute("CREATE VIEW IF NOT EXISTS R_USER_MAIN AS SELECT id AS user_id, name AS user_name, zone AS"
                + " zone_name, type AS user_type_name, create_ts, modify_ts FROM users");
            s.execute("CREATE VIEW IF NOT EXISTS R_USER_GROUP AS SELECT group_id AS group_user_id, user_id"
                + " FROM group_members");
            s.execute("CREATE VIEW IF NOT EXISTS R_OBJT_ACCESS AS SELECT object_id, user_id, access_type AS"
                + " access_type_id, create_ts, modify_ts FROM access");
            s.execute("CREATE VIEW IF NOT EXISTS R_META_MAIN AS SELECT id AS meta_id, name AS meta_attr_name, value AS"
                + " meta_attr_value, units AS meta_attr_unit, create_ts, modify_ts FROM meta");
            s.execute("CREATE VIEW IF NOT EXISTS R_OBJT_METAMAP AS SELECT object_id, meta_id FROM metamap");
        }
        c.setAutoCommit(false);
        return new Catalog(c, zone);
    }

    String zone() {
        return zone;
    }

    /** Runs {@code fn} alone, in one transaction; rolls back when it throws. */
    <T> T tx(SqlFn<T> fn) throws SandboxError {
        lock.lock();
        try {
            try {
                T r = fn.apply(this);
                db.commit();
                return r;
            } catch (SandboxError | RuntimeException e) {
                db.rollback();
                throw e;
            } catch (SQLException e) {
                db.rollback();
                throw new SandboxError(ErrorCode.SYS_INVALID_INPUT_PARAM, "catalog: " + e.getMessage());
            }
        } catch (SQLException e) {
            throw new SandboxError(ErrorCode.SYS_INVALID_INPUT_PARAM, "catalog rollback: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    Connection jdbc() {
        return db;
    }

    static String now() {
        return ts(System.currentTimeMillis() / 1000);
    }

    static String ts(long epochSeconds) {
        return String.format("%011d", epochSeconds);
    }

    long nextId() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("INSERT INTO seq(x) VALUES (0)");
            try (ResultSet r = s.executeQuery("SELECT last_insert_rowid()")) {
                r.next();
                return r.getLong(1) + 10000;
            }
        }
    }

    int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(sql, args)) {
            return p.executeUpdate();
        }
    }

    PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement p = db.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    // ------------------------------------------------------------------ users

    User user(String name) throws SQLException {
        try (PreparedStatement p = prepare("SELECT id, name, zone, type FROM users WHERE name = ? AND zone = ?", name,
            zone); ResultSet r = p.executeQuery()) {
            return r.next() ? new User(r.getLong(1), r.getString(2), r.getString(3), r.getString(4)) : null;
        }
    }

    User createUser(String name, String type) throws SQLException {
        long id = nextId();
        String now = now();
        update("INSERT INTO users(id, name, zone, type, create_ts, modify_ts) VALUES (?,?,?,?,?,?)", id, name, zone,
            type, now, now);
        return new User(id, name, zone, type);
    }

    void setPassword(long userId, String password, String kind, long expiry) throws SQLException {
        update("DELETE FROM passwords WHERE user_id = ? AND kind = ?", userId, kind);
        if (password != null) {
            update("INSERT INTO passwords(user_id, password, kind, expiry) VALUES (?,?,?,?)", userId, password, kind,
                expiry);
        }
    }

    void addTemporaryPassword(long userId, String password, long expiry) throws SQLException {
        update("DELETE FROM passwords WHERE kind = 'temp' AND expiry < ?", System.currentTimeMillis() / 1000);
        update("INSERT INTO passwords(user_id, password, kind, expiry) VALUES (?,?,'temp',?)", userId, password,
            expiry);
    }

    /** Passwords valid for native login now: the normal one and unexpired generated (PAM) ones. */
    List<String> loginPasswords(long userId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = prepare("SELECT password FROM passwords WHERE user_id = ? AND kind IN ('native','temp')"
            + " AND (expiry = 0 OR expiry >= ?)", userId, System.currentTimeMillis() / 1000);
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    String password(long userId, String kind) throws SQLException {
        try (PreparedStatement p = prepare("SELECT password FROM passwords WHERE user_id = ? AND kind = ?", userId,
            kind); ResultSet r = p.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }

    void addToGroup(long groupId, long userId) throws SQLException {
        update("INSERT OR IGNORE INTO group_members(group_id, user_id) VALUES (?,?)", groupId, userId);
    }

    /** The user's own id followed by the ids of the groups the user belongs to. */
    List<Long> principalIds(long userId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        ids.add(userId);
        try (PreparedStatement p = prepare("SELECT group_id FROM group_members WHERE user_id = ?", userId);
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    // ------------------------------------------------------------------ collections

    private static Coll readColl(ResultSet r) throws SQLException {
        return new Coll(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5) != 0,
            r.getString(6), r.getString(7));
    }

    Coll coll(String name) throws SQLException {
        try (PreparedStatement p = prepare("SELECT id, name, parent_name, owner_name, inherit, create_ts, modify_ts"
            + " FROM colls WHERE name = ?", name); ResultSet r = p.executeQuery()) {
            return r.next() ? readColl(r) : null;
        }
    }

    Coll collById(long id) throws SQLException {
        try (PreparedStatement p = prepare("SELECT id, name, parent_name, owner_name, inherit, create_ts, modify_ts"
            + " FROM colls WHERE id = ?", id); ResultSet r = p.executeQuery()) {
            return r.next() ? readColl(r) : null;
        }
    }

    Coll createColl(String name, User owner) throws SQLException {
        long id = nextId();
        String now = now();
        update("INSERT INTO colls(id, name, parent_name, owner_name, owner_zone, inherit, create_ts, modify_ts)"
            + " VALUES (?,?,?,?,?,0,?,?)", id, name, name.equals("/") ? "/" : Paths.parent(name), owner.name(), zone,
            now, now);
        setAccess(id, owner.id(), Access.OWN);
        return new Coll(id, name, Paths.parent(name), owner.name(), false, now, now);
    }

    void touchColl(String name) throws SQLException {
        update("UPDATE colls SET modify_ts = ? WHERE name = ?", now(), name);
    }

    boolean collHasChildren(Coll c) throws SQLException {
        try (PreparedStatement p = prepare("SELECT 1 FROM colls WHERE parent_name = ? AND name <> ? LIMIT 1",
            c.name(), c.name()); ResultSet r = p.executeQuery()) {
            if (r.next()) {
                return true;
            }
        }
        try (PreparedStatement p = prepare("SELECT 1 FROM data WHERE coll_id = ? LIMIT 1", c.id());
             ResultSet r = p.executeQuery()) {
            return r.next();
        }
    }

    /** The collection and everything below it, deepest last. */
    List<Coll> subtree(Coll c) throws SQLException {
        List<Coll> out = new ArrayList<>();
        out.add(c);
        String like = likePrefix(c.name());
        try (PreparedStatement p = prepare("SELECT id, name, parent_name, owner_name, inherit, create_ts, modify_ts"
            + " FROM colls WHERE name LIKE ? ESCAPE '\\' ORDER BY length(name)", like);
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(readColl(r));
            }
        }
        return out;
    }

    static String likePrefix(String coll) {
        String esc = coll.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return (coll.equals("/") ? "" : esc) + "/%";
    }

    // ------------------------------------------------------------------ data objects

    private static final String DATA_COLS = "d.id, d.coll_id, c.name, d.name, d.size, d.repl_status, d.checksum,"
        + " d.owner_name, d.create_ts, d.modify_ts, d.data_type";

    private static Data readData(ResultSet r) throws SQLException {
        return new Data(r.getLong(1), r.getLong(2), Paths.join(r.getString(3), r.getString(4)), r.getLong(5),
            r.getInt(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11));
    }

    Data data(String path) throws SQLException {
        if (path.equals("/")) {
            return null;
        }
        try (PreparedStatement p = prepare("SELECT " + DATA_COLS + " FROM data d JOIN colls c ON d.coll_id = c.id"
            + " WHERE c.name = ? AND d.name = ?", Paths.parent(path), Paths.name(path));
             ResultSet r = p.executeQuery()) {
            return r.next() ? readData(r) : null;
        }
    }

    Data dataById(long id) throws SQLException {
        try (PreparedStatement p = prepare("SELECT " + DATA_COLS + " FROM data d JOIN colls c ON d.coll_id = c.id"
            + " WHERE d.id = ?", id); ResultSet r = p.executeQuery()) {
            return r.next() ? readData(r) : null;
        }
    }

    List<Data> dataIn(long collId) throws SQLException {
        List<Data> out = new ArrayList<>();
        try (PreparedStatement p = prepare("SELECT " + DATA_COLS + " FROM data d JOIN colls c ON d.coll_id = c.id"
            + " WHERE d.coll_id = ?", collId); ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(readData(r));
            }
        }
        return out;
    }

    Data createData(Coll parent, String name, User owner, String dataType, String physicalDir, int replStatus)
        throws SQLException {
        return insertData(parent, name, owner, dataType, id -> physicalDir + "/" + id, replStatus, 0, "", true);
    }

    /**
     * A data object whose replica is a file outside the vault (PHY_PATH_REG): good, with its size and checksum,
     * owned by {@code owner} (or with the collection's ACLs when it inherits), as chlRegDataObj does.
     */
    Data registerData(Coll parent, String name, User owner, String dataType, String physicalPath, long size,
                      String checksum) throws SQLException {
        return insertData(parent, name, owner, dataType, id -> physicalPath, 1, size, checksum, false);
    }

    private Data insertData(Coll parent, String name, User owner, String dataType,
                            java.util.function.LongFunction<String> physical, int replStatus, long size,
                            String checksum, boolean ownAlso) throws SQLException {
        long id = nextId();
        String now = now();
        String type = dataType == null || dataType.isEmpty() ? "generic" : dataType;
        update("INSERT INTO data(id, coll_id, name, repl_num, size, repl_status, checksum, owner_name, owner_zone,"
            + " data_type, create_ts, modify_ts, data_path) VALUES (?,?,?,0,?,?,?,?,?,?,?,?,?)", id, parent.id(), name,
            size, replStatus, checksum, owner.name(), zone, type, now, now, physical.apply(id));
        if (ownAlso || !parent.inherit()) {
            setAccess(id, owner.id(), Access.OWN);
        }
        if (parent.inherit()) {
            copyAccess(parent.id(), id);
        }
        return new Data(id, parent.id(), Paths.join(parent.name(), name), size, replStatus, checksum, owner.name(),
            now, now, type);
    }

    /** Where a data object's replica lies (DATA_PATH), or null when there is no such object. */
    String dataPath(long id) throws SQLException {
        try (PreparedStatement p = prepare("SELECT data_path FROM data WHERE id = ?", id);
             ResultSet r = p.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }

    void deleteObject(long id) throws SQLException {
        update("DELETE FROM data WHERE id = ?", id);
        update("DELETE FROM colls WHERE id = ?", id);
        update("DELETE FROM access WHERE object_id = ?", id);
        update("DELETE FROM meta WHERE id IN (SELECT meta_id FROM metamap WHERE object_id = ?)"
            + " AND id NOT IN (SELECT meta_id FROM metamap WHERE object_id <> ?)", id, id);
        update("DELETE FROM metamap WHERE object_id = ?", id);
    }

    // ------------------------------------------------------------------ access

    /** The highest access any of {@code principals} has on the object (0 for none). */
    int accessLevel(long objectId, List<Long> principals) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < principals.size(); i++) {
            in.append(i == 0 ? "?" : ",?");
        }
        Object[] args = new Object[principals.size() + 1];
        args[0] = objectId;
        for (int i = 0; i < principals.size(); i++) {
            args[i + 1] = principals.get(i);
        }
        try (PreparedStatement p = prepare("SELECT max(access_type) FROM access WHERE object_id = ? AND user_id IN ("
            + in + ")", args); ResultSet r = p.executeQuery()) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    void setAccess(long objectId, long userId, Access a) throws SQLException {
        if (a == Access.NULL) {
            update("DELETE FROM access WHERE object_id = ? AND user_id = ?", objectId, userId);
            return;
        }
        String now = now();
        update("INSERT INTO access(object_id, user_id, access_type, create_ts, modify_ts) VALUES (?,?,?,?,?)"
            + " ON CONFLICT(object_id, user_id) DO UPDATE SET access_type = excluded.access_type,"
            + " modify_ts = excluded.modify_ts", objectId, userId, a.type, now, now);
    }

    void copyAccess(long fromObject, long toObject) throws SQLException {
        update("INSERT INTO access(object_id, user_id, access_type, create_ts, modify_ts)"
            + " SELECT ?, user_id, access_type, create_ts, modify_ts FROM access WHERE object_id = ?"
            + " ON CONFLICT(object_id, user_id) DO UPDATE SET access_type = excluded.access_type", toObject,
            fromObject);
    }

    void setInherit(long collId, boolean on) throws SQLException {
        update("UPDATE colls SET inherit = ? WHERE id = ?", on ? 1 : 0, collId);
    }

    // ------------------------------------------------------------------ metadata

    boolean hasAvu(long objectId, String a, String v, String u) throws SQLException {
        try (PreparedStatement p = prepare("SELECT 1 FROM meta m JOIN metamap mm ON mm.meta_id = m.id"
            + " WHERE mm.object_id = ? AND m.name = ? AND m.value = ? AND m.units = ?", objectId, a, v, u);
             ResultSet r = p.executeQuery()) {
            return r.next();
        }
    }

    void addAvu(long objectId, String a, String v, String u) throws SQLException {
        long id = nextId();
        String now = now();
        update("INSERT INTO meta(id, name, value, units, create_ts, modify_ts) VALUES (?,?,?,?,?,?)", id, a, v, u,
            now, now);
        update("INSERT INTO metamap(object_id, meta_id) VALUES (?,?)", objectId, id);
    }

    int removeAvus(long objectId, String a, String v, String u, boolean wildcard) throws SQLException {
        String op = wildcard ? " LIKE " : " = ";
        String sql = "DELETE FROM metamap WHERE object_id = ? AND meta_id IN (SELECT id FROM meta WHERE name" + op
            + "? AND value" + op + "?" + (u == null ? "" : " AND units = ?") + ")";
        int n = u == null ? update(sql, objectId, a, v) : update(sql, objectId, a, v, u);
        update("DELETE FROM meta WHERE id NOT IN (SELECT meta_id FROM metamap)");
        return n;
    }

    void removeAttribute(long objectId, String a) throws SQLException {
        update("DELETE FROM metamap WHERE object_id = ? AND meta_id IN (SELECT id FROM meta WHERE name = ?)",
            objectId, a);
        update("DELETE FROM meta WHERE id NOT IN (SELECT meta_id FROM metamap)");
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            db.close();
        } finally {
            lock.unlock();
        }
    }
}

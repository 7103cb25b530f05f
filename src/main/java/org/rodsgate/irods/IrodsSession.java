package org.rodsgate.irods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rodsgate.irods.protocol.BinBytesBuf;
import org.rodsgate.irods.protocol.CollInpNew;
import org.rodsgate.irods.protocol.DataObjCopyInp;
import org.rodsgate.irods.protocol.DataObjInp;
import org.rodsgate.irods.protocol.GenQueryInp;
import org.rodsgate.irods.protocol.GenQueryOut;
import org.rodsgate.irods.protocol.MiscSvrInfo;
import org.rodsgate.irods.protocol.ModAccessControlInp;
import org.rodsgate.irods.protocol.ModAvuInp;
import org.rodsgate.irods.protocol.ModDataObjMeta;
import org.rodsgate.irods.protocol.OpenedDataObjInp;
import org.rodsgate.irods.protocol.RodsObjStat;
import org.rodsgate.irods.protocol.ServerVersion;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;

/**
 * Typed iRODS operations over one connection. Stateless apart from the connection itself: open descriptors belong
 * to the connection, so a caller that opens a file keeps the same session until it closes it. Not thread-safe.
 */
public final class IrodsSession implements AutoCloseable {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0x40;
    public static final int O_TRUNC = 0x200;
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    /**
     * Rows asked for per GenQuery page: 1000, so that a 10,000-entry listing costs about a dozen round trips.
     * Servers may return fewer per page (iRODS defines MAX_SQL_ROWS 256); paging then simply continues.
     */
    public static final int PAGE_SIZE = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final IrodsConnection conn;

    public IrodsSession(IrodsConnection conn) {
        this.conn = conn;
    }

    public static IrodsSession open(IrodsAccount account) throws IrodsException {
        return new IrodsSession(IrodsConnection.open(account));
    }

    /** One call about one path; a failure's message names the operation and the path. */
    private Reply call(String operation, String path, int api, byte[] msg) throws IrodsException {
        try {
            return conn.call(api, msg);
        } catch (IrodsException e) {
            throw e.in(operation, path);
        }
    }

    public IrodsConnection connection() {
        return conn;
    }

    public ServerVersion serverVersion() {
        return conn.serverVersion();
    }

    public String zone() {
        return conn.account().zone();
    }

    // ---------------------------------------------------------------- server

    public MiscSvrInfo serverInfo() throws IrodsException {
        return MiscSvrInfo.parse(conn.call(ApiNumber.GET_MISC_SVR_INFO, null).body());
    }

    // ---------------------------------------------------------------- stat and queries

    /** OBJ_STAT: a data object first, then a collection (§4.5). Throws ENOENT-coded exceptions when missing. */
    public ObjStat stat(String path) throws IrodsException {
        Reply r = call("stat", path, ApiNumber.OBJ_STAT, DataObjInp.path(path).pack());
        RodsObjStat s = RodsObjStat.parse(r.body());
        ObjStat.Kind kind = r.intInfo() == RodsObjStat.COLL_OBJ_T ? ObjStat.Kind.COLLECTION : ObjStat.Kind.DATA_OBJECT;
        return new ObjStat(path, kind, parseLong(s.dataId()), s.objSize(), parseLong(s.createTime()),
            parseLong(s.modifyTime()), s.ownerName(), s.chksum(), kind == ObjStat.Kind.COLLECTION ? -1 : 1);
    }

    /** Like {@link #stat} but returns null instead of throwing when nothing exists at {@code path}. */
    public ObjStat statOrNull(String path) throws IrodsException {
        try {
            return stat(path);
        } catch (IrodsException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Like {@link #statOrNull}, and for a data object also the status of its best replica (1 good if any replica
     * is good, else the highest of 0 stale / 2 intermediate), which OBJ_STAT does not carry: one GenQuery more.
     */
    public ObjStat statWithReplicaStatus(String path) throws IrodsException {
        ObjStat s = statOrNull(path);
        if (s == null || s.isCollection()) {
            return s;
        }
        int[] best = {-1};
        // by the data id OBJ_STAT just gave: no name goes into the condition
        query(GenQuery.select(Column.D_REPL_STATUS).whereEq(Column.D_DATA_ID, Long.toString(s.id())), PAGE_SIZE, r -> {
                int st = (int) parseLong(r.get(0));
                best[0] = best[0] == 1 || st == 1 ? 1 : Math.max(best[0], st);
            });
        if (best[0] < 0) {
            return s; // not visible to GenQuery: keep what OBJ_STAT said
        }
        return new ObjStat(s.path(), s.kind(), s.id(), s.size(), s.createTime(), s.modifyTime(), s.owner(),
            s.checksum(), best[0]);
    }

    /**
     * Runs a query page by page, handing each row to {@code rows}. Every statement is drained; if the consumer
     * throws, the open statement is closed before the exception propagates (§5.4). Returns the row count.
     */
    public long query(GenQuery q, int pageSize, Consumer<List<String>> rows) throws IrodsException {
        GenQueryInp inp = q.toInput(pageSize, Map.of());
        long n = 0;
        while (true) {
            GenQueryOut out;
            try {
                out = GenQueryOut.parse(conn.call(ApiNumber.GEN_QUERY, inp.pack()).body());
            } catch (IrodsException e) {
                if (e.is(ErrorCode.CAT_NO_ROWS_FOUND)) {
                    return n;
                }
                throw e;
            }
            try {
                for (List<String> row : out.rows()) {
                    rows.accept(row);
                    n++;
                }
            } catch (RuntimeException e) {
                if (out.continueInx() > 0) {
                    closeStatement(out.continueInx());
                }
                throw e;
            }
            if (out.continueInx() <= 0) {
                return n;
            }
            inp = new GenQueryInp(pageSize, out.continueInx(), 0, inp.options(), inp.condInput(), inp.selects(),
                inp.conditions());
        }
    }

    public List<List<String>> queryAll(GenQuery q) throws IrodsException {
        List<List<String>> all = new ArrayList<>();
        query(q, PAGE_SIZE, all::add);
        return all;
    }

    private void closeStatement(int continueInx) throws IrodsException {
        GenQueryInp close = new GenQueryInp(0, continueInx, 0, 0, Map.of(), List.of(), List.of());
        conn.call(ApiNumber.GEN_QUERY, close.pack());
    }

    /**
     * Lists a collection with every entry's attributes, in pages, two queries in all (sub-collections, then data
     * objects) plus one extra round trip per {@value #PAGE_SIZE} entries. Replicas of a data object are folded
     * into one entry (a good replica preferred, then the newest).
     */
    public List<ObjStat> list(String coll) throws IrodsException {
        List<ObjStat> out = new ArrayList<>();
        try {
            listCollections(coll, out::add);
            listDataObjects(coll, out::add);
        } catch (IrodsException e) {
            throw e.in("list", coll);
        }
        return out;
    }

    /**
     * The sub-collections of {@code coll}. A name the server cannot take literally ({@link GenQuery#isLiteral}) is
     * asked for by its longest literal prefix with {@code like}, and the rows are filtered here to exact children:
     * a name is never sent as a pattern.
     */
    public void listCollections(String coll, Consumer<ObjStat> sink) throws IrodsException {
        GenQuery q = GenQuery.select(Column.COLL_ID, Column.COLL_NAME, Column.COLL_OWNER_NAME,
            Column.COLL_CREATE_TIME, Column.COLL_MODIFY_TIME);
        if (GenQuery.isLiteral(coll)) {
            q.whereEq(Column.COLL_PARENT_NAME, coll);
        } else {
            q.where(Column.COLL_PARENT_NAME, GenQuery.Op.LIKE, literalPrefix(coll) + "%");
        }
        query(q, PAGE_SIZE, r -> {
            String name = r.get(1);
            if (!name.equals(coll) && Paths.parent(name).equals(coll)) { // the root collection is its own parent
                sink.accept(new ObjStat(name, ObjStat.Kind.COLLECTION, parseLong(r.get(0)), 0,
                    parseLong(r.get(3)), parseLong(r.get(4)), r.get(2), "", -1));
            }
        });
    }

    /** The data objects in {@code coll}; a name the server cannot take literally is looked up by collection id. */
    public void listDataObjects(String coll, Consumer<ObjStat> sink) throws IrodsException {
        GenQuery q = GenQuery.select(Column.D_DATA_ID, Column.DATA_NAME, Column.DATA_REPL_NUM, Column.DATA_SIZE,
            Column.D_REPL_STATUS, Column.D_CREATE_TIME, Column.D_MODIFY_TIME, Column.D_DATA_CHECKSUM,
            Column.D_OWNER_NAME);
        if (GenQuery.isLiteral(coll)) {
            q.whereEq(Column.COLL_NAME, coll);
        } else {
            q.whereEq(Column.D_COLL_ID, Long.toString(idOf(coll, true)));
        }
        ReplicaFolder folder = new ReplicaFolder(coll, sink);
        query(q, PAGE_SIZE, folder);
        folder.flush();
    }

    /** {@code s} up to its first quote or backslash: a {@code like} prefix that every server reads literally. */
    static String literalPrefix(String s) {
        int end = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\\') {
                end = i;
                break;
            }
        }
        return s.substring(0, end);
    }

    /**
     * The catalog id of a collection or data object (OBJ_STAT, which takes a path, not a pattern): how entries
     * whose names GenQuery cannot carry are queried.
     */
    private long idOf(String path, boolean collection) throws IrodsException {
        ObjStat s = stat(path);
        if (s.isCollection() != collection) {
            throw new IrodsException(ErrorCode.USER_FILE_DOES_NOT_EXIST.code, (collection ? "not a collection: "
                : "not a data object: ") + path);
        }
        return s.id();
    }

    /** Folds the adjacent replica rows of one data object into one entry. */
    private static final class ReplicaFolder implements Consumer<List<String>> {
        private final String coll;
        private final Consumer<ObjStat> sink;
        private ObjStat best;

        ReplicaFolder(String coll, Consumer<ObjStat> sink) {
            this.coll = coll;
            this.sink = sink;
        }

        @Override
        public void accept(List<String> r) {
            ObjStat s = new ObjStat(Paths.join(coll, r.get(1)), ObjStat.Kind.DATA_OBJECT, parseLong(r.get(0)),
                parseLong(r.get(3)), parseLong(r.get(5)), parseLong(r.get(6)), r.get(8), r.get(7),
                (int) parseLong(r.get(4)));
            if (best != null && best.id() != s.id()) {
                flush();
            }
            if (best == null || better(s, best)) {
                best = s;
            }
        }

        private static boolean better(ObjStat a, ObjStat b) {
            boolean ag = a.replStatus() == 1;
            boolean bg = b.replStatus() == 1;
            if (ag != bg) {
                return ag;
            }
            return a.modifyTime() > b.modifyTime();
        }

        void flush() {
            if (best != null) {
                sink.accept(best);
                best = null;
            }
        }
    }

    static long parseLong(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- data objects: I/O

    /**
     * A descriptor opened on this session's connection, with the replica token where the server has them, and what
     * the open reply says of the replica (REPLICA_OPEN's {@code data_object_info}, 4.2.9+): its data id, size in
     * bytes and replica status (1 good, 0 stale, 2 intermediate); -1 where the server did not say.
     */
    public record OpenFile(int fd, String path, String replicaToken, String rescHier, long dataId, long size,
                           int replStatus) {
        OpenFile(int fd, String path, String replicaToken, String rescHier) {
            this(fd, path, replicaToken, rescHier, -1, -1, -1);
        }
    }

    /**
     * Opens a data object. Servers from 4.2.9 on use REPLICA_OPEN, which also returns the replica token that lets
     * other descriptors join the same open replica (§8.3); older ones DATA_OBJ_OPEN.
     */
    public OpenFile open(String path, int flags) throws IrodsException {
        try {
            return openOnce(path, flags);
        } catch (IrodsException e) {
            if (e.is(ErrorCode.HIERARCHY_ERROR) && isLocked(path)) {
                throw new IrodsException(ErrorCode.LOCKED_DATA_OBJECT_ACCESS.code, openVerb(flags) + " " + path
                    + ": another client has it open for writing (the server answered HIERARCHY_ERROR: its replica"
                    + " is locked)");
            }
            throw e;
        }
    }

    /**
     * Whether a data object's replicas are locked by an open for writing (D_REPL_STATUS 2 write-locked, 3
     * read-locked; 4.2.9+). iRODS 5.0.2 answers an open of such an object with HIERARCHY_ERROR (golden frames
     * {@code locked_b_open_read}, {@code locked_b_genquery_replica_status}).
     */
    public boolean isLocked(String path) throws IrodsException {
        boolean[] locked = {false};
        query(GenQuery.select(Column.D_REPL_STATUS).whereEq(Column.COLL_NAME, Paths.parent(path))
            .whereEq(Column.DATA_NAME, Paths.name(path)), PAGE_SIZE, r -> {
                locked[0] |= r.get(0).equals("2") || r.get(0).equals("3");
            });
        return locked[0];
    }

    private OpenFile openOnce(String path, int flags) throws IrodsException {
        return openOnce(path, flags, resourceKeywords());
    }

    private OpenFile openOnce(String path, int flags, Map<String, String> keywords) throws IrodsException {
        DataObjInp inp = new DataObjInp(path, (flags & O_CREAT) != 0 ? 0644 : 0, flags, 0, -1, 0, 0, keywords);
        if (conn.serverVersion().atLeast(4, 2, 9)) {
            Reply r = call(openVerb(flags), path, ApiNumber.REPLICA_OPEN, inp.pack());
            if (r.body() == null) {
                return new OpenFile(r.intInfo(), path, null, null);
            }
            JsonNode j = readJson(BinBytesBuf.text(r.body()));
            JsonNode info = j.path("data_object_info");
            return new OpenFile(r.intInfo(), path, j.path("replica_token").asText(null),
                info.path("resource_hierarchy").asText(null), jsonLong(info.path("data_id")),
                jsonLong(info.path("data_size")), (int) jsonLong(info.path("replica_status")));
        }
        return new OpenFile(call(openVerb(flags), path, ApiNumber.DATA_OBJ_OPEN, inp.pack()).intInfo(), path, null,
            null);
    }

    private static String openVerb(int flags) {
        return (flags & O_CREAT) != 0 ? "create" : (flags & (O_WRONLY | O_RDWR)) != 0 ? "open for writing" : "open";
    }

    /** Opens another descriptor on a replica that is already open for writing, using its token (§8.3). */
    public OpenFile joinReplica(OpenFile primary, int flags) throws IrodsException {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("replicaToken", primary.replicaToken());
        if (primary.rescHier() != null) {
            kv.put("resc_hier", primary.rescHier());
        }
        DataObjInp inp = new DataObjInp(primary.path(), 0, flags & ~(O_CREAT | O_TRUNC), 0, -1, 0, 0, kv);
        Reply r = conn.call(ApiNumber.REPLICA_OPEN, inp.pack());
        return new OpenFile(r.intInfo(), primary.path(), primary.replicaToken(), primary.rescHier());
    }

    /** Creates (or truncates) a data object and opens it for writing. */
    public OpenFile create(String path) throws IrodsException {
        return open(path, O_WRONLY | O_CREAT | O_TRUNC);
    }

    /** Creates (or truncates) a data object on resource {@code resource} (null: the account's default). */
    public OpenFile create(String path, String resource) throws IrodsException {
        if (resource == null || resource.isEmpty()) {
            return create(path);
        }
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("destRescName", resource);
        return openOnce(path, O_WRONLY | O_CREAT | O_TRUNC, kv);
    }

    private Map<String, String> resourceKeywords() {
        Map<String, String> kv = new LinkedHashMap<>();
        String r = conn.account().defaultResource();
        if (r != null && !r.isEmpty()) {
            kv.put("destRescName", r);
        }
        return kv;
    }

    /** Reads up to {@code len} bytes at the descriptor's position into {@code buf}; 0 at end of file. */
    public int read(int fd, byte[] buf, int off, int len) throws IrodsException {
        Reply r = conn.call(ApiNumber.DATA_OBJ_READ, OpenedDataObjInp.of(fd, len, 0, 0).pack(), null, 0, 0, buf,
            off);
        int n = r.frame().bsLen();
        if (n > len) {
            throw IrodsException.transport("server returned " + n + " bytes for a read of " + len, null,
                Errno.EIO.value);
        }
        if (r.frame().bs() != buf && n > 0) {
            System.arraycopy(r.frame().bs(), r.frame().bsOff(), buf, off, n);
        }
        return n;
    }

    /** Writes {@code len} bytes at the descriptor's position; fails unless all were written. */
    public void write(int fd, byte[] buf, int off, int len) throws IrodsException {
        Reply r = conn.call(ApiNumber.DATA_OBJ_WRITE, OpenedDataObjInp.of(fd, len, 0, 0).pack(), buf, off, len,
            null, 0);
        if (r.intInfo() != len) {
            throw new IrodsException(ErrorCode.UNIX_FILE_WRITE_ERR.code, "short write: " + r.intInfo() + " of "
                + len + " bytes");
        }
    }

    public long seek(int fd, long offset, int whence) throws IrodsException {
        Reply r = conn.call(ApiNumber.DATA_OBJ_LSEEK, OpenedDataObjInp.of(fd, 0, whence, offset).pack());
        return r.body() == null ? offset : r.body().num("offset");
    }

    public void close(int fd) throws IrodsException {
        conn.call(ApiNumber.DATA_OBJ_CLOSE, OpenedDataObjInp.of(fd, 0, 0, 0).pack());
    }

    /** Closes a secondary descriptor of a shared replica without finalizing it (§8.3). */
    public void closeSecondary(int fd) throws IrodsException {
        ObjectNode j = JSON.createObjectNode();
        j.put("fd", fd);
        j.put("update_size", false);
        j.put("update_status", false);
        j.put("compute_checksum", false);
        j.put("send_notifications", false);
        conn.call(ApiNumber.REPLICA_CLOSE, BinBytesBuf.pack(j.toString(), false, false));
    }

    // ---------------------------------------------------------------- namespace

    /** Removes a data object for good (forceFlag: no trash, §4.8). */
    public void unlink(String path) throws IrodsException {
        call("unlink", path, ApiNumber.DATA_OBJ_UNLINK, DataObjInp.path(path).with("forceFlag", "").pack());
    }

    /**
     * Renames a data object or collection. With {@code overwrite}, an existing destination data object is replaced
     * (oprType 22 + forceFlag, 4.2.12+); otherwise an existing destination fails with EEXIST. A data object open
     * for writing elsewhere is refused by the server (LOCKED_DATA_OBJECT_ACCESS, EBUSY: oprType 22 checks it).
     *
     * <p>Never sends a rename the server can turn into data loss. iRODS (5.0.2 and before, irods/irods#6510) renames
     * a data object inside its source collection first: if that collection holds an entry with the target's name,
     * the rename fails with CAT_NAME_EXISTS_AS_DATAOBJ — and with forceFlag only after it has deleted the target. So
     * a replacing rename into another collection goes through a temporary name in the target collection, and the
     * forced replace is only ever sent within one collection; a plain rename that meets the quirk is redone the
     * same way.
     */
    public void rename(String src, String dst, boolean overwrite) throws IrodsException {
        boolean sameCollection = Paths.parent(src).equals(Paths.parent(dst));
        if (sameCollection) {
            renameOnce(src, dst, overwrite);
            return;
        }
        if (!overwrite) {
            try {
                renameOnce(src, dst, false);
                return;
            } catch (IrodsException e) {
                boolean quirk = (e.is(ErrorCode.CAT_NAME_EXISTS_AS_DATAOBJ)
                    || e.is(ErrorCode.CAT_NAME_EXISTS_AS_COLLECTION)) && statOrNull(dst) == null;
                if (!quirk) {
                    throw e;
                }
            }
        }
        String tmp = Paths.join(Paths.parent(dst), ".rodsgate-rename-" + Long.toHexString(RANDOM.nextLong()));
        renameOnce(src, tmp, false);
        try {
            renameOnce(tmp, dst, overwrite);
        } catch (IrodsException e) {
            try {
                renameOnce(tmp, src, false);
            } catch (IrodsException back) {
                throw new IrodsException(e.code(), e.getMessage() + "; the data is at " + tmp
                    + " (moving it back failed: " + back.getMessage() + ")");
            }
            throw e;
        }
    }

    private void renameOnce(String src, String dst, boolean overwrite) throws IrodsException {
        DataObjInp s = new DataObjInp(src, 0, 0, 0, 0, 0, 22, new LinkedHashMap<>());
        DataObjInp d = new DataObjInp(dst, 0, 0, 0, 0, 0, 22, new LinkedHashMap<>());
        if (overwrite) {
            d = d.with("forceFlag", "");
        }
        call("rename", src + " to " + dst, ApiNumber.DATA_OBJ_RENAME, new DataObjCopyInp(s, d).pack());
    }

    /**
     * PHY_PATH_REG (630, as {@code ireg}): registers the file {@code physicalPath}, as the server of
     * {@code resource} sees it (null: the default resource), as the new data object {@code path}, without moving or
     * copying it; with {@code checksum} the server computes and stores its checksum ({@code regChksum}). iRODS
     * 5.0.2 (server/api/src/rsPhyPathReg.cpp, server/core/src/dataObjOpr.cpp getchkPathPerm) lets only a rodsadmin
     * register a path by default (PATH_REG_NOT_ALLOWED otherwise); a file the server cannot stat fails with
     * UNIX_FILE_STAT_ERR.
     */
    public void register(String physicalPath, String path, String resource, boolean checksum) throws IrodsException {
        DataObjInp inp = DataObjInp.path(path).with("filePath", physicalPath);
        if (resource != null && !resource.isEmpty()) {
            inp = inp.with("destRescName", resource);
        }
        if (checksum) {
            inp = inp.with("regChksum", "");
        }
        call("register " + physicalPath + " as", path, ApiNumber.PHY_PATH_REG, inp.pack());
    }

    /**
     * Removes a data object from the catalog and leaves its physical file where it is (DATA_OBJ_UNLINK with oprType
     * UNREG_OPR 26, as {@code iunreg}): how a registration is taken back without deleting the file it points to.
     */
    public void unregister(String path) throws IrodsException {
        DataObjInp inp = new DataObjInp(path, 0, 0, 0, 0, 0, 26, new LinkedHashMap<>());
        call("unregister", path, ApiNumber.DATA_OBJ_UNLINK, inp.pack());
    }

    public void truncate(String path, long size) throws IrodsException {
        DataObjInp inp = new DataObjInp(path, 0, 0, 0, size, 0, 0, new LinkedHashMap<>());
        int api = conn.serverVersion().atLeast(4, 3, 2) ? ApiNumber.REPLICA_TRUNCATE : ApiNumber.DATA_OBJ_TRUNCATE;
        call("truncate", path, api, inp.pack());
    }

    public void mkdir(String path, boolean parents) throws IrodsException {
        Map<String, String> kv = new LinkedHashMap<>();
        if (parents) {
            kv.put("recursiveOpr", "");
        }
        call("mkdir", path, ApiNumber.COLL_CREATE, new CollInpNew(path, 0, 0, kv).pack());
    }

    /** Removes a collection for good; {@code recursive} removes what it holds too (ENOTEMPTY otherwise). */
    public void rmdir(String path, boolean recursive) throws IrodsException {
        Map<String, String> kv = new LinkedHashMap<>();
        if (recursive) {
            kv.put("recursiveOpr", "");
        }
        kv.put("forceFlag", "");
        try {
            conn.callWithProgress(ApiNumber.RM_COLL, new CollInpNew(path, 0, 0, kv).pack());
        } catch (IrodsException e) {
            throw e.in("rmdir", path);
        }
    }

    /** Sets the modification time (epoch seconds) of a data object or collection; never creates anything. */
    public void setModifyTime(String path, long epochSeconds) throws IrodsException {
        if (conn.serverVersion().atLeast(4, 2, 9)) {
            ObjectNode j = JSON.createObjectNode();
            j.put("logical_path", path);
            ObjectNode o = j.putObject("options");
            o.put("no_create", true);
            o.put("seconds_since_epoch", epochSeconds);
            call("touch", path, ApiNumber.TOUCH, BinBytesBuf.pack(j.toString(), false, false));
            return;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("dataModify", GenQuery.timeLiteral(epochSeconds));
        kv.put("all", "");
        call("touch", path, ApiNumber.MOD_DATA_OBJ_META, new ModDataObjMeta(path, kv).pack());
    }

    /** The checksum iRODS has for a data object, computing it on the server if there is none yet (629). */
    public String checksum(String path) throws IrodsException {
        return checksum(path, false);
    }

    /**
     * With {@code force} ({@code forceChksum}), the server computes the checksum from the bytes it holds now and
     * stores it, whatever it had stored before (golden frames {@code data_obj_chksum_force_after_truncate}).
     */
    public String checksum(String path, boolean force) throws IrodsException {
        DataObjInp inp = DataObjInp.path(path);
        if (force) {
            inp = inp.with("forceChksum", "");
        }
        Reply r = call("checksum", path, ApiNumber.DATA_OBJ_CHKSUM, inp.pack());
        return r.body() == null ? "" : r.body().str("myStr", "");
    }

    // ---------------------------------------------------------------- metadata

    private static String typeFlag(boolean collection) {
        return collection ? "-C" : "-d";
    }

    public void addAvu(String path, boolean collection, Avu avu) throws IrodsException {
        modAvu("add", path, collection, avu);
    }

    /** Replaces every value of the attribute with this one ({@code imeta set}). */
    public void setAvu(String path, boolean collection, Avu avu) throws IrodsException {
        modAvu("set", path, collection, avu);
    }

    public void removeAvu(String path, boolean collection, Avu avu) throws IrodsException {
        modAvu("rm", path, collection, avu);
    }

    private void modAvu(String op, String path, boolean collection, Avu avu) throws IrodsException {
        if (avu.attribute().isEmpty() || avu.value().isEmpty()) {
            throw new IrodsException(ErrorCode.CAT_INVALID_ARGUMENT.code, "AVU attribute and value must not be empty");
        }
        ModAvuInp inp = ModAvuInp.of(op, typeFlag(collection), path, avu.attribute(), avu.value(),
            avu.units().isEmpty() ? null : avu.units());
        call("meta " + op, path, ApiNumber.MOD_AVU_METADATA, inp.pack());
    }

    public List<Avu> listAvus(String path, boolean collection) throws IrodsException {
        List<Avu> out = new ArrayList<>();
        GenQuery q;
        if (collection) {
            q = whereCollection(GenQuery.select(Column.META_COLL_ATTR_NAME, Column.META_COLL_ATTR_VALUE,
                Column.META_COLL_ATTR_UNITS), path);
        } else {
            q = whereDataObject(GenQuery.select(Column.META_DATA_ATTR_NAME, Column.META_DATA_ATTR_VALUE,
                Column.META_DATA_ATTR_UNITS), path);
        }
        try {
            query(q, PAGE_SIZE, r -> out.add(new Avu(r.get(0), r.get(1), r.get(2))));
        } catch (IrodsException e) {
            throw e.in("list AVUs of", path);
        }
        return out;
    }

    /**
     * Restricts {@code q} to one collection: by name, or by id (one OBJ_STAT more) where the name cannot be sent
     * literally. Use this, not {@code whereEq(COLL_NAME, path)}, for any path that comes from a user.
     */
    public GenQuery whereCollection(GenQuery q, String path) throws IrodsException {
        return GenQuery.isLiteral(path) ? q.whereEq(Column.COLL_NAME, path)
            : q.whereEq(Column.COLL_ID, Long.toString(idOf(path, true)));
    }

    /**
     * Restricts {@code q} to one data object: by collection and name, or by id (one OBJ_STAT more) where they cannot
     * be sent literally. Use this, not {@code whereEq(COLL_NAME, ..).whereEq(DATA_NAME, ..)}, for user paths.
     */
    public GenQuery whereDataObject(GenQuery q, String path) throws IrodsException {
        String parent = Paths.parent(path);
        String name = Paths.name(path);
        return GenQuery.isLiteral(parent) && GenQuery.isLiteral(name)
            ? q.whereEq(Column.COLL_NAME, parent).whereEq(Column.DATA_NAME, name)
            : q.whereEq(Column.D_DATA_ID, Long.toString(idOf(path, false)));
    }

    // ---------------------------------------------------------------- access control

    public List<Acl> listAcls(String path, boolean collection) throws IrodsException {
        List<Acl> out = new ArrayList<>();
        GenQuery q;
        if (collection) {
            q = whereCollection(GenQuery.select(Column.COLL_USER_NAME, Column.COLL_USER_ZONE,
                Column.COLL_ACCESS_NAME), path);
        } else {
            q = whereDataObject(GenQuery.select(Column.USER_NAME, Column.USER_ZONE, Column.DATA_ACCESS_NAME), path);
        }
        try {
            query(q, PAGE_SIZE, r -> out.add(new Acl(r.get(0), r.get(1), r.get(2))));
        } catch (IrodsException e) {
            throw e.in("list access of", path);
        }
        return out;
    }

    /** Sets access {@code level} (null, read, write, own, inherit, noinherit) for a user or group. */
    public void setAcl(String path, String user, String level, boolean recursive) throws IrodsException {
        call("set access on", path, ApiNumber.MOD_ACCESS_CONTROL,
            new ModAccessControlInp(recursive ? 1 : 0, level, user, "", path).pack());
    }

    /** A number the server may send as a JSON number or a string; -1 when absent or unreadable. */
    private static long jsonLong(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return -1;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static JsonNode readJson(String s) throws IrodsException {
        try {
            return JSON.readTree(s.isEmpty() ? "{}" : s);
        } catch (Exception e) {
            throw new IrodsException(ErrorCode.SYS_API_INPUT_ERR.code, "unreadable JSON from server");
        }
    }

    @Override
    public void close() {
        conn.close();
    }
}

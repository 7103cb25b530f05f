package org.rodsgate.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.rodsgate.irods.ApiNumber;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.Paths;
import org.rodsgate.irods.protocol.CollInpNew;
import org.rodsgate.irods.protocol.CollOprStat;
import org.rodsgate.irods.protocol.DataObjCopyInp;
import org.rodsgate.irods.protocol.DataObjInp;
import org.rodsgate.irods.protocol.ModDataObjMeta;
import org.rodsgate.irods.protocol.PackWriter;
import org.rodsgate.irods.protocol.XmlNode;

/**
 * Changes to the namespace: unlink, rename, truncate, mkdir, rmdir, modification times, and (delegated) AVUs and
 * ACLs. Deletion without {@code forceFlag} moves to {@code /zone/trash/home/<user>}, as iRODS does.
 */
final class Namespace {
    /** DataObjInp oprType of {@code iunreg} (dataObjInpOut.h UNREG_OPR). */
    static final int UNREG_OPR = 26;

    private Namespace() {}

    static Agent.Reply handle(Session s, int api, XmlNode in, Session.Progress progress)
        throws SandboxError, IOException {
        return switch (api) {
            case ApiNumber.DATA_OBJ_UNLINK -> unlink(s, DataObjInp.parse(in));
            case ApiNumber.DATA_OBJ_RENAME -> rename(s, DataObjCopyInp.parse(in));
            case ApiNumber.DATA_OBJ_COPY -> copy(s, DataObjCopyInp.parse(in));
            case ApiNumber.SPECIFIC_QUERY -> SpecificQueries.run(s, in);
            case ApiNumber.GENERAL_ADMIN -> GeneralAdmin.handle(s, in);
            case ApiNumber.DATA_OBJ_TRUNCATE -> truncate(s, DataObjInp.parse(in), false);
            case ApiNumber.REPLICA_TRUNCATE -> truncate(s, DataObjInp.parse(in), true);
            case ApiNumber.COLL_CREATE -> mkdir(s, CollInpNew.parse(in));
            case ApiNumber.RM_COLL -> rmColl(s, CollInpNew.parse(in), progress);
            case ApiNumber.MOD_DATA_OBJ_META -> modDataObjMeta(s, ModDataObjMeta.parse(in));
            case ApiNumber.TOUCH -> touch(s, Session.json(in));
            case ApiNumber.MOD_AVU_METADATA -> Metadata.modAvu(s, in);
            case ApiNumber.MOD_ACCESS_CONTROL -> Metadata.modAccess(s, in);
            default -> throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED, "API " + api);
        };
    }

    private static Catalog.Data existingData(Session s, String path) throws SandboxError {
        Catalog.Data d = s.catalog().tx(c -> c.data(path));
        if (d == null || !s.visible(d.id())) {
            throw new SandboxError(ErrorCode.CAT_NO_ROWS_FOUND, "no data object " + path);
        }
        return d;
    }

    private static Agent.Reply unlink(Session s, DataObjInp in) throws SandboxError, IOException {
        Catalog.Data d = existingData(s, in.objPath());
        s.require(d.id(), Access.MODIFY_OBJECT, in.objPath());
        // 5.0.2: HIERARCHY_ERROR without forceFlag, LOCKED_DATA_OBJECT_ACCESS with it (golden locked_b_unlink*)
        s.requireUnlocked(d.id(), in.objPath(), in.condInput().containsKey("forceFlag")
            ? ErrorCode.LOCKED_DATA_OBJECT_ACCESS : ErrorCode.HIERARCHY_ERROR);
        java.nio.file.Path phys = s.vaultFile(d.id());
        if (in.oprType() == UNREG_OPR) {
            // iunreg: the catalog forgets the object; its file stays where it is. Only a rodsadmin may leave a file
            // of the vault behind (dataObjUnlinkS: CANT_UNREG_IN_VAULT_FILE)
            if (!s.user.isAdmin() && phys.startsWith(s.server.vault())) {
                throw new SandboxError(-355000, "only a rodsadmin may unregister a vault file: " + d.path());
            }
            s.catalog().tx(c -> {
                c.deleteObject(d.id());
                c.touchColl(Paths.parent(d.path()));
                return null;
            });
            return Agent.Reply.ok(0);
        }
        if (!in.condInput().containsKey("forceFlag") && !isInTrash(s, d.path())) {
            moveToTrash(s, d.path(), false);
            return Agent.Reply.ok(0);
        }
        s.catalog().tx(c -> {
            c.deleteObject(d.id());
            c.touchColl(Paths.parent(d.path()));
            return null;
        });
        Files.deleteIfExists(phys);
        return Agent.Reply.ok(0);
    }

    private static boolean isInTrash(Session s, String path) {
        return Paths.isUnder(path, "/" + s.catalog().zone() + "/trash");
    }

    private static void moveToTrash(Session s, String path, boolean collection) throws SandboxError {
        String trashHome = "/" + s.catalog().zone() + "/trash/home/" + s.user.name();
        s.catalog().tx(c -> {
            String dir = "/" + s.catalog().zone() + "/trash/home";
            if (c.coll(trashHome) == null) {
                c.createColl(trashHome, s.user);
            }
            String target = Paths.join(trashHome, Paths.name(path));
            if (c.coll(target) != null || c.data(target) != null) {
                target = target + "." + System.nanoTime();
            }
            move(s, c, path, target, collection);
            return dir;
        });
    }

    private static Agent.Reply rename(Session s, DataObjCopyInp in) throws SandboxError, IOException {
        String src = in.src().objPath();
        String dst = in.dst().objPath();
        Session.checkPath(src);
        Session.checkPath(dst);
        int type = in.src().oprType();
        boolean force = in.dst().condInput().containsKey("forceFlag") || in.src().condInput().containsKey("forceFlag");
        Renamed done = s.catalog().tx(c -> {
            Catalog.Data sd = type == 12 ? null : c.data(src);
            Catalog.Coll sc = sd != null || type == 11 ? null : c.coll(src);
            if ((sd == null || !s.visible(sd.id())) && (sc == null || !s.visible(sc.id()))) {
                throw new SandboxError(type == 22 ? ErrorCode.USER_FILE_DOES_NOT_EXIST : ErrorCode.CAT_NO_ROWS_FOUND,
                    "no " + (type == 12 ? "collection " : type == 11 ? "data object " : "") + src);
            }
            if (src.equals(dst)) {
                throw new SandboxError(ErrorCode.SAME_SRC_DEST_PATHS_ERR, "source and destination are the same");
            }
            if (sc != null && Paths.isUnder(dst, src)) {
                throw new SandboxError(ErrorCode.CAT_RECURSIVE_MOVE, "cannot move " + src + " into itself");
            }
            long srcId = sd != null ? sd.id() : sc.id();
            if (c.accessLevel(srcId, s.principals) < Access.OWN.type) {
                throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " does not own " + src);
            }
            if (sd != null && type != 11) {
                // 5.0.2 checks the lock only for oprTypes other than 11 (golden locked_b_rename_oprtype22)
                s.requireUnlocked(sd.id(), src, ErrorCode.LOCKED_DATA_OBJECT_ACCESS);
            }
            Catalog.Coll parent = c.coll(Paths.parent(dst));
            if (parent == null) {
                throw new SandboxError(ErrorCode.CAT_UNKNOWN_COLLECTION, "no collection " + Paths.parent(dst));
            }
            if (c.accessLevel(parent.id(), s.principals) < Access.MODIFY_OBJECT.type) {
                throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " may not write into "
                    + parent.name());
            }
            if (c.coll(dst) != null) {
                throw new SandboxError(ErrorCode.CAT_NAME_EXISTS_AS_COLLECTION, dst + " exists as a collection");
            }
            Catalog.Data existing = c.data(dst);
            if (existing != null) {
                if (!(force && type == 22 && sd != null)) {
                    throw new SandboxError(ErrorCode.CAT_NAME_EXISTS_AS_DATAOBJ, dst + " exists as a data object");
                }
                s.requireUnlocked(existing.id(), dst, ErrorCode.LOCKED_DATA_OBJECT_ACCESS);
                if (c.accessLevel(existing.id(), s.principals) < Access.MODIFY_OBJECT.type) {
                    throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, "may not replace " + dst);
                }
                c.deleteObject(existing.id());
            }
            String sibling = Paths.join(Paths.parent(src), Paths.name(dst));
            if (sd != null && !Paths.parent(src).equals(Paths.parent(dst)) && !sibling.equals(src)
                && c.data(sibling) != null) {
                // irods/irods#6510: 5.0.2 renames inside the source collection first, so a sibling with the target's
                // name fails the rename, after a forced replace has already removed the target (golden rename_quirk_*)
                return new Renamed(existing == null ? null : existing.id(), new SandboxError(
                    ErrorCode.CAT_NAME_EXISTS_AS_DATAOBJ, sibling + " exists (irods/irods#6510)"));
            }
            move(s, c, src, dst, sc != null);
            if (sd != null && type == 11 && server(s).isWriteLocked(sd.id())) {
                server(s).movedWhileOpen(sd.id());
            }
            return new Renamed(existing == null ? null : existing.id(), null);
        });
        if (done.replaced() != null) {
            Files.deleteIfExists(s.vaultFile(done.replaced()));
        }
        if (done.failure() != null) {
            throw done.failure();
        }
        return Agent.Reply.ok(0);
    }

    /** What a rename did: the id of a data object it replaced, and the failure to answer after committing. */
    private record Renamed(Long replaced, SandboxError failure) {}

    private static SandboxServer server(Session s) {
        return s.server;
    }

    /**
     * DATA_OBJ_COPY (696): a new data object with the source's bytes, owned by the caller; an existing target needs
     * {@code forceFlag} (else OVERWRITE_WITHOUT_FORCE_FLAG, golden {@code data_obj_copy_onto_existing}). No checksum
     * unless asked ({@code regChksum}/{@code verifyChksum}), as 5.0.2. Answers TransferStat_PI.
     */
    private static Agent.Reply copy(Session s, DataObjCopyInp in) throws SandboxError, IOException {
        String src = in.src().objPath();
        String dst = in.dst().objPath();
        Session.checkPath(dst);
        Catalog.Data sd = existingData(s, src);
        s.require(sd.id(), Access.READ_OBJECT, src);
        s.requireUnlocked(sd.id(), src, ErrorCode.HIERARCHY_ERROR);
        boolean force = in.dst().condInput().containsKey("forceFlag");
        boolean sum = in.dst().condInput().containsKey("regChksum") || in.dst().condInput().containsKey("verifyChksum");
        Catalog.Data target = s.catalog().tx(c -> {
            if (c.coll(dst) != null) {
                throw new SandboxError(ErrorCode.CAT_NAME_EXISTS_AS_COLLECTION, dst + " is a collection");
            }
            Catalog.Data existing = c.data(dst);
            if (existing != null) {
                if (!force) {
                    throw new SandboxError(ErrorCode.OVERWRITE_WITHOUT_FORCE_FLAG, null);
                }
                s.require(existing.id(), Access.MODIFY_OBJECT, dst);
                s.requireUnlocked(existing.id(), dst, ErrorCode.LOCKED_DATA_OBJECT_ACCESS);
                return existing;
            }
            Catalog.Coll parent = c.coll(Paths.parent(dst));
            if (parent == null) {
                throw new SandboxError(ErrorCode.CAT_UNKNOWN_COLLECTION, "no collection " + Paths.parent(dst));
            }
            if (c.accessLevel(parent.id(), s.principals) < Access.MODIFY_OBJECT.type) {
                throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " may not write into "
                    + parent.name());
            }
            Catalog.Data nd = c.createData(parent, Paths.name(dst), s.user, null, s.server.vault().toString(), 2);
            c.touchColl(parent.name());
            return nd;
        });
        java.nio.file.Path tmp = s.vaultFile(target.id()).resolveSibling(target.id() + ".copy");
        Files.deleteIfExists(tmp);
        org.rodsgate.config.SecretFiles.createPrivateFile(tmp);
        try (var from = Files.newInputStream(s.vaultFile(sd.id())); var to = Files.newOutputStream(tmp)) {
            from.transferTo(to);
        }
        Files.move(tmp, s.vaultFile(target.id()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        long size = Files.size(s.vaultFile(target.id()));
        String checksum = sum ? Checksums.sha256(s.vaultFile(target.id())) : "";
        s.catalog().tx(c -> c.update("UPDATE data SET size = ?, repl_status = 1, checksum = ?, modify_ts = ?"
            + " WHERE id = ?", size, checksum, Catalog.now(), target.id()));
        return Agent.Reply.ok(0, PackWriter.server("TransferStat_PI").i("numThreads", 0).i("flags", 0)
            .i("bytesWritten", size).bytes());
    }

    /** Moves a data object or a collection subtree in the catalog (the vault is keyed by id, so no data moves). */
    private static void move(Session s, Catalog c, String src, String dst, boolean collection)
        throws java.sql.SQLException {
        String now = Catalog.now();
        if (!collection) {
            Catalog.Data d = c.data(src);
            Catalog.Coll parent = c.coll(Paths.parent(dst));
            c.update("UPDATE data SET coll_id = ?, name = ? WHERE id = ?", parent.id(), Paths.name(dst), d.id());
        } else {
            String like = Catalog.likePrefix(src);
            c.update("UPDATE colls SET name = ? || substr(name, ?), parent_name = CASE WHEN name = ? THEN ?"
                + " ELSE ? || substr(parent_name, ?) END WHERE name = ? OR name LIKE ? ESCAPE '\\'",
                dst, src.length() + 1, src, Paths.parent(dst), dst, src.length() + 1, src, like);
        }
        c.update("UPDATE colls SET modify_ts = ? WHERE name IN (?, ?)", now, Paths.parent(src), Paths.parent(dst));
    }

    /** Like iRODS 5.0.2, truncation clears the stored checksum (golden chksum_genquery_after_truncate). */
    private static Agent.Reply truncate(Session s, DataObjInp in, boolean replicaApi)
        throws SandboxError, IOException {
        Catalog.Data d = existingData(s, in.objPath());
        s.require(d.id(), Access.MODIFY_OBJECT, in.objPath());
        s.requireUnlocked(d.id(), in.objPath());
        if (in.dataSize() < 0) {
            throw new SandboxError(ErrorCode.SYS_INVALID_INPUT_PARAM, "negative size");
        }
        if (in.dataSize() != d.size()) {
            try (RandomAccessFile f = new RandomAccessFile(s.vaultFile(d.id()).toFile(), "rw")) {
                f.setLength(in.dataSize());
            }
            s.catalog().tx(c -> c.update("UPDATE data SET size = ?, modify_ts = ?, checksum = '' WHERE id = ?",
                in.dataSize(), Catalog.now(), d.id()));
        }
        if (replicaApi) {
            String json = "{\"message\":\"\",\"replica_number\":0,\"resource_hierarchy\":\"" + Catalog.RESOURCE
                + "\"}";
            return Agent.Reply.ok(0, PackWriter.server("STR_PI").str("myStr", json).bytes());
        }
        return Agent.Reply.ok(0);
    }

    private static Agent.Reply mkdir(Session s, CollInpNew in) throws SandboxError {
        String path = in.collName();
        Session.checkPath(path);
        boolean recursive = in.condInput().containsKey("recursiveOpr");
        s.catalog().tx(c -> {
            if (c.data(path) != null) {
                throw new SandboxError(ErrorCode.CAT_NAME_EXISTS_AS_DATAOBJ, path + " exists as a data object");
            }
            if (c.coll(path) != null) {
                if (recursive) {
                    return null;
                }
                throw new SandboxError(ErrorCode.CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME, path + " exists");
            }
            List<String> missing = new ArrayList<>();
            String p = path;
            while (c.coll(p) == null) {
                if (c.data(p) != null) {
                    throw new SandboxError(ErrorCode.CAT_NAME_EXISTS_AS_DATAOBJ, p + " exists as a data object");
                }
                missing.add(0, p);
                p = Paths.parent(p);
            }
            if (missing.size() > 1 && !recursive) {
                throw new SandboxError(ErrorCode.CAT_UNKNOWN_COLLECTION, "no collection " + Paths.parent(path));
            }
            Catalog.Coll parent = c.coll(p);
            if (c.accessLevel(parent.id(), s.principals) < Access.MODIFY_OBJECT.type) {
                throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " may not create in "
                    + parent.name());
            }
            for (String m : missing) {
                Catalog.Coll nc = c.createColl(m, s.user);
                if (parent.inherit()) {
                    c.copyAccess(parent.id(), nc.id());
                    c.setInherit(nc.id(), true);
                    nc = c.coll(m);
                }
                c.touchColl(parent.name());
                parent = nc;
            }
            return null;
        });
        return Agent.Reply.ok(0);
    }

    private static Agent.Reply rmColl(Session s, CollInpNew in, Session.Progress progress)
        throws SandboxError, IOException {
        String path = in.collName();
        boolean recursive = in.condInput().containsKey("recursiveOpr");
        boolean force = in.condInput().containsKey("forceFlag");
        Catalog.Coll coll = s.catalog().tx(c -> c.coll(path));
        if (coll == null || !s.visible(coll.id())) {
            throw new SandboxError(ErrorCode.CAT_UNKNOWN_COLLECTION, "no collection " + path);
        }
        s.require(coll.id(), Access.MODIFY_OBJECT, path);
        if (Paths.parent(path).equals("/") || path.equals("/" + s.catalog().zone() + "/home")
            || path.equals("/" + s.catalog().zone() + "/trash")) {
            throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, "will not remove " + path);
        }
        boolean nonEmpty = s.catalog().tx(c -> c.collHasChildren(coll));
        if (nonEmpty && !recursive) {
            throw new SandboxError(ErrorCode.CAT_COLLECTION_NOT_EMPTY, path + " is not empty");
        }
        boolean unreg = in.oprType() == UNREG_OPR; // iunreg -r: the catalog forgets, the files stay
        if (!force && !unreg && !isInTrash(s, path)) {
            moveToTrash(s, path, true);
            return Agent.Reply.ok(0, new CollOprStat(0, 0, 0, path).pack());
        }
        List<Catalog.Coll> tree = s.catalog().tx(c -> c.subtree(coll));
        List<Catalog.Data> objects = new ArrayList<>();
        for (Catalog.Coll c : tree) {
            objects.addAll(s.catalog().tx(cat -> cat.dataIn(c.id())));
        }
        for (Catalog.Data d : objects) {
            s.requireUnlocked(d.id(), d.path());
        }
        int done = 0;
        for (Catalog.Data d : objects) {
            java.nio.file.Path phys = s.vaultFile(d.id());
            s.catalog().tx(c -> {
                c.deleteObject(d.id());
                return null;
            });
            if (!unreg) {
                Files.deleteIfExists(phys);
            }
            done++;
            if (done % 10 == 0) {
                progress.send(new CollOprStat(10, objects.size(), 0, d.path()).pack());
            }
        }
        s.catalog().tx(c -> {
            for (int i = tree.size() - 1; i >= 0; i--) {
                c.deleteObject(tree.get(i).id());
            }
            c.touchColl(Paths.parent(path));
            return null;
        });
        return Agent.Reply.ok(0, new CollOprStat(Math.max(1, done % 10), objects.size(), 0, path).pack());
    }

    private static Agent.Reply modDataObjMeta(Session s, ModDataObjMeta in) throws SandboxError {
        Catalog.Data d = existingData(s, in.objPath());
        s.require(d.id(), Access.MODIFY_OBJECT, in.objPath());
        String size = in.regParam().get("dataSize");
        if (size != null) {
            long n = Long.parseLong(size.trim());
            s.catalog().tx(c -> c.update("UPDATE data SET size = ? WHERE id = ?", n, d.id()));
        }
        String m = in.regParam().get("dataModify");
        if (m != null) {
            long t = Long.parseLong(m.trim());
            s.catalog().tx(c -> c.update("UPDATE data SET modify_ts = ? WHERE id = ?", Catalog.ts(t), d.id()));
        }
        return Agent.Reply.ok(0);
    }

    private static Agent.Reply touch(Session s, JsonNode j) throws SandboxError, IOException {
        String path = j.path("logical_path").asText("");
        Session.checkPath(path);
        JsonNode o = j.path("options");
        long t = o.has("seconds_since_epoch") ? o.path("seconds_since_epoch").asLong()
            : System.currentTimeMillis() / 1000;
        Catalog.Data d = s.catalog().tx(c -> c.data(path));
        Catalog.Coll co = d == null ? s.catalog().tx(c -> c.coll(path)) : null;
        if (d == null && co == null) {
            if (o.path("no_create").asBoolean(false)) {
                return Agent.Reply.ok(0);
            }
            DataObjInp create = new DataObjInp(path, 0644, 0x41, 0, -1, 0, 0, new LinkedHashMap<>());
            XmlNode n = XmlNode.parse(create.pack());
            int fd = s.handle(ApiNumber.DATA_OBJ_CREATE, n, null, null).intInfo();
            s.handle(ApiNumber.DATA_OBJ_CLOSE, XmlNode.parse(
                org.rodsgate.irods.protocol.OpenedDataObjInp.of(fd, 0, 0, 0).pack()), null, null);
            d = s.catalog().tx(c -> c.data(path));
        }
        long id = d != null ? d.id() : co.id();
        s.require(id, Access.MODIFY_OBJECT, path);
        String table = d != null ? "data" : "colls";
        s.catalog().tx(c -> c.update("UPDATE " + table + " SET modify_ts = ? WHERE id = ?", Catalog.ts(t), id));
        return Agent.Reply.ok(0);
    }
}

package org.rodsgate.sandbox;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.Paths;
import org.rodsgate.irods.protocol.DataObjInp;

/**
 * PHY_PATH_REG (API 630, {@code ireg}): registers a file that already lies on the server's disk as a data object, in
 * the order iRODS 5.0.2 checks things (server/api/src/rsPhyPathReg.cpp irsPhyPathReg, _rsPhyPathReg, filePathReg;
 * server/core/src/dataObjOpr.cpp getchkPathPerm; the catalog's chlRegDataObj):
 * <ol>
 * <li>an empty object name: USER_INPUT_PATH_ERR; {@code noChkFilePerm} from a non-admin: SYS_NO_API_PRIV;</li>
 * <li>a {@code destRescName} other than the sandbox's one resource: SYS_RESC_DOES_NOT_EXIST;</li>
 * <li>no {@code filePath}: SYS_INVALID_FILE_PATH;</li>
 * <li>a client user who is not a rodsadmin: PATH_REG_NOT_ALLOWED (the default policy,
 *     {@code acSetChkFilePathPerm {msiSetChkFilePathPerm("disallowPathReg")}} in core.re);</li>
 * <li>the size from the {@code dataSize} keyword (when it parses), the request's dataSize field (when positive) or
 *     a stat of the file: a missing file is UNIX_FILE_STAT_ERR - ENOENT, a directory SYS_PATH_IS_NOT_A_FILE;</li>
 * <li>with {@code regChksum}/{@code verifyChksum} the file is read for its checksum (unreadable:
 *     UNIX_FILE_OPEN_ERR - EACCES);</li>
 * <li>the catalog row: unknown collection CAT_UNKNOWN_COLLECTION, no modify access on it CAT_NO_ACCESS_PERMISSION
 *     (rodsadmins included), a collection of that name CAT_NAME_EXISTS_AS_COLLECTION, an existing data object
 *     CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME; the new replica is good, owned by the client user (or carries the
 *     collection's ACLs when it inherits) and points at the file, which is never moved or copied.</li>
 * </ol>
 * Not implemented (SYS_NOT_SUPPORTED): directory registration ({@code collection}), mounted collections and links
 * ({@code collectionType}), replicas of existing objects ({@code regRepl}).
 */
final class PathRegistration {
    private static final int ENOENT = 2;
    private static final int EACCES = 13;

    private PathRegistration() {}

    static Agent.Reply register(Session s, DataObjInp in) throws SandboxError, IOException {
        String objPath = in.objPath();
        if (objPath == null || objPath.isEmpty() || objPath.endsWith("/") || Paths.name(objPath).isEmpty()) {
            throw new SandboxError(ErrorCode.USER_INPUT_PATH_ERR, "no object name in " + objPath);
        }
        var kv = in.condInput();
        if (kv.containsKey("noChkFilePerm") && !s.user.isAdmin()) {
            throw new SandboxError(ErrorCode.SYS_NO_API_PRIV, "noChkFilePerm needs a rodsadmin");
        }
        for (String k : new String[] {"collectionType", "regRepl"}) {
            if (kv.containsKey(k)) {
                throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED, "PHY_PATH_REG with " + k
                    + " is not implemented by the sandbox");
            }
        }
        String resc = kv.get("destRescName");
        if (resc != null && !resc.isEmpty() && !resc.equals(Catalog.RESOURCE)) {
            throw new SandboxError(-78000, "no resource " + resc); // SYS_RESC_DOES_NOT_EXIST
        }
        String file = kv.get("filePath");
        if (file == null) {
            throw new SandboxError(-31000, "no filePath for " + objPath); // SYS_INVALID_FILE_PATH
        }
        if (!s.user.isAdmin() && !file.isEmpty()) {
            throw new SandboxError(ErrorCode.PATH_REG_NOT_ALLOWED, s.user.name() + " may not register " + file);
        }
        Session.checkPath(objPath);
        if (kv.containsKey("collection")) {
            directory(s, objPath, Path.of(file), kv);
            return Agent.Reply.ok(0);
        }
        file(s, objPath, Path.of(file), kv.get("dataSize"), in.dataSize(), kv);
        return Agent.Reply.ok(0);
    }

    /**
     * {@code ireg -C}, as dirPathReg: the collection is created when missing (its parent must exist), every regular
     * file below the directory is registered ({@code forceFlag}: existing objects are skipped), sub-directories
     * recursively. A file that fails does not stop the others (iRODS adds it to the error stack and answers 0).
     */
    private static void directory(Session s, String coll, Path dir, java.util.Map<String, String> kv)
        throws SandboxError, IOException {
        Catalog.Coll existing = s.catalog().tx(c -> c.coll(coll));
        if (existing == null) {
            s.catalog().tx(c -> {
                Catalog.Coll parent = c.coll(Paths.parent(coll));
                if (parent == null) {
                    throw new SandboxError(ErrorCode.CAT_UNKNOWN_COLLECTION, "no collection " + Paths.parent(coll));
                }
                if (c.data(coll) != null) {
                    throw new SandboxError(ErrorCode.CAT_NAME_EXISTS_AS_DATAOBJ, coll + " is a data object");
                }
                if (c.accessLevel(parent.id(), s.principals) < Access.MODIFY_OBJECT.type) {
                    throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " may not create "
                        + coll);
                }
                Catalog.Coll made = c.createColl(coll, s.user);
                if (parent.inherit()) {
                    c.copyAccess(parent.id(), made.id());
                    c.setInherit(made.id(), true);
                }
                c.touchColl(parent.name());
                return null;
            });
        }
        java.util.List<Path> entries;
        try (java.util.stream.Stream<Path> l = Files.list(dir)) {
            entries = l.sorted().toList();
        } catch (NoSuchFileException e) {
            throw new SandboxError(-522000 - ENOENT, "no directory " + dir); // UNIX_FILE_OPENDIR_ERR
        } catch (java.nio.file.NotDirectoryException e) {
            throw new SandboxError(-522000 - 20, dir + " is not a directory"); // UNIX_FILE_OPENDIR_ERR - ENOTDIR
        }
        boolean force = kv.containsKey("forceFlag");
        for (Path e : entries) {
            String child = Paths.join(coll, e.getFileName().toString());
            if (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    directory(s, child, e, kv);
                } catch (SandboxError err) {
                    java.util.logging.Logger.getLogger(PathRegistration.class.getName()).fine("dirPathReg: "
                        + child + ": " + err.getMessage());
                }
            } else if (Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS)) {
                if (force && s.catalog().tx(c -> c.data(child)) != null) {
                    continue;
                }
                try {
                    file(s, child, e, null, 0, kv);
                } catch (SandboxError err) {
                    java.util.logging.Logger.getLogger(PathRegistration.class.getName()).fine("dirPathReg: "
                        + child + ": " + err.getMessage());
                }
            }
        }
    }

    /** filePathReg: one file as one new data object. */
    private static void file(Session s, String objPath, Path phys, String dataSize, long dataSizeField,
                             java.util.Map<String, String> kv) throws SandboxError {
        String file = phys.toString();
        long size = size(dataSize, dataSizeField, phys);
        String checksum = "";
        if (kv.containsKey("regChksum") || kv.containsKey("verifyChksum")) {
            try {
                checksum = Checksums.sha256(phys);
            } catch (AccessDeniedException e) {
                throw new SandboxError(ErrorCode.UNIX_FILE_OPEN_ERR.code - EACCES, "cannot read " + file);
            } catch (IOException e) {
                throw new SandboxError(ErrorCode.UNIX_FILE_OPEN_ERR.code - EACCES, "cannot read " + file + ": "
                    + e.getMessage());
            }
        }
        String sum = checksum;
        String parentName = Paths.parent(objPath);
        s.catalog().tx(c -> {
            Catalog.Coll parent = c.coll(parentName);
            if (parent == null) {
                throw new SandboxError(ErrorCode.CAT_UNKNOWN_COLLECTION, "collection '" + parentName + "' is unknown");
            }
            if (c.accessLevel(parent.id(), s.principals) < Access.MODIFY_OBJECT.type) {
                throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, "no permission to update collection '"
                    + parentName + "'");
            }
            if (c.coll(objPath) != null) {
                throw new SandboxError(ErrorCode.CAT_NAME_EXISTS_AS_COLLECTION, "collection exists: " + objPath);
            }
            if (c.data(objPath) != null) {
                throw new SandboxError(ErrorCode.CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME, objPath + " exists");
            }
            c.registerData(parent, Paths.name(objPath), s.user, kv.get("dataType"), phys.toString(), size, sum);
            c.touchColl(parent.name());
            return null;
        });
    }

    /**
     * As filePathReg: the {@code dataSize} keyword when it parses as a whole number (no stat then), else the
     * request's dataSize field when positive (no stat either), else the file's size from a stat
     * (getFileMetadataFromVault). A keyword that does not parse is logged by iRODS and counts as absent.
     */
    private static long size(String given, long field, Path phys) throws SandboxError {
        if (given != null) {
            try {
                return Long.parseLong(given);
            } catch (NumberFormatException e) {
                field = 0; // bad_lexical_cast: "setting to 0", then the file is stat'ed
            }
        }
        if (field > 0) {
            return field;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(phys, BasicFileAttributes.class);
            if (a.isDirectory()) {
                throw new SandboxError(-52000, phys + " is a directory"); // SYS_PATH_IS_NOT_A_FILE
            }
            return a.size();
        } catch (NoSuchFileException e) {
            throw new SandboxError(ErrorCode.UNIX_FILE_STAT_ERR.code - ENOENT, "no file " + phys);
        } catch (IOException e) {
            throw new SandboxError(ErrorCode.UNIX_FILE_STAT_ERR.code - EACCES, "cannot stat " + phys);
        }
    }
}

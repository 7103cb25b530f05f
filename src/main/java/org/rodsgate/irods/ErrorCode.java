package org.rodsgate.irods;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single place where an iRODS error code becomes an errno (irods-protocol.md §6).
 *
 * <p>Names: every code of iRODS's {@code rodsErrorTable.h} (4.2 to 5.0) is known as data, from the resource
 * {@code rodsErrorTable.tsv} beside this class (its header names the source and version). A code iRODS builds as
 * {@code -mmmmnnn} (a table code plus an errno, e.g. -516002) is named after its family ({@code -mmmm000}).
 *
 * <p>Errnos: the constants below are the codes that mean something a program can act on, each with its errno
 * chosen deliberately. Every other code of the table means {@link Errno#EIO}: a failure inside the server, its
 * resources, plugins or rule engine that the caller cannot fix. A family code with an embedded errno means that
 * errno when the family has no errno of its own below (iRODS puts the errno of the failed system call there).
 */
public enum ErrorCode {
    SYS_HEADER_READ_LEN_ERR(-4000, Errno.EIO, "the server's agent closed the connection"),
    SYS_EXCEED_CONNECT_CNT(-9000, Errno.EAGAIN, "too many connections"),
    SYS_USER_NOT_ALLOWED_TO_CONN(-10000, Errno.EACCES, "user not allowed to connect"),
    SYS_UNMATCHED_API_NUM(-12000, Errno.ENOSYS, "API unknown to the server"),
    SYS_NO_API_PRIV(-13000, Errno.EACCES, "API not allowed for this user"),
    SYS_API_INPUT_ERR(-14000, Errno.EIO, "malformed request"),
    SYS_PACK_INSTRUCT_FORMAT_ERR(-15000, Errno.EIO, "malformed message"),
    SYS_FILE_DESC_OUT_OF_RANGE(-19000, Errno.EBADF, "bad descriptor"),
    SYS_BAD_FILE_DESCRIPTOR(-23000, Errno.EBADF, "bad descriptor"),
    SYS_INTERNAL_NULL_INPUT_ERR(-24000, Errno.EINVAL, "missing input"),
    SYS_NO_PATH_PERMISSION(-36000, Errno.EACCES, "no permission on the path"),
    SYS_PROXYUSER_NO_PRIV(-39000, Errno.EPERM, "proxy user may not act for that user"),
    SYS_NO_DATA_OBJ_PERMISSION(-40000, Errno.EACCES, "no permission on the data object"),
    SYS_DELETE_DISALLOWED(-41000, Errno.EPERM, "deletion disallowed by policy"),
    SYS_NOT_SUPPORTED(-66000, Errno.ENOTSUP, "not supported by the server"),
    SYS_COLLECTION_NOT_EMPTY(-79000, Errno.ENOTEMPTY, "collection not empty"),
    SYS_CROSS_ZONE_MV_NOT_SUPPORTED(-109000, Errno.EXDEV, "move across zones"),
    SYS_RESC_QUOTA_EXCEEDED(-110000, Errno.EDQUOT, "resource quota exceeded"),
    SYS_SOCK_READ_TIMEDOUT(-115000, Errno.ETIMEDOUT, "read timed out"),
    SYS_SOCK_READ_ERR(-116000, Errno.EIO, "socket read failed"),
    SYS_MAX_CONNECT_COUNT_EXCEEDED(-118000, Errno.EAGAIN, "too many connections"),
    SYS_USER_NO_PERMISSION(-121000, Errno.EACCES, "no permission"),
    PATH_REG_NOT_ALLOWED(-129000, Errno.EACCES, "registering a physical path is not allowed for this user"),
    SYS_INVALID_INPUT_PARAM(-130000, Errno.EINVAL, "invalid input"),
    SYS_NOT_IMPLEMENTED(-146000, Errno.ENOSYS, "not implemented by the server"),
    SYS_NEGATIVE_SIZE(-150000, Errno.EINVAL, "negative size"),
    SYS_BAD_INPUT(-158000, Errno.EINVAL, "bad input"),
    SYS_OPERATION_IN_PROGRESS(-163000, Errno.EBUSY, "operation in progress"),
    SYS_REPLICA_DOES_NOT_EXIST(-164000, Errno.ENOENT, "no such replica"),
    SYS_NO_GOOD_REPLICA(-166000, Errno.EIO, "no good replica"),
    SYS_REPLICA_INACCESSIBLE(-168000, Errno.EIO, "replica inaccessible"),
    SYS_NOT_ALLOWED(-169000, Errno.EPERM, "not allowed"),
    NOT_A_COLLECTION(-170000, Errno.ENOTDIR, "not a collection"),
    NOT_A_DATA_OBJECT(-171000, Errno.EISDIR, "not a data object"),
    DOES_NOT_EXIST(-176000, Errno.ENOENT, "does not exist"),
    AUTHENTICATION_ERROR(-178000, Errno.EACCES, "authentication failed"),
    CONNECTION_REFUSED(-185000, Errno.ECONNREFUSED, "connection refused"),
    USER_STRLEN_TOOLONG(-306000, Errno.ENAMETOOLONG, "name too long"),
    USER_PACKSTRUCT_INPUT_ERR(-308000, Errno.ENAMETOOLONG, "input too long for the protocol"),
    USER_FILE_DOES_NOT_EXIST(-310000, Errno.ENOENT, "no such data object or collection"),
    USER_FILE_TOO_LARGE(-311000, Errno.EFBIG, "file too large"),
    OVERWRITE_WITHOUT_FORCE_FLAG(-312000, Errno.EEXIST, "target exists"),
    USER_CHKSUM_MISMATCH(-314000, Errno.EIO, "checksum mismatch"),
    USER_INPUT_PATH_ERR(-317000, Errno.EINVAL, "invalid path"),
    SAME_SRC_DEST_PATHS_ERR(-339000, Errno.EINVAL, "source and target are the same"),
    BAD_INPUT_DESC_INDEX(-345000, Errno.EBADF, "bad descriptor"),
    USER_PATH_EXCEEDS_MAX(-346000, Errno.ENAMETOOLONG, "path too long"),
    USER_SOCK_CONNECT_TIMEDOUT(-347000, Errno.ETIMEDOUT, "connect timed out"),
    USER_ACCESS_DENIED(-350000, Errno.EACCES, "access denied"),
    CANT_RM_NON_EMPTY_HOME_COLL(-354000, Errno.ENOTEMPTY, "home collection not empty"),
    OBJ_PATH_DOES_NOT_EXIST(-358000, Errno.ENOENT, "no such data object"),
    USER_INSUFFICIENT_FREE_INODES(-400000, Errno.ENOSPC, "no free inodes"),
    USER_FILE_SIZE_MISMATCH(-401000, Errno.EIO, "size mismatch"),
    USER_INCOMPATIBLE_OPEN_FLAGS(-404000, Errno.EINVAL, "incompatible open flags"),
    INTERMEDIATE_REPLICA_ACCESS(-405000, Errno.EBUSY, "replica being written by another client"),
    LOCKED_DATA_OBJECT_ACCESS(-406000, Errno.EBUSY, "data object locked by another client"),
    UNIX_FILE_OPEN_ERR(-510000, Errno.EIO, "vault file could not be opened"),
    UNIX_FILE_READ_ERR(-512000, Errno.EIO, "vault read failed"),
    UNIX_FILE_WRITE_ERR(-513000, Errno.EIO, "vault write failed"),
    UNIX_FILE_STAT_ERR(-516000, Errno.EIO, "vault file stat failed"),
    UNIX_FILE_OPR_TIMEOUT_ERR(-540000, Errno.ETIMEDOUT, "vault operation timed out"),
    CAT_SQL_ERR(-806000, Errno.EIO, "catalog SQL error"),
    CAT_NO_ROWS_FOUND(-808000, Errno.ENOENT, "nothing found"),
    CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME(-809000, Errno.EEXIST, "already exists"),
    CAT_UNKNOWN_COLLECTION(-814000, Errno.ENOENT, "no such collection"),
    CAT_INVALID_ARGUMENT(-816000, Errno.EINVAL, "invalid argument"),
    CAT_UNKNOWN_FILE(-817000, Errno.ENOENT, "no such data object"),
    CAT_NO_ACCESS_PERMISSION(-818000, Errno.EACCES, "permission denied"),
    /** What 5.0.2 answers to removing an AVU that is not there (golden frames {@code avu_rm_missing}). */
    CAT_SUCCESS_BUT_WITH_NO_INFO(-819000, Errno.ENODATA, "nothing matched, nothing changed"),
    CAT_INVALID_USER_TYPE(-820000, Errno.EINVAL, "no such user type"),
    CAT_COLLECTION_NOT_EMPTY(-821000, Errno.ENOTEMPTY, "collection not empty"),
    CAT_INVALID_AUTHENTICATION(-826000, Errno.EACCES, "wrong password"),
    CAT_INVALID_USER(-827000, Errno.EACCES, "no such user"),
    CAT_INVALID_ZONE(-828000, Errno.ENOENT, "no such zone"),
    CAT_INVALID_GROUP(-829000, Errno.EINVAL, "no such group"),
    CAT_INSUFFICIENT_PRIVILEGE_LEVEL(-830000, Errno.EPERM, "needs a rodsadmin"),
    /** A proxied login for a client user iRODS does not know (golden {@code proxy_login_unknown_client_user}). */
    CAT_INVALID_CLIENT_USER(-832000, Errno.EACCES, "no such iRODS user to act as"),
    CAT_NAME_EXISTS_AS_COLLECTION(-833000, Errno.EEXIST, "a collection has that name"),
    CAT_NAME_EXISTS_AS_DATAOBJ(-834000, Errno.EEXIST, "a data object has that name"),
    CAT_RECURSIVE_MOVE(-837000, Errno.EINVAL, "collection moved into itself"),
    CAT_PASSWORD_EXPIRED(-840000, Errno.EACCES, "password expired"),
    CAT_PASSWORD_ENCODING_ERROR(-850000, Errno.EACCES, "password encoding"),
    CAT_TABLE_ACCESS_DENIED(-851000, Errno.EACCES, "catalog table access denied"),
    CAT_UNKNOWN_SPECIFIC_QUERY(-853000, Errno.EINVAL, "no such specific query"),
    CAT_STATEMENT_TABLE_FULL(-860000, Errno.EMFILE, "too many open queries"),
    CAT_NO_CHECKSUM_FOR_REPLICA(-862000, Errno.ENODATA, "no checksum"),
    CAT_TICKET_INVALID(-890000, Errno.EACCES, "invalid ticket"),
    CAT_TICKET_EXPIRED(-891000, Errno.EACCES, "ticket expired"),
    CAT_TICKET_USES_EXCEEDED(-892000, Errno.EACCES, "ticket used up"),
    CAT_TICKET_USER_EXCLUDED(-893000, Errno.EACCES, "ticket excludes this user"),
    CAT_TICKET_HOST_EXCLUDED(-894000, Errno.EACCES, "ticket excludes this host"),
    CAT_TICKET_GROUP_EXCLUDED(-895000, Errno.EACCES, "ticket excludes this group"),
    CAT_TICKET_WRITE_USES_EXCEEDED(-896000, Errno.EACCES, "ticket write uses exceeded"),
    CAT_TICKET_WRITE_BYTES_EXCEEDED(-897000, Errno.EDQUOT, "ticket write bytes exceeded"),
    PAM_AUTH_PASSWORD_FAILED(-993000, Errno.EACCES, "wrong password"),
    PAM_AUTH_PASSWORD_INVALID_TTL(-994000, Errno.EINVAL, "invalid password lifetime"),
    /** 5.0.2 answers an open of a write-locked replica with this; the client turns it into EBUSY there. */
    HIERARCHY_ERROR(-1803000, Errno.EIO, "no usable replica"),
    USER_NOT_IN_GROUP(-1830000, Errno.EACCES, "user not in group"),
    SERVER_NEGOTIATION_ERROR(-1825000, Errno.EPROTO, "TLS negotiation failed"),
    DEPRECATED_AUTHENTICATION_PLUGIN(-3002000, Errno.EIO, "deprecated authentication (a notice)");

    public final int code;
    public final Errno errno;
    /** A few words for a person, used in messages after the name. */
    public final String description;

    ErrorCode(int code, Errno errno, String description) {
        this.code = code;
        this.errno = errno;
        this.description = description;
    }

    private static final Map<Integer, ErrorCode> BY_CODE = new HashMap<>();

    static {
        for (ErrorCode e : values()) {
            BY_CODE.put(e.code, e);
        }
    }

    /** The exact code among the constants, or null. */
    public static ErrorCode of(int code) {
        return BY_CODE.get(code);
    }

    /** Every code of iRODS's error table with its name (the first name given to it), in the table's order. */
    public static Map<Integer, String> table() {
        return Table.NAMES;
    }

    /** The family of a code: {@code -mmmm000} for {@code -mmmmnnn} (codes below -9,999,000 are their own family). */
    public static int family(int code) {
        return code <= -99_999_000 ? code : (code / 1000) * 1000;
    }

    /**
     * The name of a code: the table's, else its family's with an embedded errno as a suffix
     * ({@code UNIX_FILE_STAT_ERR+ENOENT} for -516002), else {@code IRODS_ERROR_<n>} for a code no table has.
     */
    public static String nameOf(int code) {
        String exact = Table.NAMES.get(code);
        if (exact != null) {
            return exact;
        }
        int base = family(code);
        int sub = base - code;
        String bn = Table.NAMES.getOrDefault(base, "IRODS_ERROR_" + (-base));
        return sub == 0 ? bn : bn + "+" + Errno.nameOf(sub);
    }

    /** The name with a few words for a person: {@code USER_FILE_DOES_NOT_EXIST (no such data object or collection)}. */
    public static String describe(int code) {
        ErrorCode e = of(family(code));
        return e == null ? nameOf(code) : nameOf(code) + " (" + e.description + ")";
    }

    /**
     * The errno a code means: the constant's, else (for {@code -mmmmnnn}) the family constant's, else the embedded
     * errno, else EIO for every other code of the table and for codes no table has.
     */
    public static int errnoOf(int code) {
        ErrorCode e = of(code);
        if (e != null) {
            return e.errno.value;
        }
        int base = family(code);
        ErrorCode b = of(base);
        if (b != null && b.errno != Errno.EIO) {
            return b.errno.value;
        }
        int sub = base - code;
        if (sub > 0 && sub < 1000) {
            return sub;
        }
        return Errno.EIO.value;
    }

    /** The table, loaded once from the resource. */
    private static final class Table {
        static final Map<Integer, String> NAMES = load();

        private static Map<Integer, String> load() {
            Map<Integer, String> m = new LinkedHashMap<>();
            try (InputStream in = ErrorCode.class.getResourceAsStream("rodsErrorTable.tsv")) {
                if (in == null) {
                    throw new IllegalStateException("rodsErrorTable.tsv missing from the classpath");
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] f = line.split("\t");
                    m.putIfAbsent(Integer.parseInt(f[0]), f[1]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Collections.unmodifiableMap(m);
        }
    }
}

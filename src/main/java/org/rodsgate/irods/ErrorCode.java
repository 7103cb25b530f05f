package org.rodsgate.irods;

import java.util.HashMap;
import java.util.Map;

/**
 * iRODS error codes that rodsgate meets, with the errno each means (irods-protocol.md §6). The single place where
 * an iRODS code becomes an errno. A code with a remainder ({@code base - errno}) carries the errno itself.
 */
public enum ErrorCode {
    SYS_HEADER_READ_LEN_ERR(-4000, Errno.EIO),
    SYS_EXCEED_CONNECT_CNT(-9000, Errno.EAGAIN),
    SYS_USER_NOT_ALLOWED_TO_CONN(-10000, Errno.EACCES),
    SYS_UNMATCHED_API_NUM(-12000, Errno.ENOSYS),
    SYS_NO_API_PRIV(-13000, Errno.EACCES),
    SYS_API_INPUT_ERR(-14000, Errno.EIO),
    SYS_PACK_INSTRUCT_FORMAT_ERR(-15000, Errno.EIO),
    SYS_FILE_DESC_OUT_OF_RANGE(-19000, Errno.EBADF),
    SYS_BAD_FILE_DESCRIPTOR(-23000, Errno.EBADF),
    SYS_INTERNAL_NULL_INPUT_ERR(-24000, Errno.EINVAL),
    SYS_PROXYUSER_NO_PRIV(-39000, Errno.EPERM),
    SYS_NOT_SUPPORTED(-66000, Errno.ENOTSUP),
    SYS_COLLECTION_NOT_EMPTY(-79000, Errno.ENOTEMPTY),
    SYS_CROSS_ZONE_MV_NOT_SUPPORTED(-109000, Errno.EXDEV),
    SYS_RESC_QUOTA_EXCEEDED(-110000, Errno.EDQUOT),
    SYS_SOCK_READ_ERR(-116000, Errno.EIO),
    SYS_INVALID_INPUT_PARAM(-130000, Errno.EINVAL),
    SYS_REPLICA_DOES_NOT_EXIST(-164000, Errno.ENOENT),
    SYS_REPLICA_INACCESSIBLE(-168000, Errno.EIO),
    SYS_NOT_ALLOWED(-169000, Errno.EPERM),
    USER_STRLEN_TOOLONG(-306000, Errno.ENAMETOOLONG),
    USER_PACKSTRUCT_INPUT_ERR(-308000, Errno.ENAMETOOLONG),
    USER_FILE_DOES_NOT_EXIST(-310000, Errno.ENOENT),
    OVERWRITE_WITHOUT_FORCE_FLAG(-312000, Errno.EEXIST),
    USER_CHKSUM_MISMATCH(-314000, Errno.EIO),
    USER_INPUT_PATH_ERR(-317000, Errno.EINVAL),
    SAME_SRC_DEST_PATHS_ERR(-339000, Errno.EINVAL),
    BAD_INPUT_DESC_INDEX(-345000, Errno.EBADF),
    CANT_RM_NON_EMPTY_HOME_COLL(-354000, Errno.ENOTEMPTY),
    OBJ_PATH_DOES_NOT_EXIST(-358000, Errno.ENOENT),
    USER_INCOMPATIBLE_OPEN_FLAGS(-404000, Errno.EINVAL),
    INTERMEDIATE_REPLICA_ACCESS(-405000, Errno.EBUSY),
    LOCKED_DATA_OBJECT_ACCESS(-406000, Errno.EBUSY),
    UNIX_FILE_OPEN_ERR(-510000, Errno.EIO),
    UNIX_FILE_READ_ERR(-516000, Errno.EIO),
    UNIX_FILE_WRITE_ERR(-517000, Errno.EIO),
    CAT_NO_ROWS_FOUND(-808000, Errno.ENOENT),
    CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME(-809000, Errno.EEXIST),
    CAT_UNKNOWN_COLLECTION(-814000, Errno.ENOENT),
    CAT_INVALID_ARGUMENT(-816000, Errno.EINVAL),
    CAT_UNKNOWN_FILE(-817000, Errno.ENOENT),
    CAT_NO_ACCESS_PERMISSION(-818000, Errno.EACCES),
    CAT_COLLECTION_NOT_EMPTY(-821000, Errno.ENOTEMPTY),
    CAT_INVALID_AUTHENTICATION(-826000, Errno.EACCES),
    CAT_INVALID_USER(-827000, Errno.EACCES),
    CAT_INSUFFICIENT_PRIVILEGE_LEVEL(-830000, Errno.EPERM),
    CAT_NAME_EXISTS_AS_COLLECTION(-833000, Errno.EEXIST),
    CAT_NAME_EXISTS_AS_DATAOBJ(-834000, Errno.EEXIST),
    CAT_RECURSIVE_MOVE(-837000, Errno.EINVAL),
    CAT_PASSWORD_EXPIRED(-840000, Errno.EACCES),
    CAT_STATEMENT_TABLE_FULL(-860000, Errno.EMFILE),
    SERVER_NEGOTIATION_ERROR(-1825000, Errno.EPROTO),
    HIERARCHY_ERROR(-1803000, Errno.EIO),
    PAM_AUTH_PASSWORD_FAILED(-993000, Errno.EACCES),
    DEPRECATED_AUTHENTICATION_PLUGIN(-3002000, Errno.EIO);

    public final int code;
    public final Errno errno;

    ErrorCode(int code, Errno errno) {
        this.code = code;
        this.errno = errno;
    }

    private static final Map<Integer, ErrorCode> BY_CODE = new HashMap<>();

    static {
        for (ErrorCode e : values()) {
            BY_CODE.put(e.code, e);
        }
    }

    /** The exact code, or null. */
    public static ErrorCode of(int code) {
        return BY_CODE.get(code);
    }

    /** The name for a code, with an embedded errno shown as a suffix ("UNIX_FILE_OPEN_ERR+ENOENT"). */
    public static String nameOf(int code) {
        ErrorCode e = of(code);
        if (e != null) {
            return e.name();
        }
        int base = (code / 1000) * 1000;
        int sub = -(code % 1000);
        ErrorCode b = of(base);
        String bn = b != null ? b.name() : "IRODS_ERROR_" + (-base);
        return sub == 0 ? bn : bn + "+" + Errno.nameOf(sub);
    }

    /** The errno a code means (§6): the exact code's, else the embedded errno, else the base's, else EIO. */
    public static int errnoOf(int code) {
        ErrorCode e = of(code);
        if (e != null) {
            return e.errno.value;
        }
        int sub = -(code % 1000);
        if (sub > 0) {
            return sub;
        }
        ErrorCode b = of((code / 1000) * 1000);
        return b != null ? b.errno.value : Errno.EIO.value;
    }
}

package org.rodsgate.irods;

/** API numbers used by rodsgate (irods-protocol.md §4.1). Never send one the server's version lacks (§1.7). */
public final class ApiNumber {
    private ApiNumber() {}

    public static final int DATA_OBJ_CREATE = 601;
    public static final int DATA_OBJ_OPEN = 602;
    public static final int DATA_OBJ_UNLINK = 615;
    public static final int MOD_DATA_OBJ_META = 622;
    public static final int DATA_OBJ_RENAME = 627;
    public static final int DATA_OBJ_CHKSUM = 629;
    public static final int PHY_PATH_REG = 630;
    public static final int OBJ_STAT = 633;
    public static final int DATA_OBJ_TRUNCATE = 652;
    public static final int DATA_OBJ_CLOSE = 673;
    public static final int DATA_OBJ_LSEEK = 674;
    public static final int DATA_OBJ_COPY = 696;
    public static final int DATA_OBJ_READ = 675;
    public static final int DATA_OBJ_WRITE = 676;
    public static final int RM_COLL = 679;
    public static final int COLL_CREATE = 681;
    public static final int GET_MISC_SVR_INFO = 700;
    public static final int GENERAL_ADMIN = 701;
    public static final int GEN_QUERY = 702;
    public static final int AUTH_REQUEST = 703;
    public static final int AUTH_RESPONSE = 704;
    public static final int MOD_AVU_METADATA = 706;
    public static final int MOD_ACCESS_CONTROL = 707;
    public static final int SPECIFIC_QUERY = 722;
    public static final int REPLICA_TRUNCATE = 802;
    public static final int GET_FILE_DESCRIPTOR_INFO = 20000;
    public static final int REPLICA_OPEN = 20003;
    public static final int REPLICA_CLOSE = 20004;
    public static final int TOUCH = 20007;
    public static final int AUTHENTICATION = 110000;

    /** RM_COLL progress: the server's intermediate reply, and the client's 4-byte acknowledgement (§4.11). */
    public static final int SVR_TO_CLI_COLL_STAT = 99999996;
    public static final int CLI_TO_SVR_COLL_STAT_REPLY = 99999997;
}

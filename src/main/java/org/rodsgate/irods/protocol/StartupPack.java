package org.rodsgate.irods.protocol;

/** StartupPack_PI, the body of RODS_CONNECT (§2.2). */
public record StartupPack(int irodsProt, int connectCnt, String proxyUser, String proxyZone, String clientUser,
                          String clientZone, String relVersion, String apiVersion, String option) {

    public static final String REQUEST_NEGOTIATION = "request_server_negotiation";

    public byte[] pack() {
        return PackWriter.client("StartupPack_PI").i("irodsProt", irodsProt).i("reconnFlag", 0)
            .i("connectCnt", connectCnt).str("proxyUser", proxyUser).str("proxyRcatZone", proxyZone)
            .str("clientUser", clientUser).str("clientRcatZone", clientZone).str("relVersion", relVersion)
            .str("apiVersion", apiVersion).str("option", option).bytes();
    }

    public static StartupPack parse(XmlNode n) {
        return new StartupPack(n.int32("irodsProt"), n.int32("connectCnt"), n.str("proxyUser", ""),
            n.str("proxyRcatZone", ""), n.str("clientUser", ""), n.str("clientRcatZone", ""),
            n.str("relVersion", ""), n.str("apiVersion", ""), n.str("option", ""));
    }

    public boolean requestsNegotiation() {
        return option != null && option.contains(REQUEST_NEGOTIATION);
    }
}

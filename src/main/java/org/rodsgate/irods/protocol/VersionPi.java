package org.rodsgate.irods.protocol;

/** Version_PI, the server's answer to RODS_CONNECT (§2.3). A negative status refuses the connection. */
public record VersionPi(int status, String relVersion, String apiVersion, int reconnPort, String reconnAddr,
                        int cookie) {

    public byte[] pack() {
        return PackWriter.server("Version_PI").i("status", status).str("relVersion", relVersion)
            .str("apiVersion", apiVersion).i("reconnPort", reconnPort).str("reconnAddr", reconnAddr)
            .i("cookie", cookie).bytes();
    }

    public static VersionPi parse(XmlNode n) {
        return new VersionPi(n.int32("status"), n.str("relVersion", ""), n.str("apiVersion", ""),
            n.int32("reconnPort"), n.str("reconnAddr", ""), n.int32("cookie"));
    }
}

package org.rodsgate.irods.protocol;

/** modAccessControlInp_PI (§4.13). */
public record ModAccessControlInp(int recursiveFlag, String accessLevel, String userName, String zone, String path) {
    public byte[] pack() {
        return PackWriter.client("modAccessControlInp_PI").i("recursiveFlag", recursiveFlag)
            .str("accessLevel", accessLevel).str("userName", userName).str("zone", zone).str("path", path).bytes();
    }

    public static ModAccessControlInp parse(XmlNode n) {
        return new ModAccessControlInp(n.int32("recursiveFlag"), n.str("accessLevel", ""), n.str("userName", ""),
            n.str("zone", ""), n.str("path", ""));
    }
}

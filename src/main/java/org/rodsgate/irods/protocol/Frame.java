package org.rodsgate.irods.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One iRODS message: the MsgHeader_PI fields and the three optional parts, msg, error and bs (§1.1).
 * {@code bs} may be a slice of a larger buffer ({@code bsOff}, {@code bsLen}) so that data need not be copied.
 */
public record Frame(String type, int intInfo, byte[] msg, byte[] error, byte[] bs, int bsOff, int bsLen) {

    public static final String API_REQ = "RODS_API_REQ";
    public static final String API_REPLY = "RODS_API_REPLY";
    public static final String CONNECT = "RODS_CONNECT";
    public static final String VERSION = "RODS_VERSION";
    public static final String CS_NEG = "RODS_CS_NEG_T";
    public static final String DISCONNECT = "RODS_DISCONNECT";
    public static final String HEARTBEAT = "HEARTBEAT";
    public static final String SHARED_SECRET = "SHARED_SECRET";

    public static Frame of(String type, int intInfo, byte[] msg) {
        return new Frame(type, intInfo, msg, null, null, 0, 0);
    }

    public static Frame of(String type, int intInfo, byte[] msg, byte[] error, byte[] bs) {
        return new Frame(type, intInfo, msg, error, bs, 0, bs == null ? 0 : bs.length);
    }

    public int msgLen() {
        return msg == null ? 0 : msg.length;
    }

    public int errorLen() {
        return error == null ? 0 : error.length;
    }

    public XmlNode msgXml() {
        if (msg == null || msg.length == 0) {
            return null;
        }
        return XmlNode.parse(msg);
    }

    public String msgText() {
        return msg == null ? null : new String(msg, StandardCharsets.UTF_8);
    }

    /** The bs part as its own array (copies when it is a slice). */
    public byte[] bsBytes() {
        if (bs == null) {
            return new byte[0];
        }
        if (bsOff == 0 && bsLen == bs.length) {
            return bs;
        }
        return java.util.Arrays.copyOfRange(bs, bsOff, bsOff + bsLen);
    }
}

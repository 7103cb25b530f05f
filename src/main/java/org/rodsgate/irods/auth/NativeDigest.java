package org.rodsgate.irods.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The native authentication digest (irods-protocol.md §3.1): MD5 over the 64 challenge bytes followed by the
 * password truncated or zero-padded to 50 bytes; any 0x00 byte of the result becomes 0x01.
 */
public final class NativeDigest {
    public static final int CHALLENGE_LEN = 64;
    public static final int MAX_PASSWORD_LEN = 50;

    private NativeDigest() {}

    public static byte[] compute(byte[] challenge, String password) {
        if (challenge.length < CHALLENGE_LEN) {
            throw new IllegalArgumentException("challenge has " + challenge.length + " bytes, need 64");
        }
        byte[] buf = new byte[CHALLENGE_LEN + MAX_PASSWORD_LEN];
        System.arraycopy(challenge, 0, buf, 0, CHALLENGE_LEN);
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(pw, 0, buf, CHALLENGE_LEN, Math.min(pw.length, MAX_PASSWORD_LEN));
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(buf);
            for (int i = 0; i < d.length; i++) {
                if (d[i] == 0) {
                    d[i] = 1;
                }
            }
            return d;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

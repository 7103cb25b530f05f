package org.rodsgate.fs.open;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.rodsgate.irods.Paths;

/**
 * Names of the data objects the open-file lifecycle keeps beside a user's object: a new version being uploaded
 * ({@code .rodsgate-part-HEX}), an unlinked object still open through the mount ({@code .rodsgate-gone-HEX}), and a
 * version that lost a conflict ({@code NAME.conflict-UTCSTAMP-HEX}). The first two are work objects: hidden from
 * listings and never complete user data (a crash may leave them behind; they are safe to delete). A conflict copy
 * is complete user data, shown on purpose so that its owner finds it.
 */
public final class WorkNames {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern WORK = Pattern.compile("\\.rodsgate-(part|gone)-[0-9a-f]{16}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private WorkNames() {}

    /** A fresh name for a new version of {@code target}, in the same collection. */
    public static String part(String target) {
        return Paths.join(Paths.parent(target), ".rodsgate-part-" + nonce(8));
    }

    /**
     * The same hidden work name every time for the same {@code key} (e.g. what is copied to {@code target}): a copy
     * cut by a crash finds its work object again and continues it. Same form as {@link #part(String)}, so the mount
     * hides it too.
     */
    public static String part(String target, String key) {
        byte[] h;
        try {
            h = java.security.MessageDigest.getInstance("SHA-256").digest(
                (target + "\0" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        return Paths.join(Paths.parent(target), ".rodsgate-part-" + HexFormat.of().formatHex(h, 0, 8));
    }

    /** A fresh hidden name for an unlinked object that is still open, in the same collection. */
    public static String gone(String target) {
        return Paths.join(Paths.parent(target), ".rodsgate-gone-" + nonce(8));
    }

    /** Where a version that lost a conflict is kept: beside {@code target}, visible. */
    public static String conflict(String target) {
        return target + ".conflict-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "-" + nonce(2);
    }

    /** Whether a name (last path component) is one of the hidden work objects. */
    public static boolean isWork(String name) {
        return WORK.matcher(name).matches();
    }

    private static String nonce(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

package org.rodsgate.reverse.place;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * OMERO's file hashes and iRODS's checksums, brought to one form (algorithm + digest bytes) so they can be compared
 * whatever their text encoding: OMERO stores lower-case hex ({@code OriginalFile.hash}, hasher {@code SHA1-160} or
 * {@code MD5-128}; ome.util.checksum.ChecksumProviderFactory), iRODS {@code sha2:BASE64} (SHA-256, its default
 * scheme), {@code sha512:BASE64}, {@code sha1:BASE64} or bare hex for MD5 (irods/irods lib/core/src/checksum.cpp and
 * the hasher plugins). Also the running digests of a file being copied.
 */
final class Digests {
    /** The algorithms rodsgate can compute locally, with their JDK names. */
    enum Algo {
        SHA256("SHA-256"), SHA1("SHA-1"), MD5("MD5"), SHA512("SHA-512");

        final String jdk;

        Algo(String jdk) {
            this.jdk = jdk;
        }

        MessageDigest newDigest() {
            try {
                return MessageDigest.getInstance(jdk);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no " + jdk, e);
            }
        }
    }

    /** A digest: algorithm and bytes. */
    record Sum(Algo algo, byte[] bytes) {
        String hex() {
            return HexFormat.of().formatHex(bytes);
        }

        boolean sameAs(Sum o) {
            return o != null && algo == o.algo && MessageDigest.isEqual(bytes, o.bytes);
        }

        @Override
        public String toString() {
            return algo.jdk + " " + hex();
        }
    }

    private final Map<Algo, MessageDigest> running = new EnumMap<>(Algo.class);

    /** Running digests of these algorithms (duplicates and nulls ignored). */
    Digests(Algo... algos) {
        for (Algo a : algos) {
            if (a != null) {
                running.computeIfAbsent(a, Algo::newDigest);
            }
        }
    }

    void update(byte[] b, int off, int len) {
        for (MessageDigest md : running.values()) {
            md.update(b, off, len);
        }
    }

    boolean has(Algo a) {
        return running.containsKey(a);
    }

    /** The digest so far of {@code a} (the running digest is not disturbed). */
    Sum sum(Algo a) {
        try {
            return new Sum(a, ((MessageDigest) running.get(a).clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(a.jdk + " digests cannot be cloned", e);
        }
    }

    /** The digest of a whole local file. */
    static Sum ofFile(Path file, Algo a) throws IOException {
        MessageDigest md = a.newDigest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return new Sum(a, md.digest());
    }

    /**
     * The algorithm of an OMERO hasher ({@code OriginalFile.hasher.value}), or null when rodsgate cannot compute it
     * (File-Size-64 is the size only; Adler-32, CRC-32 and Murmur3 are not recomputed: such files are checked by
     * size and by iRODS's checksum of the bytes sent).
     */
    static Algo ofOmeroHasher(String hasher) {
        if (hasher == null) {
            return null;
        }
        return switch (hasher) {
            case "SHA1-160" -> Algo.SHA1;
            case "MD5-128" -> Algo.MD5;
            default -> null;
        };
    }

    /** OMERO's hash as a digest, or null when its hasher is not one of {@link #ofOmeroHasher} or it is not hex. */
    static Sum ofOmero(String hasher, String hash) {
        Algo a = ofOmeroHasher(hasher);
        if (a == null || hash == null || hash.isBlank()) {
            return null;
        }
        try {
            byte[] b = HexFormat.of().parseHex(hash.trim().toLowerCase(Locale.ROOT));
            return b.length == a.newDigest().getDigestLength() ? new Sum(a, b) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * An iRODS checksum as a digest: {@code sha2:}, {@code sha512:}, {@code sha1:} with base64, or 32 hex digits
     * (MD5, which iRODS stores without a prefix). Null for an empty or unknown one (e.g. {@code adler32:}).
     */
    static Sum ofIrods(String checksum) {
        if (checksum == null || checksum.isBlank()) {
            return null;
        }
        String c = checksum.trim();
        int colon = c.indexOf(':');
        try {
            if (colon < 0) {
                return c.length() == 32 ? new Sum(Algo.MD5, HexFormat.of().parseHex(c.toLowerCase(Locale.ROOT)))
                    : null;
            }
            Algo a = switch (c.substring(0, colon)) {
                case "sha2" -> Algo.SHA256;
                case "sha512" -> Algo.SHA512;
                case "sha1" -> Algo.SHA1;
                default -> null;
            };
            return a == null ? null : new Sum(a, Base64.getDecoder().decode(c.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A digest in iRODS's notation ({@code sha2:BASE64}, ...). */
    static String toIrods(Sum s) {
        return switch (s.algo) {
            case SHA256 -> "sha2:" + Base64.getEncoder().encodeToString(s.bytes);
            case SHA512 -> "sha512:" + Base64.getEncoder().encodeToString(s.bytes);
            case SHA1 -> "sha1:" + Base64.getEncoder().encodeToString(s.bytes);
            case MD5 -> s.hex();
        };
    }
}

package org.rodsgate.irods;

/** Helpers for iRODS logical paths: absolute, '/'-separated, no trailing '/', no '.' or '..'. */
public final class Paths {
    private Paths() {}

    public static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }

    public static String name(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    public static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** Normalises a user-supplied absolute path: collapses '//', drops a trailing '/', refuses '.' and '..'. */
    public static String normalize(String p) {
        if (p == null || !p.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute iRODS path: " + p);
        }
        StringBuilder b = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("'.' and '..' are not allowed in iRODS paths: " + p);
            }
            b.append('/').append(part);
        }
        return b.length() == 0 ? "/" : b.toString();
    }

    /** True if {@code p} equals {@code root} or lies beneath it. */
    public static boolean isUnder(String p, String root) {
        return p.equals(root) || root.equals("/") || p.startsWith(root + "/");
    }
}

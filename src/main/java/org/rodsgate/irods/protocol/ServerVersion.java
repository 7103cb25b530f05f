package org.rodsgate.irods.protocol;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server release parsed from {@code rodsX.Y.Z}; drives the choice of APIs and quirks (§9). */
public record ServerVersion(int major, int minor, int patch) implements Comparable<ServerVersion> {
    private static final Pattern P = Pattern.compile("\\s*rods(\\d+)\\.(\\d+)\\.(\\d+)\\s*");

    public static ServerVersion parse(String relVersion) {
        Matcher m = P.matcher(relVersion == null ? "" : relVersion);
        if (!m.matches()) {
            return new ServerVersion(0, 0, 0);
        }
        return new ServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
    }

    public boolean atLeast(int ma, int mi, int pa) {
        return compareTo(new ServerVersion(ma, mi, pa)) >= 0;
    }

    @Override
    public int compareTo(ServerVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}

package org.rodsgate.ledger;

import java.util.List;

/**
 * One unit of registration work: a file, a directory holding a multi-file format, or an explicit list.
 * {@code key} identifies it for good (the first path), so that enqueueing it twice is harmless.
 */
public record Unit(String key, Kind kind, List<String> paths, String owner, String target) {
    public enum Kind { FILE, DIRECTORY, LIST }

    public Unit {
        paths = List.copyOf(paths);
    }
}

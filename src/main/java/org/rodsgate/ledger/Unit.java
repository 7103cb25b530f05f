package org.rodsgate.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One unit of registration work: a file, a directory holding a multi-file format, or an explicit list.
 * {@code key} identifies it for good (the first path, plus {@code #N} for a re-import of changed data), so that
 * enqueueing it twice is harmless. {@code annotations} become OMERO comment annotations (KEY=VALUE) in the namespace
 * {@code rodsgate} on its images. {@code supersedes}: OMERO filesets registered earlier for the same paths whose
 * files have since changed — a re-import does not take them for its own.
 */
public record Unit(String key, Kind kind, List<String> paths, String owner, String target,
                   Map<String, String> annotations, List<Long> supersedes) {
    public enum Kind { FILE, DIRECTORY, LIST }

    public Unit {
        paths = List.copyOf(paths);
        annotations = annotations == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(annotations));
        supersedes = supersedes == null ? List.of() : List.copyOf(supersedes);
    }

    public Unit(String key, Kind kind, List<String> paths, String owner, String target,
                Map<String, String> annotations) {
        this(key, kind, paths, owner, target, annotations, List.of());
    }

    public Unit(String key, Kind kind, List<String> paths, String owner, String target) {
        this(key, kind, paths, owner, target, Map.of(), List.of());
    }

    /** The target for messages: the OMERO target, or "no project/dataset" when the unit has none. */
    public String targetLabel() {
        return target == null || target.isBlank() ? "no project/dataset" : target;
    }
}

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
 * <p>A unit of kind {@link Kind#FILESET} goes the other way (OMERO → iRODS): one OMERO fileset, {@code paths} =
 * ["Fileset:ID"], {@code owner} its OMERO owner, {@code target} the iRODS collection given to {@code rodsgate push
 * --to} (null: the placement rule decides). Each direction claims only its own kinds ({@link Direction}).
 */
public record Unit(String key, Kind kind, List<String> paths, String owner, String target,
                   Map<String, String> annotations, List<Long> supersedes) {
    public enum Kind {
        FILE, DIRECTORY, LIST, FILESET;

        public Direction direction() {
            return this == FILESET ? Direction.REVERSE : Direction.FORWARD;
        }
    }

    /** Which way a unit carries data: FORWARD iRODS → OMERO (the watcher), REVERSE OMERO → iRODS. */
    public enum Direction {
        FORWARD, REVERSE;

        /** The unit kinds of this direction, as stored in the ledger's {@code kind} column. */
        public List<String> kinds() {
            List<String> out = new java.util.ArrayList<>();
            for (Kind k : Kind.values()) {
                if (k.direction() == this) {
                    out.add(k.name());
                }
            }
            return out;
        }
    }

    /** The key of a reverse unit: "Fileset:ID", or "Fileset:ID -> COLLECTION" when pushed to a chosen collection. */
    public static String filesetKey(long fileset, String toCollection) {
        return "Fileset:" + fileset + (toCollection == null ? "" : " -> " + toCollection);
    }

    /** A reverse unit: one OMERO fileset of {@code owner}, placed by its rule or under {@code toCollection}. */
    public static Unit fileset(long fileset, String owner, String toCollection) {
        return new Unit(filesetKey(fileset, toCollection), Kind.FILESET, List.of("Fileset:" + fileset), owner,
            toCollection, Map.of(), List.of());
    }

    /** The OMERO fileset id of a {@link Kind#FILESET} unit; IllegalStateException for another kind. */
    public long omeroFileset() {
        if (kind != Kind.FILESET) {
            throw new IllegalStateException(key + " is a " + kind + " unit, not an OMERO fileset");
        }
        return Long.parseLong(paths.get(0).substring("Fileset:".length()));
    }

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

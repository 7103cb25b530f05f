package org.rodsgate.reverse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the reverse direction needs from OMERO. Implemented over the {@code omero} command (omero/OmeroReverse),
 * and in tests by the {@code omero} double; every query pages (omero hql returns at most 25 rows without --limit).
 */
public interface OmeroSide {
    /** A fileset deleted in OMERO: an {@code EventLog} row with action DELETE and entityType ome.model.fs.Fileset. */
    record Deletion(long eventId, long fileset, long timeMillis) {}

    /**
     * Filesets with {@code id > afterId} in ascending id order, at most {@code limit}, whatever their state (the
     * caller decides with {@link OmeroFileset#uploadFinished()} and {@link OmeroFileset#images()}); files not read.
     */
    List<OmeroFileset> filesetsAfter(long afterId, int limit) throws IOException;

    /** These filesets (summary, no files); the ones that no longer exist are absent from the answer. */
    List<OmeroFileset> filesets(List<Long> ids) throws IOException;

    /** The fileset with its files, or null when it does not exist (deleted). */
    OmeroFileset fileset(long id) throws IOException;

    /** The ids of the fileset's images, ascending. */
    List<Long> images(long fileset) throws IOException;

    /** Fileset deletions with {@code EventLog.id > afterEvent}, ascending, at most {@code limit}. */
    List<Deletion> deletionsAfter(long afterEvent, int limit) throws IOException;

    /**
     * The filesets behind an OMERO object given as {@code Fileset:ID}, {@code Image:ID}, {@code Dataset:ID} or
     * {@code Project:ID} (ascending, no duplicates). IllegalArgumentException for any other form.
     */
    List<Long> filesetsOf(String object) throws IOException;

    /**
     * Describes the fileset in OMERO, as {@code user}: links the tag ({@code omero.tag}, "registered") and one map
     * annotation in namespace {@code rodsgate} holding {@code pairs} (iRODS path(s), zone, checksum) to each image.
     * Idempotent: an existing link or an identical map annotation is not added twice.
     */
    void describe(String user, long fileset, List<Long> images, List<Map.Entry<String, String>> pairs)
        throws IOException;

    /** Writes the original file's bytes to {@code to} ({@code omero download OriginalFile:ID}). */
    void download(long originalFile, Path to) throws IOException;
}

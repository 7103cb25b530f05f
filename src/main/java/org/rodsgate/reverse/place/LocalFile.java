package org.rodsgate.reverse.place;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.reverse.OmeroSide;

/**
 * Where the bytes of an OMERO file are read from for a copy: the ManagedRepository when this host can read the file
 * there, else a download from OMERO ({@code omero download}) into the spool directory, removed on {@link #close()}.
 */
record LocalFile(Path path, boolean temporary) implements AutoCloseable {
    static LocalFile of(OmeroOriginalFile f, Path managedRepository, OmeroSide omero, Path spool)
        throws IOException {
        Path p = managedRepository == null ? null : managedRepository.resolve(f.repoPath());
        if (IrodsPlacement.readable(p)) {
            return new LocalFile(p, false);
        }
        if (omero == null) {
            throw new IOException("OriginalFile:" + f.id() + " " + f.repoPath() + ": not readable at " + p
                + " and no OMERO connection to download it");
        }
        Path dir = spool == null ? Path.of(System.getProperty("java.io.tmpdir")) : spool;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "rodsgate-download-" + f.id() + "-", ".part");
        try {
            omero.download(f.id(), tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("OriginalFile:" + f.id() + " " + f.repoPath() + ": download from OMERO failed: "
                + e.getMessage(), e);
        }
        return new LocalFile(tmp, true);
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            Files.deleteIfExists(path);
        }
    }
}

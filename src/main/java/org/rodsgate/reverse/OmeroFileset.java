package org.rodsgate.reverse;

import java.util.List;

/**
 * One OMERO fileset as the reverse direction (OMERO → iRODS) sees it, read with {@code omero hql}.
 *
 * @param id             {@code Fileset.id}
 * @param owner          the owner's {@code omeName} ({@code Fileset.details.owner})
 * @param group          the group's name ({@code Fileset.details.group})
 * @param templatePrefix {@code Fileset.templatePrefix}: the directory under the ManagedRepository, ending in "/"
 * @param transfer       the import's file transfer from the comment annotation in namespace
 *                       {@code openmicroscopy.org/omero/import/fileTransfer} ("ln_s", "upload", ...), or null
 * @param uploadFinished whether the fileset's first job (the UploadJob) has status {@code Finished}: then every file
 *                       is complete in the ManagedRepository (OMERO: ManagedImportProcessI.verifyUpload)
 * @param images         how many images the fileset has: 0 after a finished upload means the import is still in its
 *                       metadata step (or failed)
 * @param createdMillis  when the fileset was created (its creation event's time), epoch milliseconds
 * @param files          its original files (empty when only the summary was read)
 */
public record OmeroFileset(long id, String owner, String group, String templatePrefix, String transfer,
                           boolean uploadFinished, int images, long createdMillis, List<OmeroOriginalFile> files) {
    public OmeroFileset {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** Imported in place ({@code omero import --transfer=ln_s}, or another link transfer): OMERO holds links. */
    public boolean inPlace() {
        return transfer != null && (transfer.equals("ln_s") || transfer.equals("ln") || transfer.equals("ln_rm"));
    }

    /** The fileset with its files. */
    public OmeroFileset withFiles(List<OmeroOriginalFile> f) {
        return new OmeroFileset(id, owner, group, templatePrefix, transfer, uploadFinished, images, createdMillis, f);
    }
}

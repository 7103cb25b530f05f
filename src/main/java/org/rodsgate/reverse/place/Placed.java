package org.rodsgate.reverse.place;

import org.rodsgate.reverse.OmeroOriginalFile;

/**
 * One file of a fileset as it stands in iRODS after placement.
 *
 * @param file      the OMERO original file
 * @param irodsPath the data object's logical path
 * @param checksum  its iRODS checksum ("sha2:BASE64" or the server's scheme), verified against OMERO's hash where the
 *                  algorithms allow, else computed by iRODS
 * @param how       what was done: "copied", "registered", "found" (in place / managed on the mount / copied before)
 */
public record Placed(OmeroOriginalFile file, String irodsPath, String checksum, String how) {}

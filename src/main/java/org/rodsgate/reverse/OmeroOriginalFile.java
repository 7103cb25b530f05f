package org.rodsgate.reverse;

/**
 * One file of a fileset: an {@code OriginalFile} row and its {@code FilesetEntry}.
 *
 * @param id         {@code OriginalFile.id}
 * @param path       {@code OriginalFile.path}: the directory relative to the ManagedRepository (the fileset's
 *                   templatePrefix plus sub-directories), ending in "/"
 * @param name       {@code OriginalFile.name}: the file name
 * @param size       bytes
 * @param hash       {@code OriginalFile.hash}: lower-case hex for SHA1-160 / MD5-128 / Adler-32 / CRC-32 /
 *                   File-Size-64 (the size as decimal text), as the hasher makes it; null when none
 * @param hasher     {@code OriginalFile.hasher.value} ("SHA1-160", "MD5-128", "Murmur3-128", "File-Size-64", ...)
 * @param clientPath {@code FilesetEntry.clientPath}: the path the client imported from, without its leading "/"
 */
public record OmeroOriginalFile(long id, String path, String name, long size, String hash, String hasher,
                                String clientPath) {
    /** The file's path relative to the ManagedRepository root. */
    public String repoPath() {
        return path + name;
    }
}

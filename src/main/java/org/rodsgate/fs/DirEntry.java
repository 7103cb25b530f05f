package org.rodsgate.fs;

/** One name in a directory, with its attributes (so that {@code ls -l} needs no further round trip). */
public record DirEntry(String name, Attr attr) {}

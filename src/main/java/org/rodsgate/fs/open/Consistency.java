package org.rodsgate.fs.open;

/**
 * The two guarantees of the open-file lifecycle, as switches for tests only (the model test shows that each one
 * matters by switching it off; a mount always runs {@link #STRICT}).
 *
 * @param revalidate   open and create ask iRODS for the object's current state instead of trusting a cached one
 * @param safeReplace  a new version of an object is staged and switched in only when complete and unconflicted;
 *                     off: it is written over the object in place (the behaviour of rodsgate up to 0.x)
 */
public record Consistency(boolean revalidate, boolean safeReplace) {
    public static final Consistency STRICT = new Consistency(true, true);
}

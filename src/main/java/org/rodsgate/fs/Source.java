package org.rodsgate.fs;

/** Where written data comes from: {@code get(srcOffset, dst, dstOff, len)}. Lets FUSE hand its own buffer down. */
@FunctionalInterface
public interface Source {
    void get(int srcOffset, byte[] dst, int dstOff, int len);

    static Source of(byte[] src, int off) {
        return (so, dst, d, len) -> System.arraycopy(src, off + so, dst, d, len);
    }
}

package org.rodsgate.fs;

/** Where read data goes: {@code put(dstOffset, src, srcOff, len)}. Lets FUSE hand its own buffer down. */
@FunctionalInterface
public interface Sink {
    void put(int dstOffset, byte[] src, int srcOff, int len);

    static Sink of(byte[] dst, int off) {
        return (d, src, so, len) -> System.arraycopy(src, so, dst, off + d, len);
    }
}

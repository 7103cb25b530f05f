package org.rodsgate.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * Sets {@code direct_io} in libfuse 2.9's {@code struct fuse_file_info}, which jnr-fuse 0.5.8 declares only as
 * padding. On 64-bit Linux the struct is {@code int flags; unsigned long fh_old; int writepage; unsigned
 * direct_io:1, keep_cache:1, ...; uint64_t fh; ...}: the bit field word sits at byte 20, {@code direct_io} is its
 * lowest bit, and {@code fh} at byte 24 — checked against jnr-fuse's own layout before anything is written.
 */
final class DirectIo {
    private static final int BITS_OFFSET = 20;
    private static final int FH_OFFSET = 24;

    private DirectIo() {}

    /** Marks this open as direct I/O; a layout other than the expected one leaves it unchanged (returns false). */
    static boolean set(FuseFileInfo fi) {
        if (fi.fh.offset() != FH_OFFSET) {
            return false;
        }
        Pointer p = Struct.getMemory(fi);
        p.putByte(BITS_OFFSET, (byte) (p.getByte(BITS_OFFSET) | 1));
        return true;
    }
}

package org.rodsgate.fuse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Pointer;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import org.rodsgate.fs.Attr;
import org.rodsgate.fs.Caller;
import org.rodsgate.fs.DirEntry;
import org.rodsgate.fs.Errors;
import org.rodsgate.fs.IrodsFs;
import org.rodsgate.irods.Errno;
import org.rodsgate.metrics.Metrics;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseContext;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The jnr-fuse binding. It only translates: arguments to core calls, results to FUSE structs, and any throwable
 * to an errno through {@link Errors} — nothing thrown ever reaches native code.
 */
public final class FuseAdapter extends FuseStubFS {
    private static final Logger LOG = Logger.getLogger(FuseAdapter.class.getName());
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    /** Function pointers before the flags word in libfuse 2.9's struct fuse_operations (getattr ... bmap). */
    private static final int FUNCTIONS_BEFORE_FLAGS = 38;

    private final IrodsFs fs;
    private final AtomicLong rootGetattrs = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong writeBytes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    public FuseAdapter(IrodsFs fs) {
        this.fs = fs;
        declareUtimeOmitOk();
    }

    /**
     * Makes libfuse 2.9 pass a change of one time only ({@code touch -m}, {@code utimensat} with UTIME_OMIT) to
     * {@link #utimens}: its high-level setattr drops such changes unless the filesystem sets
     * {@code flag_utime_omit_ok} in {@code struct fuse_operations}. That flag is bit 2 of the bit-field word after
     * {@code bmap} (fuse.h: flag_nullpath_ok, flag_nopath, flag_utime_omit_ok, flag_reserved); jnr-fuse 0.5.8
     * declares this word as four one-byte paddings and leaves it 0, so the bit is written into the struct here.
     */
    private void declareUtimeOmitOk() {
        int ptr = jnr.ffi.Runtime.getSystemRuntime().addressSize();
        // the word follows the first function pointers and is followed by 6 more (ioctl ... fallocate)
        int at = FUNCTIONS_BEFORE_FLAGS * ptr;
        int expectedSize = (FUNCTIONS_BEFORE_FLAGS + 6) * ptr + Math.max(4, ptr);
        if (jnr.ffi.Struct.size(fuseOperations) != expectedSize
            || java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) { // GCC: first bit-field = bit 0
            LOG.warning("unexpected struct fuse_operations layout (" + jnr.ffi.Struct.size(fuseOperations)
                + " bytes): changes of the modification time alone (touch -m) will not reach iRODS");
            return;
        }
        jnr.ffi.Pointer ops = jnr.ffi.Struct.getMemory(fuseOperations);
        ops.putByte(at, (byte) (ops.getByte(at) | 0x04));
    }

    /** FUSE_CAP_ATOMIC_O_TRUNC (libfuse 2.9 fuse_common.h): the kernel passes O_TRUNC to open. */
    static final int FUSE_CAP_ATOMIC_O_TRUNC = 1 << 3;
    /** Byte offsets of {@code capable} and {@code want} in struct fuse_conn_info (five unsigned fields before). */
    private static final int CONN_CAPABLE = 20;
    private static final int CONN_WANT = 24;

    /**
     * Asks the kernel for atomic O_TRUNC. Without it the kernel strips O_TRUNC from open and sends a separate
     * truncate to 0 inside the same open(2); rodsgate would then make the object empty at once and write the new
     * bytes in place, so a failed upload or a crash during {@code cp}/{@code >} over a file would destroy the
     * previous contents. With it, open sees O_TRUNC and stages the new version (SEMANTICS.md, "Safe replacement").
     */
    @Override
    public Pointer init(Pointer conn) {
        if (conn != null && (conn.getInt(CONN_CAPABLE) & FUSE_CAP_ATOMIC_O_TRUNC) != 0) {
            conn.putInt(CONN_WANT, conn.getInt(CONN_WANT) | FUSE_CAP_ATOMIC_O_TRUNC);
        } else {
            LOG.warning("the kernel offers no atomic O_TRUNC: overwriting a file (cp, >) empties it before the new"
                + " contents are safe");
        }
        return null;
    }

    /** getattr calls on the mount root so far: the readiness probe waits for one that went through the kernel. */
    public long rootGetattrs() {
        return rootGetattrs.get();
    }

    /** Request counts since mounting, for logs and benchmarks. */
    public String stats() {
        return "reads " + reads.get() + ", writes " + writes.get() + " (" + writeBytes.get() + " bytes)";
    }

    private Caller caller() {
        FuseContext c = getContext();
        return new Caller((int) c.uid.get(), (int) c.gid.get(), (int) c.pid.get());
    }

    @FunctionalInterface
    private interface Op {
        int run() throws Exception;
    }

    private static int call(String what, String path, Op op) {
        long t0 = System.nanoTime();
        int errno = 0;
        try {
            return op.run();
        } catch (Throwable t) {
            int e = Errors.errno(t);
            errno = e;
            if (e == Errno.EIO.value) {
                LOG.log(Level.WARNING, what + " " + path + " failed: " + t, t instanceof RuntimeException ? t : null);
            } else if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(what + " " + path + ": errno " + e + " (" + t.getMessage() + ")");
            }
            return -e;
        } finally {
            Metrics.fuseOperation(what, errno, System.nanoTime() - t0);
        }
    }

    private static void fill(FileStat st, Attr a) {
        st.st_mode.set(a.mode());
        st.st_ino.set(a.ino());
        st.st_nlink.set(a.nlink());
        st.st_size.set(a.size());
        st.st_uid.set(a.uid());
        st.st_gid.set(a.gid());
        st.st_blksize.set(4096);
        st.st_blocks.set((a.size() + 511) / 512);
        st.st_mtim.tv_sec.set(a.mtime());
        st.st_ctim.tv_sec.set(a.ctime());
        st.st_atim.tv_sec.set(a.mtime());
    }

    @Override
    public int getattr(String path, FileStat stat) {
        if (path.equals("/")) {
            rootGetattrs.incrementAndGet();
        }
        return call("getattr", path, () -> {
            fill(stat, fs.getattr(caller(), path));
            return 0;
        });
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        return getattr(path, stat);
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        return call("readdir", path, () -> {
            List<DirEntry> entries = fs.readdir(caller(), path);
            filler.apply(buf, ".", null, 0);
            filler.apply(buf, "..", null, 0);
            FileStat st = new FileStat(jnr.ffi.Runtime.getSystemRuntime()); // copied by the filler: reusable
            for (DirEntry e : entries) {
                fill(st, e.attr());
                if (filler.apply(buf, e.name(), st, 0) != 0) {
                    break;
                }
            }
            return 0;
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call("open", path, () -> {
            long fh = fs.open(caller(), path, fi.flags.get());
            fi.fh.set(fh);
            if (fs.bypassKernelCache(fh)) {
                DirectIo.set(fi);
            }
            return 0;
        });
    }

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        return call("create", path, () -> {
            fi.fh.set(fs.create(caller(), path, fi.flags.get()));
            return 0;
        });
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        reads.incrementAndGet();
        int n = call("read", path, () -> fs.read(fi.fh.get(), (d, src, so, len) -> buf.put(d, src, so, len),
            (int) size, offset));
        Metrics.fuseBytes(true, n);
        return n;
    }

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        writes.incrementAndGet();
        writeBytes.addAndGet(size);
        int n = call("write", path, () -> {
            fs.write(fi.fh.get(), (so, dst, d, len) -> buf.get(so, dst, d, len), (int) size, offset);
            return (int) size;
        });
        Metrics.fuseBytes(false, n);
        return n;
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return call("flush", path, () -> {
            fs.flush(fi.fh.get());
            return 0;
        });
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return call("fsync", path, () -> {
            fs.fsync(fi.fh.get());
            return 0;
        });
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return call("release", path, () -> {
            fs.release(fi.fh.get());
            return 0;
        });
    }

    @Override
    public int truncate(String path, @off_t long size) {
        return call("truncate", path, () -> {
            fs.truncate(caller(), path, size);
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        return call("ftruncate", path, () -> {
            fs.ftruncate(fi.fh.get(), size);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, () -> {
            fs.unlink(caller(), path);
            return 0;
        });
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        return call("mkdir", path, () -> {
            fs.mkdir(caller(), path);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, () -> {
            fs.rmdir(caller(), path);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return call("rename", oldpath, () -> {
            fs.rename(caller(), oldpath, newpath);
            return 0;
        });
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return call("utimens", path, () -> {
            long nsec = timespec[1].tv_nsec.longValue();
            long mtime = nsec == UTIME_OMIT ? -1
                : nsec == UTIME_NOW ? System.currentTimeMillis() / 1000 : timespec[1].tv_sec.get();
            fs.utimens(caller(), path, mtime);
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs st) {
        st.f_bsize.set(1 << 20);
        st.f_frsize.set(1 << 20);
        st.f_blocks.set(1L << 30);
        st.f_bfree.set(1L << 29);
        st.f_bavail.set(1L << 29);
        st.f_files.set(1L << 30);
        st.f_ffree.set(1L << 29);
        st.f_favail.set(1L << 29);
        st.f_namemax.set(255);
        return 0;
    }

    @Override
    public int access(String path, int mask) {
        return call("access", path, () -> {
            fs.access(caller(), path, mask);
            return 0;
        });
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        return call("chmod", path, () -> {
            fs.chmod(caller(), path, (int) mode);
            return 0;
        });
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return call("chown", path, () -> {
            fs.chown(caller(), path, uid, gid);
            return 0;
        });
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        if (!IrodsFs.isStoredXattr(name)) {
            return -Errno.ENODATA.value; // security.*, system.*: asked by ls -l for every file; answered at once
        }
        return call("getxattr", path, () -> {
            byte[] v = fs.getxattr(caller(), path, name);
            if (size == 0) {
                return v.length;
            }
            if (size < v.length) {
                return -ErrorCodes.ERANGE();
            }
            value.put(0, v, 0, v.length);
            return v.length;
        });
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        return call("listxattr", path, () -> {
            StringBuilder b = new StringBuilder();
            for (String n : fs.listxattr(caller(), path)) {
                b.append(n).append('\0');
            }
            byte[] v = b.toString().getBytes(StandardCharsets.UTF_8);
            if (size == 0) {
                return v.length;
            }
            if (size < v.length) {
                return -ErrorCodes.ERANGE();
            }
            list.put(0, v, 0, v.length);
            return v.length;
        });
    }

    @Override
    public int setxattr(String path, String name, Pointer value, @size_t long size, int flags) {
        return call("setxattr", path, () -> {
            byte[] v = new byte[(int) size];
            value.get(0, v, 0, (int) size);
            fs.setxattr(caller(), path, name, v, flags);
            return 0;
        });
    }

    @Override
    public int removexattr(String path, String name) {
        return call("removexattr", path, () -> {
            fs.removexattr(caller(), path, name);
            return 0;
        });
    }

    @Override
    public int symlink(String oldpath, String newpath) {
        return -Errno.ENOTSUP.value;
    }

    @Override
    public int link(String oldpath, String newpath) {
        return -Errno.ENOTSUP.value;
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        return -Errno.EINVAL.value;
    }

    @Override
    public int mknod(String path, @mode_t long mode, long rdev) {
        return -Errno.EPERM.value;
    }
}

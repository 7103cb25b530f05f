package org.rodsgate.fs;

import org.rodsgate.fs.open.StableInodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.fs.open.Consistency;
import org.rodsgate.fs.open.WorkNames;
import org.rodsgate.irods.Acl;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;

/**
 * The filesystem core: POSIX-style operations on mount paths, carried out in iRODS as the caller's iRODS identity,
 * with no FUSE types (so it is tested in-process). Semantics are written down in SEMANTICS.md. Thread-safe.
 */
public final class IrodsFs implements AutoCloseable {
    public static final int O_ACCMODE = 3;
    public static final int O_RDONLY = 0;
    public static final int O_TRUNC = 0x200;
    public static final int O_EXCL = 0x80;
    public static final int O_APPEND = 0x400;
    static final String XATTR_USER = "user.";
    static final String XATTR_CHECKSUM = "user.irods.checksum";

    private final Mappings mappings;
    private final Identity identity;
    private final ConnectionPool pool;
    private final MetadataCache cache;
    private final FsSettings settings;
    private final OpenFiles open;
    private final Opener opener;
    private final ExecutorService prefetchExecutor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rodsgate-prefetch");
        t.setDaemon(true);
        return t;
    });

    public IrodsFs(Mappings mappings, Identity identity, ConnectionPool pool, MetadataCache cache,
                   FsSettings settings) {
        this(mappings, identity, pool, cache, settings, Consistency.STRICT);
    }

    /** With some guarantees switched off: for tests that show what each guarantee protects. */
    IrodsFs(Mappings mappings, Identity identity, ConnectionPool pool, MetadataCache cache, FsSettings settings,
            Consistency consistency) {
        this.mappings = mappings;
        this.identity = identity;
        this.pool = pool;
        this.cache = cache;
        this.settings = settings;
        this.open = new OpenFiles(pool, settings.spillDir(), consistency);
        this.opener = new Opener(pool, cache, open, consistency, this::stat, this::canWrite);
    }

    public MetadataCache cache() {
        return cache;
    }

    /** What a request is about: the caller's account and the iRODS path. */
    record Target(IrodsAccount account, String user, String irodsPath, boolean readOnly) {}

    private Target target(Caller c, String path) throws FsException {
        Mappings.Resolved r = mappings.resolve(path);
        if (r.isVirtual()) {
            return null;
        }
        IrodsAccount a = identity.account(c);
        return new Target(a, a.clientUser(), r.irodsPath(), r.readOnly());
    }

    private Target writable(Caller c, String path) throws FsException {
        Target t = target(c, path);
        if (t == null || t.readOnly()) {
            throw new FsException(Errno.EROFS, path + " is read-only");
        }
        return t;
    }

    private Optional<ObjStat> stat(Target t) throws IrodsException {
        return cache.stat(t.user(), t.irodsPath(), () -> Optional.ofNullable(pool.run(t.account(), true, s -> {
            ObjStat st = s.statWithReplicaStatus(t.irodsPath());
            // a collection iRODS hides from the user may still be a passage to what they may see (per-user mode, or
            // a mount-owner account that is no rodsadmin)
            return st == null ? Passages.find(s, t.user(), t.irodsPath()) : st;
        })));
    }

    private ObjStat existing(Target t) throws FsException, IrodsException {
        return stat(t).orElseThrow(() -> new FsException(Errno.ENOENT, "no such file: " + t.irodsPath()));
    }

    // ------------------------------------------------------------------ attributes and listings

    public Attr getattr(Caller c, String path) throws FsException, IrodsException {
        Target t = target(c, path);
        if (t == null) {
            return virtualDir(path, c);
        }
        return attr(existing(t), t, c);
    }

    private Attr virtualDir(String path, Caller c) {
        return new Attr(0x4000_0000_0000_0000L | (path.hashCode() & 0xffffffffL), Attr.S_IFDIR | 0555, 0, 0, 0, 2,
            owner(c)[0], owner(c)[1]);
    }

    private int[] owner(Caller c) {
        return identity.perUser() ? new int[] {c.uid(), c.gid()} : new int[] {settings.uid(), settings.gid()};
    }

    /** Mode bits show the caller's iRODS rights: entries it owns are writable, others read-only. */
    private Attr attr(ObjStat s, Target t, Caller c) {
        boolean mine = s.owner().equals(t.user()) && !t.readOnly();
        int[] o = owner(c);
        if (s.isCollection()) {
            return new Attr(s.id(), Attr.S_IFDIR | (mine ? 0755 : 0555), 0, s.modifyTime(), s.modifyTime(), 2, o[0],
                o[1]);
        }
        long size = s.size();
        long mtime = s.modifyTime();
        OpenFile f = open.find(t.user(), s.path());
        if (f != null) {
            long written = f.dirtySize() >= 0 ? f.dirtySize() : f.closingSize();
            if (written >= 0) {
                size = written;
                mtime = Math.max(mtime, System.currentTimeMillis() / 1000);
            }
        }
        int perm = mine ? 0644 : 0444;
        if (f == null && (s.replStatus() == 0 || s.replStatus() == 2)) {
            perm = 0; // no complete replica (stale or being written): shown as unreadable; open fails with EIO
        }
        return new Attr(StableInodes.ino(t.account(), s.id()), Attr.S_IFREG | perm, size, mtime, mtime, 1, o[0], o[1]);
    }

    public List<DirEntry> readdir(Caller c, String path) throws FsException, IrodsException {
        Target t = target(c, path);
        List<DirEntry> out = new ArrayList<>();
        if (t == null) {
            for (String child : mappings.resolve(path).virtualChildren()) {
                out.add(new DirEntry(child, virtualDir(Paths.join(path, child), c)));
            }
            return out;
        }
        ObjStat self = existing(t);
        if (!self.isCollection()) {
            throw new FsException(Errno.ENOTDIR, path + " is not a directory");
        }
        MetadataCache.Listing l = cache.listing(t.user(), t.irodsPath(),
            () -> pool.run(t.account(), true, s -> listing(s, t, Passages.isPassage(self))));
        for (ObjStat e : l.entries()) {
            if (!WorkNames.isWork(e.name())) {
                out.add(new DirEntry(e.name(), attr(e, t, c)));
            }
        }
        return out;
    }

    /** A collection's entries as iRODS lists them for the user; a passage adds the next steps toward what they see. */
    private static List<ObjStat> listing(org.rodsgate.irods.IrodsSession s, Target t, boolean passage)
        throws IrodsException {
        List<ObjStat> entries = new ArrayList<>(s.list(t.irodsPath()));
        if (passage) {
            Set<String> seen = new java.util.HashSet<>();
            entries.forEach(e -> seen.add(e.name()));
            for (String name : Passages.children(s, t.user(), t.irodsPath())) {
                if (seen.add(name)) {
                    String p = Paths.join(t.irodsPath(), name);
                    ObjStat visible = s.statOrNull(p);
                    entries.add(visible != null ? visible : Passages.passage(p));
                }
            }
        }
        return entries;
    }

    // ------------------------------------------------------------------ open, create, read, write, close

    /**
     * open(2). Close-to-open: the object's state comes from iRODS, not from a cache (see {@link Opener}). An object
     * whose replica is not complete cannot be opened for reading (EIO); a caller that may not write gets EACCES here.
     */
    public long open(Caller c, String path, int flags) throws FsException, IrodsException {
        boolean write = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0;
        Target t = write ? writable(c, path) : target(c, path);
        if (t == null) {
            throw new FsException(Errno.EISDIR, path + " is a directory");
        }
        return write ? opener.openForWriting(t, path, flags) : opener.openForReading(t, path, flags);
    }

    /** creat(2) / open(O_CREAT): O_EXCL decided by iRODS; never truncates without O_TRUNC (see {@link Opener}). */
    public long create(Caller c, String path, int flags) throws FsException, IrodsException {
        return opener.create(writable(c, path), path, flags);
    }

    /**
     * Whether the kernel should not serve this open from its page cache (FUSE direct_io): the open found the object
     * changed by another client while the kernel may still hold the old size, which would cut reads short.
     */
    public boolean bypassKernelCache(long fh) throws FsException {
        return open.handle(fh).bypassKernelCache;
    }

    /** Reads into {@code dst} (for FUSE: the kernel's buffer, with no intermediate copy). */
    public int read(long fh, Sink dst, int len, long offset) throws FsException, IOException {
        OpenFiles.Handle h = open.handle(fh);
        OpenFile f = h.file;
        if (f.hasWriter()) {
            byte[] tmp = new byte[len];
            int n = f.readThroughWriter(offset, tmp, 0, len);
            dst.put(0, tmp, 0, n);
            return n;
        }
        Prefetcher p;
        synchronized (h) {
            if (h.stream == null) {
                h.stream = new ReadStream(pool, f.account, f.path());
            }
            if (h.prefetcher == null) {
                h.prefetcher = new Prefetcher(h.stream, settings.prefetch(), prefetchExecutor);
            }
            p = h.prefetcher;
        }
        return p.read(offset, dst, len);
    }

    public int read(long fh, byte[] dst, int off, int len, long offset) throws FsException, IOException {
        return read(fh, Sink.of(dst, off), len, offset);
    }

    /** Writes from {@code src} (for FUSE: the kernel's buffer, copied once, into the outgoing chunk). */
    public void write(long fh, Source src, int len, long offset) throws FsException, IOException {
        OpenFiles.Handle h = open.handle(fh);
        if ((h.flags & O_ACCMODE) == O_RDONLY) {
            throw new FsException(Errno.EBADF, "file not open for writing");
        }
        if (h.prefetcher != null || h.stream != null) {
            Opener.dropReadAhead(h);
        }
        h.file.write(offset, src, len, (h.flags & O_APPEND) != 0);
    }

    public void write(long fh, byte[] src, int off, int len, long offset) throws FsException, IOException {
        write(fh, Source.of(src, off), len, offset);
    }

    /** close(2) of a descriptor (FUSE flush): what was written is in iRODS, with its checksum per mount.checksum. */
    public void flush(long fh) throws FsException, IOException {
        flush(fh, settings.checksum());
    }

    private void flush(long fh, boolean withChecksum) throws FsException, IOException {
        OpenFiles.Handle h = open.handle(fh);
        if (h.file.emptyReplacementPending()) {
            return; // `> f`, `dd of=f`: the previous contents stay until new ones exist or the last close
        }
        boolean dirty = h.file.hasWriter();
        try {
            h.file.flush();
            if (dirty && withChecksum) {
                checksum(h);
            }
        } finally {
            if (dirty) {
                cache.invalidate(h.file.path());
            }
        }
    }

    /**
     * The checksum policy (mount.checksum: compute): once iRODS holds what was written, it computes and stores the
     * data object's checksum (DATA_OBJ_CHKSUM; iRODS 5.0.2 computes none by itself, golden chksum_obj_stat_before),
     * so a file copied in has one as after {@code iput -K}. A failure here fails the close: the bytes are safe but
     * the checksum promised is missing.
     */
    private void checksum(OpenFiles.Handle h) throws IOException {
        pool.run(h.file.account, true, s -> s.checksum(h.file.path(), true));
    }

    /** fsync(2): like close(2) but without the checksum, which would cost the server a read of the whole file. */
    public void fsync(long fh) throws FsException, IOException {
        flush(fh, false);
    }

    public void release(long fh) {
        OpenFiles.Handle h = open.remove(fh);
        if (h != null) {
            opener.close(h);
        }
    }

    public void truncate(Caller c, String path, long size) throws FsException, IOException {
        Target t = writable(c, path);
        OpenFile f = open.find(t.user(), t.irodsPath());
        try {
            if (f != null) {
                f.truncate(size);
                f.flush();
            } else {
                ObjStat s = existing(t);
                if (s.isCollection()) {
                    throw new FsException(Errno.EISDIR, path + " is a directory");
                }
                pool.run(t.account(), false, x -> { // iRODS decides; a cached size never skips a truncation
                    x.truncate(t.irodsPath(), size);
                    return null;
                });
            }
        } finally {
            cache.invalidate(t.irodsPath());
        }
    }

    public void ftruncate(long fh, long size) throws FsException, IOException {
        OpenFiles.Handle h = open.handle(fh);
        if (h.readOnlyMapping) {
            throw new FsException(Errno.EROFS, "read-only");
        }
        Opener.dropReadAhead(h);
        h.file.truncate(size);
    }

    // ------------------------------------------------------------------ namespace

    /**
     * unlink(2). The name goes at once. A file this mount still has open is moved to a hidden work name instead
     * and removed at its last close, so its handles keep working (NFS's "silly rename").
     */
    public void unlink(Caller c, String path) throws FsException, IrodsException {
        Target t = writable(c, path);
        if (existing(t).isCollection()) {
            throw new FsException(Errno.EISDIR, path + " is a directory");
        }
        try {
            if (!opener.unlinkOpen(t)) {
                pool.run(t.account(), false, s -> {
                    s.unlink(t.irodsPath());
                    return null;
                });
            }
        } finally {
            cache.invalidate(t.irodsPath());
        }
    }

    public void mkdir(Caller c, String path) throws FsException, IrodsException {
        Target t = writable(c, path);
        try {
            pool.run(t.account(), false, s -> {
                s.mkdir(t.irodsPath(), false);
                return null;
            });
        } finally {
            cache.invalidate(t.irodsPath());
        }
    }

    public void rmdir(Caller c, String path) throws FsException, IrodsException {
        Target t = writable(c, path);
        if (!existing(t).isCollection()) {
            throw new FsException(Errno.ENOTDIR, path + " is not a directory");
        }
        try {
            pool.run(t.account(), false, s -> {
                s.rmdir(t.irodsPath(), false);
                return null;
            });
        } finally {
            cache.invalidateTree(t.irodsPath());
        }
    }

    /** rename(2), including over an existing file or an empty directory. */
    public void rename(Caller c, String from, String to) throws FsException, IrodsException {
        Target src = writable(c, from);
        Target dst = writable(c, to);
        ObjStat s = existing(src);
        if (Paths.isUnder(dst.irodsPath(), src.irodsPath()) && !dst.irodsPath().equals(src.irodsPath())) {
            throw new FsException(Errno.EINVAL, "cannot move a directory into itself");
        }
        if (src.irodsPath().equals(dst.irodsPath())) {
            return;
        }
        ObjStat d = pool.run(src.account(), true, x -> x.statOrNull(dst.irodsPath()));
        if (d != null && d.isCollection() && !s.isCollection()) {
            throw new FsException(Errno.EISDIR, to + " is a directory");
        }
        if (d != null && !d.isCollection() && s.isCollection()) {
            throw new FsException(Errno.ENOTDIR, to + " is not a directory");
        }
        opener.settleUnder(src);
        boolean replacesOpenFile = d != null && !d.isCollection() && opener.unlinkOpen(dst);
        boolean overwrite = d != null && !d.isCollection() && !replacesOpenFile;
        try {
            pool.run(src.account(), false, x -> {
                if (d != null && d.isCollection()) {
                    x.rmdir(dst.irodsPath(), false); // ENOTEMPTY unless empty, as rename(2) requires
                }
                x.rename(src.irodsPath(), dst.irodsPath(), overwrite);
                return null;
            });
            open.renamed(src.user(), src.irodsPath(), dst.irodsPath());
        } finally {
            cache.invalidateTree(src.irodsPath());
            cache.invalidateTree(dst.irodsPath());
        }
    }

    /** Sets the modification time (seconds); a negative value leaves it alone (UTIME_OMIT). */
    public void utimens(Caller c, String path, long mtime) throws FsException, IOException {
        if (mtime < 0) {
            return;
        }
        Target t = writable(c, path);
        OpenFile f = open.find(t.user(), t.irodsPath());
        if (f != null) {
            f.flush(); // a later close must not move the time set here
        }
        try {
            pool.run(t.account(), false, s -> {
                s.setModifyTime(t.irodsPath(), mtime);
                return null;
            });
        } finally {
            cache.invalidate(t.irodsPath());
        }
    }

    /** access(2): existence from the catalog; write permission from the ACLs of the caller and its groups. */
    public void access(Caller c, String path, int mask) throws FsException, IrodsException {
        Target t = target(c, path);
        if (t == null) {
            if ((mask & 2) != 0) {
                throw new FsException(Errno.EROFS, path + " is read-only");
            }
            return;
        }
        ObjStat s = existing(t);
        if ((mask & 1) != 0 && !s.isCollection()) {
            throw new FsException(Errno.EACCES, path + " is not executable");
        }
        if ((mask & 2) != 0) {
            if (t.readOnly()) {
                throw new FsException(Errno.EROFS, path + " is read-only");
            }
            if (!s.owner().equals(t.user()) && !canWrite(t, s)) {
                throw new FsException(Errno.EACCES, t.user() + " may not write " + path);
            }
        }
    }

    boolean canWrite(Target t, ObjStat s) throws IrodsException {
        return pool.run(t.account(), true, x -> {
            Set<String> me = new LinkedHashSet<>();
            me.add(t.user());
            x.query(GenQuery.select(Column.USER_GROUP_NAME).whereEq(Column.USER_NAME, t.user()), 500,
                r -> me.add(r.get(0)));
            for (Acl a : x.listAcls(s.path(), s.isCollection())) {
                String lv = a.normalizedAccess();
                if (me.contains(a.user()) && (lv.equals("own") || lv.equals("modify_object")
                    || lv.equals("delete_object") || lv.equals("write"))) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * chmod: iRODS keeps no mode bits. A mode that asks for write permission the caller's iRODS rights do not give
     * fails with EPERM; any other mode succeeds and changes nothing (execute bits have no iRODS meaning; group and
     * other bits are not mapped, since sharing in iRODS is an explicit ACL and `cp -p` must not publish data).
     */
    public void chmod(Caller c, String path, int mode) throws FsException, IrodsException {
        Attr a = getattr(c, path);
        if ((mode & 0200) != 0 && (a.mode() & 0200) == 0) {
            throw new FsException(Errno.EPERM, "iRODS rights of " + path + " do not allow mode "
                + Integer.toOctalString(mode));
        }
    }

    public void chown(Caller c, String path, long uid, long gid) throws FsException, IrodsException {
        Attr a = getattr(c, path);
        boolean uidOk = uid == -1 || uid == 0xffffffffL || uid == a.uid();
        boolean gidOk = gid == -1 || gid == 0xffffffffL || gid == a.gid();
        if (!uidOk || !gidOk) {
            throw new FsException(Errno.EPERM, "ownership in iRODS cannot be given away through the mount");
        }
    }

    // ------------------------------------------------------------------ extended attributes (AVUs)

    private List<Avu> avus(Target t, ObjStat s) throws IrodsException {
        return cache.avus(t.user(), t.irodsPath(),
            () -> pool.run(t.account(), true, x -> x.listAvus(t.irodsPath(), s.isCollection())));
    }

    /**
     * {@code user.NAME} is the AVU with attribute NAME (several values: joined by newlines; units are not shown;
     * values that are empty or not UTF-8 are kept as {@link XattrValues} says);
     * {@code user.irods.checksum} is iRODS' checksum (computed by the server when there is none). Other
     * namespaces ({@code security.}, {@code system.}, {@code trusted.}) hold nothing and cost no round trip.
     */
    /**
     * Attributes computed by iRODS rather than stored as AVUs: readable by name, never listed (so that copying
     * tools such as {@code rsync -X}, {@code cp -a} and {@code tar --xattrs} neither copy nor try to remove them),
     * never set or removed ({@code EPERM}). An AVU of the same name is shadowed.
     */
    static boolean isComputedXattr(String name) {
        return name.equals(XATTR_CHECKSUM);
    }

    /** Whether an extended attribute name can exist here at all (only {@code user.*} does). */
    public static boolean isStoredXattr(String name) {
        return name.startsWith(XATTR_USER);
    }

    public byte[] getxattr(Caller c, String path, String name) throws FsException, IrodsException {
        if (!isStoredXattr(name)) {
            throw new FsException(Errno.ENODATA, "no attribute " + name);
        }
        Target t = target(c, path);
        if (t == null) {
            throw new FsException(Errno.ENODATA, "no attribute " + name);
        }
        ObjStat s = existing(t);
        if (name.equals(XATTR_CHECKSUM)) {
            if (s.isCollection()) {
                throw new FsException(Errno.ENODATA, "collections have no checksum");
            }
            String sum = s.checksum();
            if (sum == null || sum.isEmpty()) {
                sum = pool.run(t.account(), true, x -> x.checksum(t.irodsPath()));
                cache.invalidate(t.irodsPath());
            }
            return sum.getBytes(StandardCharsets.UTF_8);
        }
        String attr = name.substring(XATTR_USER.length());
        List<Avu> values = new ArrayList<>();
        for (Avu a : avus(t, s)) {
            if (a.attribute().equals(attr)) {
                values.add(a);
            }
        }
        if (values.isEmpty()) {
            throw new FsException(Errno.ENODATA, "no attribute " + name);
        }
        return XattrValues.join(values);
    }

    public List<String> listxattr(Caller c, String path) throws FsException, IrodsException {
        Target t = target(c, path);
        List<String> names = new ArrayList<>();
        if (t == null) {
            return names;
        }
        ObjStat s = existing(t);
        Set<String> attrs = new LinkedHashSet<>();
        for (Avu a : avus(t, s)) {
            if (!isComputedXattr(XATTR_USER + a.attribute())) {
                attrs.add(XATTR_USER + a.attribute());
            }
        }
        names.addAll(attrs);
        return names;
    }

    /** flags: 1 = XATTR_CREATE (fail if present), 2 = XATTR_REPLACE (fail if absent). */
    public void setxattr(Caller c, String path, String name, byte[] value, int flags)
        throws FsException, IrodsException {
        if (!name.startsWith(XATTR_USER)) {
            throw new FsException(Errno.ENOTSUP, "only user.* attributes are stored (as AVUs)");
        }
        if (isComputedXattr(name)) {
            throw new FsException(Errno.EPERM, name + " is maintained by iRODS");
        }
        Target t = writable(c, path);
        ObjStat s = existing(t);
        String attr = name.substring(XATTR_USER.length());
        if (attr.isEmpty()) {
            throw new FsException(Errno.EINVAL, "iRODS AVUs need a non-empty name");
        }
        Avu avu = XattrValues.encode(attr, value);
        boolean present = avus(t, s).stream().anyMatch(a -> a.attribute().equals(attr));
        if ((flags & 1) != 0 && present) {
            throw new FsException(Errno.EEXIST, name + " exists");
        }
        if ((flags & 2) != 0 && !present) {
            throw new FsException(Errno.ENODATA, name + " does not exist");
        }
        try {
            pool.run(t.account(), false, x -> {
                x.setAvu(t.irodsPath(), s.isCollection(), avu);
                return null;
            });
        } finally {
            cache.invalidate(t.irodsPath());
        }
    }

    public void removexattr(Caller c, String path, String name) throws FsException, IrodsException {
        if (!name.startsWith(XATTR_USER) || isComputedXattr(name)) {
            throw new FsException(isComputedXattr(name) ? Errno.EPERM : Errno.ENODATA, "cannot remove " + name);
        }
        Target t = writable(c, path);
        ObjStat s = existing(t);
        String attr = name.substring(XATTR_USER.length());
        List<Avu> matching = avus(t, s).stream().filter(a -> a.attribute().equals(attr)).toList();
        if (matching.isEmpty()) {
            throw new FsException(Errno.ENODATA, "no attribute " + name);
        }
        try {
            pool.run(t.account(), false, x -> {
                for (Avu a : matching) {
                    x.removeAvu(t.irodsPath(), s.isCollection(), a);
                }
                return null;
            });
        } finally {
            cache.invalidate(t.irodsPath());
        }
    }

    @Override
    public void close() {
        prefetchExecutor.shutdownNow();
    }
}

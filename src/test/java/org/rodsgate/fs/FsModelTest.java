package org.rodsgate.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.rodsgate.cache.MetadataCache;
import org.opentest4j.AssertionFailedError;
import org.rodsgate.fs.open.Consistency;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import org.rodsgate.testing.SandboxFixture;

/**
 * Model-based test: random sequences of create, write, read, truncate, rename, unlink, mkdir, rmdir, O_EXCL
 * create, O_APPEND write, rename and unlink of open files, uploads that fail, edits that race another client —
 * and of changes made directly in iRODS by a second client (put, append, rename, unlink) — applied to the
 * filesystem core and to a reference directory on the local disk. After every step both must agree on success or
 * failure, and the trees must be equal.
 *
 * <p>The reference encodes SEMANTICS.md's consistency model: opens and creates see the second client's changes at
 * once (close-to-open; no clock advance before them), while other namespace operations may be decided on lookups
 * cached for up to the TTL (the clock is advanced past it before them). A failed upload leaves the previous
 * contents; an edit that races another client's change loses with an error and is kept as a conflict copy.
 * {@link #revalidationMatters} and {@link #safeReplacementMatters} show that the model catches the faults when
 * either guarantee is switched off.
 */
class FsModelTest {
    static SandboxFixture sandbox;

    @BeforeContainer
    static void start() {
        sandbox = SandboxFixture.start(false);
    }

    @AfterContainer
    static void stop() {
        sandbox.close();
    }

    static final int CREAT = 0x241;
    static final int EXCL = 0xc1;      // O_WRONLY | O_CREAT | O_EXCL
    static final int APPEND = 0x401;   // O_WRONLY | O_APPEND
    static final int RDWR = 2;
    /** Steps after which the mount may still serve cached lookups: the clock passes the TTL before them. */
    static final Set<String> CACHED_LOOKUPS = Set.of("truncate", "rename", "unlink", "mkdir", "rmdir");
    static final List<String> NAMES = List.of("a", "b", "it's & <x>", "d/a", "d/c d", "e");
    static final List<String> DIRS = List.of("d", "e", "f");

    /** One step, applied to both sides. */
    record Op(String kind, String p, String q, int off, int len, long seed) {
        @Override
        public String toString() {
            return kind + "(" + p + (q == null ? "" : ", " + q) + (len > 0 ? ", off=" + off + ", len=" + len : "") + ")";
        }
    }

    @Provide
    Arbitrary<List<Op>> scripts() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<String> dirName = Arbitraries.of(DIRS);
        Arbitrary<Op> op = Arbitraries.oneOf(
            Combinators.combine(name, Arbitraries.integers().between(0, 300_000), Arbitraries.longs())
                .as((n, len, seed) -> new Op("create", n, null, 0, len, seed)),
            Combinators.combine(name, Arbitraries.integers().between(0, 400_000), Arbitraries.integers().between(1, 70_000),
                Arbitraries.longs()).as((n, off, len, seed) -> new Op("write", n, null, off, len, seed)),
            Combinators.combine(name, Arbitraries.integers().between(0, 350_000))
                .as((n, size) -> new Op("truncate", n, null, size, 0, 0)),
            Combinators.combine(name, name).as((a, b) -> new Op("rename", a, b, 0, 0, 0)),
            Combinators.combine(dirName, dirName).as((a, b) -> new Op("rename", a, b, 0, 0, 0)),
            name.map(n -> new Op("unlink", n, null, 0, 0, 0)),
            dirName.map(n -> new Op("mkdir", n, null, 0, 0, 0)),
            dirName.map(n -> new Op("rmdir", n, null, 0, 0, 0)),
            name.map(n -> new Op("read", n, null, 0, 0, 0)),
            Combinators.combine(name, Arbitraries.integers().between(0, 100_000), Arbitraries.longs())
                .as((n, len, seed) -> new Op("remote-put", n, null, 0, len, seed)),
            name.map(n -> new Op("remote-unlink", n, null, 0, 0, 0)),
            Combinators.combine(name, Arbitraries.integers().between(1, 5000), Arbitraries.longs())
                .as((n, len, seed) -> new Op("remote-append", n, null, 0, len, seed)),
            Combinators.combine(name, name).as((a, b) -> new Op("remote-rename", a, b, 0, 0, 0)),
            name.map(n -> new Op("excl", n, null, 0, 0, 0)),
            Combinators.combine(name, Arbitraries.integers().between(1, 5000), Arbitraries.longs())
                .as((n, len, seed) -> new Op("append", n, null, 0, len, seed)),
            Combinators.combine(name, name, Arbitraries.integers().between(0, 200_000),
                Arbitraries.integers().between(1, 20_000), Arbitraries.longs())
                .as((a, b, off, len, seed) -> new Op("open-rename-write", a, b, off, len, seed)),
            Combinators.combine(name, Arbitraries.integers().between(0, 200_000),
                Arbitraries.integers().between(1, 20_000), Arbitraries.longs())
                .as((n, off, len, seed) -> new Op("open-unlink", n, null, off, len, seed)),
            Combinators.combine(name, Arbitraries.integers().between(0, 200_000),
                Arbitraries.integers().between(1, 20_000), Arbitraries.longs())
                .as((n, off, len, seed) -> new Op("failed-close", n, null, off, len, seed)),
            Combinators.combine(name, Arbitraries.integers().between(0, 200_000),
                Arbitraries.integers().between(1, 20_000), Arbitraries.longs())
                .as((n, off, len, seed) -> new Op("concurrent-edit", n, null, off, len, seed)));
        return op.list().ofMinSize(5).ofMaxSize(25);
    }

    static final class Ticker implements com.github.benmanes.caffeine.cache.Ticker {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }
    }

    @Property(tries = 25)
    void coreBehavesLikeALocalDirectory(@ForAll("scripts") List<Op> script) throws Exception {
        run(script, Consistency.STRICT);
    }

    /** Without revalidation at open, an append lands at a cached end and overwrites the other client's append. */
    @Example
    void revalidationMatters() {
        List<Op> script = List.of(new Op("create", "a", null, 0, 1000, 1),
            new Op("remote-append", "a", null, 0, 500, 2), new Op("append", "a", null, 0, 100, 3));
        assertThrows(AssertionFailedError.class, () -> run(script, new Consistency(false, true)));
        assertDoesNotThrow(() -> run(script, Consistency.STRICT));
    }

    /** Without safe replacement, a failed upload destroys the previous contents and a racing edit is lost silently. */
    @Example
    void safeReplacementMatters() {
        List<Op> failed = List.of(new Op("create", "a", null, 0, 100_000, 1),
            new Op("failed-close", "a", null, 5000, 10, 2));
        assertThrows(AssertionFailedError.class, () -> run(failed, new Consistency(true, false)));
        assertDoesNotThrow(() -> run(failed, Consistency.STRICT));
        List<Op> race = List.of(new Op("create", "b", null, 0, 100_000, 1),
            new Op("concurrent-edit", "b", null, 5000, 10, 2));
        assertThrows(AssertionFailedError.class, () -> run(race, new Consistency(true, false)));
        assertDoesNotThrow(() -> run(race, Consistency.STRICT));
    }

    private void run(List<Op> script, Consistency consistency) throws Exception {
        Path ref = Files.createTempDirectory("model-ref");
        String root = "/tempZone/home/rods/model-" + System.nanoTime();
        Ticker ticker = new Ticker();
        Caller me = new Caller(1000, 1000, 1);
        try (ConnectionPool pool = new ConnectionPool();
             IrodsSession remote = IrodsSession.open(sandbox.rods())) {
            IrodsFs fs = new IrodsFs(Mappings.zoneRoot(), new MountOwnerIdentity(sandbox.rods()), pool,
                new MetadataCache(MetadataCache.Settings.defaults(), ticker),
                FsSettings.defaults(1000, 1000, Files.createTempDirectory("model-spill")), consistency);
            fs.mkdir(me, root);
            Files.createDirectories(ref.resolve("d"));
            fs.mkdir(me, root + "/d");
            try {
                for (Op op : script) {
                    if (CACHED_LOOKUPS.contains(op.kind())) {
                        ticker.nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // these may use cached lookups
                    }
                    byte[] mine = op.kind().equals("concurrent-edit") ? edited(ref, op) : null;
                    boolean refOk = applyRef(ref, op);
                    boolean fsOk = applyFs(fs, me, remote, root, op, mine);
                    assertEquals(refOk, fsOk, "success differs for " + op + " in " + script);
                    if (op.kind().startsWith("remote")) {
                        continue; // the mount's caches stay as they were: the next step meets a stale cache
                    }
                    ticker.nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // compare what iRODS holds
                    assertEquals(tree(ref), treeFs(fs, me, root), "trees differ after " + op + " in " + script);
                }
            } finally {
                sandbox.server.faults().clear();
                fs.close();
                remote.rmdir(root, true);
            }
        } finally {
            try (Stream<Path> s = Files.walk(ref)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The bytes of a file after this step's write, as the mount's handle would hold them (null: no such file). */
    private static byte[] edited(Path ref, Op op) throws IOException {
        Path p = ref.resolve(op.p());
        if (!Files.isRegularFile(p)) {
            return null;
        }
        byte[] old = Files.readAllBytes(p);
        byte[] d = data(op.len(), op.seed());
        byte[] out = Arrays.copyOf(old, Math.max(old.length, op.off() + d.length));
        System.arraycopy(d, 0, out, op.off(), d.length);
        return out;
    }

    /** The size at which a racing edit streams (holding iRODS's lock) rather than spilling. */
    private static boolean streams(long size, Op op) {
        return op.off() == size;
    }

    static byte[] data(int len, long seed) {
        byte[] b = new byte[len];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static boolean applyRef(Path ref, Op op) {
        Path p = ref.resolve(op.p());
        try {
            switch (op.kind()) {
                case "create", "remote-put" -> {
                    if (Files.isDirectory(p) || !Files.isDirectory(p.getParent())) {
                        return false;
                    }
                    Files.write(p, data(op.len(), op.seed()));
                }
                case "write" -> {
                    if (!Files.isRegularFile(p)) {
                        return false;
                    }
                    try (var ch = java.nio.channels.FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.write(java.nio.ByteBuffer.wrap(data(op.len(), op.seed())), op.off());
                    }
                }
                case "truncate" -> {
                    if (!Files.isRegularFile(p)) {
                        return false;
                    }
                    try (var f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
                        f.setLength(op.off());
                    }
                }
                case "rename" -> {
                    Path q = ref.resolve(op.q());
                    if (!Files.exists(p) || !Files.isDirectory(q.getParent()) || q.startsWith(p) && !q.equals(p)) {
                        return false;
                    }
                    if (p.equals(q)) {
                        return true;
                    }
                    if (Files.isDirectory(q) != Files.isDirectory(p) && Files.exists(q)) {
                        return false;
                    }
                    Files.move(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
                case "unlink", "remote-unlink" -> {
                    if (!Files.isRegularFile(p)) {
                        return false;
                    }
                    Files.delete(p);
                }
                case "mkdir" -> Files.createDirectory(p);
                case "rmdir" -> {
                    if (!Files.isDirectory(p)) {
                        return false;
                    }
                    Files.delete(p);
                }
                case "read" -> {
                    return Files.isRegularFile(p);
                }
                case "remote-append", "append" -> {
                    if (!Files.isRegularFile(p)) {
                        return false;
                    }
                    Files.write(p, data(op.len(), op.seed()), StandardOpenOption.APPEND);
                }
                case "remote-rename" -> {
                    Path q = ref.resolve(op.q());
                    if (!Files.exists(p) || Files.exists(q) || !Files.isDirectory(q.getParent()) || q.startsWith(p)) {
                        return false;
                    }
                    Files.move(p, q);
                }
                case "excl" -> {
                    if (Files.exists(p) || !Files.isDirectory(p.getParent())) {
                        return false;
                    }
                    Files.createFile(p);
                }
                case "open-rename-write" -> {
                    if (!Files.isRegularFile(p)) {
                        return false;
                    }
                    writeAt(p, op.off(), data(op.len(), op.seed()));
                    boolean renamed = applyRef(ref, new Op("rename", op.p(), op.q(), 0, 0, 0));
                    writeAt(renamed ? ref.resolve(op.q()) : p, op.off() + op.len(), data(op.len(), op.seed() + 1));
                    return renamed;
                }
                case "open-unlink" -> {
                    if (!Files.isRegularFile(p)) {
                        return false;
                    }
                    Files.delete(p);
                }
                case "failed-close" -> {
                    return false; // the close reports the failure; the previous contents stay
                }
                case "concurrent-edit" -> {
                    if (!Files.isRegularFile(p)) {
                        return false;
                    }
                    if (streams(Files.size(p), op)) { // the mount holds iRODS's lock: the other client is refused
                        writeAt(p, op.off(), data(op.len(), op.seed()));
                        return true;
                    }
                    Files.write(p, data(op.len() + 7, op.seed() + 1)); // the other client's version wins
                    return false;
                }
                default -> throw new IllegalStateException(op.kind());
            }
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeAt(Path p, long off, byte[] d) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(d), off);
        }
    }

    private static boolean applyFs(IrodsFs fs, Caller me, IrodsSession remote, String root, Op op, byte[] mine)
        throws Exception {
        String p = root + "/" + op.p();
        try {
            switch (op.kind()) {
                case "create" -> {
                    long fh = fs.create(me, p, CREAT); // creat(2): O_WRONLY | O_CREAT | O_TRUNC
                    byte[] d = data(op.len(), op.seed());
                    for (int o = 0; o < d.length; o += 131072) {
                        fs.write(fh, d, o, Math.min(131072, d.length - o), o);
                    }
                    fs.flush(fh);
                    fs.release(fh);
                }
                case "write" -> {
                    long fh = fs.open(me, p, 1);
                    byte[] d = data(op.len(), op.seed());
                    try {
                        fs.write(fh, d, 0, d.length, op.off());
                        fs.flush(fh);
                    } finally {
                        fs.release(fh);
                    }
                }
                case "truncate" -> fs.truncate(me, p, op.off());
                case "rename" -> fs.rename(me, p, root + "/" + op.q());
                case "unlink" -> fs.unlink(me, p);
                case "mkdir" -> fs.mkdir(me, p);
                case "rmdir" -> fs.rmdir(me, p);
                case "read" -> {
                    long fh = fs.open(me, p, 0);
                    fs.release(fh);
                }
                case "remote-put" -> {
                    if (remote.statOrNull(p) != null && remote.stat(p).isCollection()) {
                        return false;
                    }
                    IrodsSession.OpenFile f = remote.create(p);
                    byte[] d = data(op.len(), op.seed());
                    if (d.length > 0) {
                        remote.write(f.fd(), d, 0, d.length);
                    }
                    remote.close(f.fd());
                }
                case "remote-unlink" -> {
                    var s = remote.statOrNull(p);
                    if (s == null || s.isCollection()) {
                        return false;
                    }
                    remote.unlink(p);
                }
                case "remote-append" -> {
                    var s = remote.statOrNull(p);
                    if (s == null || s.isCollection()) {
                        return false;
                    }
                    IrodsSession.OpenFile f = remote.open(p, IrodsSession.O_RDWR);
                    remote.seek(f.fd(), 0, IrodsSession.SEEK_END);
                    byte[] d = data(op.len(), op.seed());
                    remote.write(f.fd(), d, 0, d.length);
                    remote.close(f.fd());
                }
                case "remote-rename" -> remote.rename(p, root + "/" + op.q(), false);
                case "excl" -> fs.release(fs.create(me, p, EXCL));
                case "append" -> {
                    long fh = fs.open(me, p, APPEND);
                    byte[] d = data(op.len(), op.seed());
                    try {
                        fs.write(fh, d, 0, d.length, 0); // the offset the kernel passes is ignored: iRODS's end counts
                        fs.flush(fh);
                    } finally {
                        fs.release(fh);
                    }
                }
                case "open-rename-write" -> {
                    long fh = fs.open(me, p, RDWR);
                    boolean renamed = true;
                    try {
                        byte[] d = data(op.len(), op.seed());
                        fs.write(fh, d, 0, d.length, op.off());
                        try {
                            fs.rename(me, p, root + "/" + op.q());
                        } catch (FsException | IrodsException e) {
                            renamed = false;
                        }
                        byte[] d2 = data(op.len(), op.seed() + 1);
                        fs.write(fh, d2, 0, d2.length, op.off() + op.len());
                        fs.flush(fh);
                    } finally {
                        fs.release(fh);
                    }
                    return renamed;
                }
                case "open-unlink" -> {
                    long fh = fs.open(me, p, RDWR);
                    try {
                        byte[] d = data(op.len(), op.seed());
                        fs.write(fh, d, 0, d.length, op.off());
                        fs.unlink(me, p);
                        byte[] back = new byte[d.length];
                        assertEquals(d.length, fs.read(fh, back, 0, d.length, op.off()), "read after unlink");
                        assertArrayEquals(d, back, "an unlinked open file keeps its data");
                        assertThrows(FsException.class, () -> fs.getattr(me, p), "the unlinked name is gone at once");
                        fs.flush(fh);
                    } finally {
                        fs.release(fh);
                    }
                }
                case "failed-close" -> {
                    var s = remote.statOrNull(p);
                    if (s == null || s.isCollection()) {
                        return false;
                    }
                    long fh = fs.open(me, p, RDWR);
                    try {
                        byte[] d = data(op.len(), op.seed());
                        fs.write(fh, d, 0, d.length, s.size() == 0 ? 1 : op.off() % s.size()); // in the middle
                        sandbox.server.faults().failApi(676, -110000, 1); // the upload's first write fails
                        fs.flush(fh);
                        return true; // the model says it must fail
                    } catch (IOException e) {
                        return false;
                    } finally {
                        sandbox.server.faults().clear();
                        fs.release(fh);
                    }
                }
                case "concurrent-edit" -> {
                    long fh = fs.open(me, p, RDWR);
                    boolean remoteOk;
                    try {
                        byte[] d = data(op.len(), op.seed());
                        fs.write(fh, d, 0, d.length, op.off());
                        try {
                            IrodsSession.OpenFile f = remote.create(p);
                            byte[] theirs = data(op.len() + 7, op.seed() + 1);
                            remote.write(f.fd(), theirs, 0, theirs.length);
                            remote.close(f.fd());
                            remoteOk = true;
                        } catch (IrodsException e) {
                            remoteOk = false;
                        }
                        fs.flush(fh);
                    } catch (IOException e) {
                        String name = Paths.name(p) + ".conflict-";
                        ObjStat copy = remote.list(Paths.parent(p)).stream().filter(x -> x.name().startsWith(name))
                            .findFirst().orElseThrow(() -> new AssertionError("no conflict copy of " + p));
                        assertEquals(describe(mine), describe(readRemote(remote, copy.path())), "the conflict copy");
                        remote.unlink(copy.path());
                        return false;
                    } finally {
                        fs.release(fh);
                    }
                    return !remoteOk;
                }
                default -> throw new IllegalStateException(op.kind());
            }
            return true;
        } catch (FsException | IrodsException e) {
            return false;
        }
    }

    private static byte[] readRemote(IrodsSession remote, String path) throws IrodsException {
        IrodsSession.OpenFile f = remote.open(path, IrodsSession.O_RDONLY);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = remote.read(f.fd(), buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        remote.close(f.fd());
        return out.toByteArray();
    }

    /** path -> size and content digest, for both sides. */
    private static TreeMap<String, String> tree(Path ref) throws IOException {
        TreeMap<String, String> t = new TreeMap<>();
        try (Stream<Path> s = Files.walk(ref)) {
            for (Path p : s.toList()) {
                if (p.equals(ref)) {
                    continue;
                }
                String rel = ref.relativize(p).toString();
                t.put(rel, Files.isDirectory(p) ? "dir" : describe(Files.readAllBytes(p)));
            }
        }
        return t;
    }

    private static TreeMap<String, String> treeFs(IrodsFs fs, Caller me, String root) throws Exception {
        TreeMap<String, String> t = new TreeMap<>();
        List<String> todo = new ArrayList<>(List.of(""));
        while (!todo.isEmpty()) {
            String rel = todo.remove(0);
            for (DirEntry e : fs.readdir(me, rel.isEmpty() ? root : root + "/" + rel)) {
                String r = rel.isEmpty() ? e.name() : rel + "/" + e.name();
                if (e.attr().isDir()) {
                    t.put(r, "dir");
                    todo.add(r);
                } else {
                    long fh;
                    try {
                        fh = fs.open(me, root + "/" + r, 0);
                    } catch (FsException x) {
                        t.put(r, "unreadable: errno " + x.errno() + " (" + x.getMessage() + ")");
                        continue;
                    }
                    byte[] b = new byte[(int) e.attr().size()];
                    int at = 0;
                    while (at < b.length) {
                        int n = fs.read(fh, b, at, Math.min(131072, b.length - at), at);
                        if (n <= 0) {
                            break;
                        }
                        at += n;
                    }
                    fs.release(fh);
                    assertEquals(b.length, at, "short read of " + r);
                    t.put(r, describe(b));
                }
            }
        }
        return t;
    }

    private static String describe(byte[] b) {
        return b.length + ":" + Arrays.hashCode(b);
    }
}

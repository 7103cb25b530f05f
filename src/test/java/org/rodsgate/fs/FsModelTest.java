package org.rodsgate.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.testing.SandboxFixture;

/**
 * Model-based test: random sequences of create, write, read, truncate, rename, unlink, mkdir, rmdir — and of
 * changes made directly in iRODS by another client — applied to the filesystem core and to a reference directory
 * on the local disk. After every step both must agree on success or failure, and the trees must be equal.
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
            name.map(n -> new Op("remote-unlink", n, null, 0, 0, 0)));
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
        Path ref = Files.createTempDirectory("model-ref");
        String root = "/tempZone/home/rods/model-" + System.nanoTime();
        Ticker ticker = new Ticker();
        Caller me = new Caller(1000, 1000, 1);
        try (ConnectionPool pool = new ConnectionPool();
             IrodsSession remote = IrodsSession.open(sandbox.rods())) {
            IrodsFs fs = new IrodsFs(Mappings.zoneRoot(), new MountOwnerIdentity(sandbox.rods()), pool,
                new MetadataCache(MetadataCache.Settings.defaults(), ticker),
                FsSettings.defaults(1000, 1000, Files.createTempDirectory("model-spill")));
            fs.mkdir(me, root);
            Files.createDirectories(ref.resolve("d"));
            fs.mkdir(me, root + "/d");
            for (Op op : script) {
                boolean refOk = applyRef(ref, op);
                boolean fsOk = applyFs(fs, me, remote, root, op);
                if (op.kind().startsWith("remote")) {
                    ticker.nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // past the TTL: the change is seen
                }
                assertEquals(refOk, fsOk, "success differs for " + op + " in " + script);
                assertEquals(tree(ref), treeFs(fs, me, root), "trees differ after " + op + " in " + script);
            }
            fs.close();
            remote.rmdir(root, true);
        } finally {
            try (Stream<Path> s = Files.walk(ref)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
                default -> throw new IllegalStateException(op.kind());
            }
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean applyFs(IrodsFs fs, Caller me, IrodsSession remote, String root, Op op) throws Exception {
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
                default -> throw new IllegalStateException(op.kind());
            }
            return true;
        } catch (FsException | IrodsException e) {
            return false;
        }
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
                    long fh = fs.open(me, root + "/" + r, 0);
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

package org.rodsgate.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.testing.WithSandbox;

/**
 * Issue 8, failing input 2: about 111 files open for writing at once (mount.pool_size 200) ran the JVM out of
 * memory, each writer holding an 8 MiB chunk. A loader of 200 writers, all open at once, writing interleaved:
 * the buffers stay within the memory budget plus one floor chunk per writer, and every file arrives whole.
 */
class ManyWritersTest extends WithSandbox {
    static final int WRITERS = 200;
    static final int SIZE = 1 << 20;
    static final int BLOCK = 128 << 10;

    @Test
    void twoHundredWritersAtOnceStayWithinTheMemoryBudget() throws Exception {
        MemoryBudget before = MemoryBudget.process();
        MemoryBudget.configureProcess(32L << 20);
        MemoryBudget budget = MemoryBudget.process();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
        try (ConnectionPool pool = new ConnectionPool(ConnectionPool.Settings.defaults().withSizes(WRITERS, 4)
            .withWaits(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(5)));
             IrodsFs fs = new IrodsFs(Mappings.zoneRoot(), new MountOwnerIdentity(sandbox.rods()), pool,
                 new MetadataCache(MetadataCache.Settings.defaults()),
                 FsSettings.defaults(1000, 1000, Files.createTempDirectory("spill")))) {
            Caller me = new Caller(1000, 1000, 1);
            String dir = "/tempZone/home/rods/writers" + System.nanoTime();
            fs.mkdir(me, dir);
            CyclicBarrier allOpen = new CyclicBarrier(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    byte[] data = data(n);
                    long fh = fs.create(me, dir + "/f" + n, 1);
                    allOpen.await(60, TimeUnit.SECONDS);
                    for (int off = 0; off < SIZE; off += BLOCK) {
                        fs.write(fh, data, off, BLOCK, off);
                    }
                    fs.flush(fh);
                    fs.release(fh);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(300, TimeUnit.SECONDS);
            }
            MemoryBudget.Usage u = budget.usage();
            assertTrue(u.peak() >= 32L << 20, "the writers' chunks come from the budget: " + u);
            assertTrue(u.peak() <= (32L << 20) + (long) WRITERS * Writer.CHUNK_FLOOR, "peak " + u);
            assertEquals(0, u.inUse() + u.overdraft(), "every buffer given back: " + u);
            for (int i : new int[] {0, 57, 123, WRITERS - 1}) {
                assertEquals(SIZE, fs.getattr(me, dir + "/f" + i).size());
                long fh = fs.open(me, dir + "/f" + i, 0);
                byte[] back = new byte[SIZE];
                for (int off = 0; off < SIZE; off += BLOCK) {
                    fs.read(fh, back, off, BLOCK, off);
                }
                fs.release(fh);
                assertArrayEquals(data(i), back, "file " + i);
            }
        } finally {
            threads.shutdownNow();
            MemoryBudget.configureProcess(before.usage().capacity());
        }
    }

    private static byte[] data(int seed) {
        byte[] b = new byte[SIZE];
        new Random(seed).nextBytes(b);
        return b;
    }
}

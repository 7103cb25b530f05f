package org.rodsgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.ObjStat;

/** Cache behaviour proven by counting the loads that would reach iRODS; time from a fake ticker. */
class MetadataCacheTest {
    static final class FakeTicker implements Ticker {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    static ObjStat file(String path, long size) {
        return new ObjStat(path, ObjStat.Kind.DATA_OBJECT, path.hashCode() & 0xffff, size, 1, 1, "rods", "", 1);
    }

    final FakeTicker ticker = new FakeTicker();
    final MetadataCache cache = new MetadataCache(MetadataCache.Settings.defaults(), ticker);
    final AtomicInteger calls = new AtomicInteger();

    Optional<ObjStat> stat(String user, String path, long size) throws Exception {
        return cache.stat(user, path, () -> {
            calls.incrementAndGet();
            return Optional.of(file(path, size));
        });
    }

    Optional<ObjStat> statMissing(String path) throws Exception {
        return cache.stat("rods", path, () -> {
            calls.incrementAndGet();
            return Optional.empty();
        });
    }

    static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A change inside a directory may move its modify time (issue 7, input 9: rsync -a directory times). */
    @Test
    void aChangeInsideADirectoryForgetsTheDirectorysAttributesAndTheListingTheyCameFrom() throws Exception {
        cache.listing("rods", "/z", () -> List.of(file("/z/d", 0)));
        stat("rods", "/z/d", 0);
        assertEquals(0, calls.get(), "served from the listing of /z");
        cache.invalidate("/z/d/new-file");
        stat("rods", "/z/d", 0);
        assertEquals(1, calls.get(), "the directory's attributes are loaded again");
        int[] listed = {0};
        cache.listing("rods", "/z", () -> {
            listed[0]++;
            return List.of(file("/z/d", 0));
        });
        assertEquals(1, listed[0], "the listing holding the directory's attributes is loaded again");
    }

    @Test
    void attributesAreLoadedOnceWithinTheirTtl() throws Exception {
        stat("rods", "/z/a", 1);
        stat("rods", "/z/a", 1);
        assertEquals(1, calls.get());
        ticker.advance(Duration.ofSeconds(6));
        stat("rods", "/z/a", 1);
        assertEquals(2, calls.get());
    }

    @Test
    void negativeEntriesExpireSooner() throws Exception {
        statMissing("/z/none");
        ticker.advance(Duration.ofSeconds(1));
        assertFalse(statMissing("/z/none").isPresent());
        assertEquals(1, calls.get());
        ticker.advance(Duration.ofSeconds(2));
        statMissing("/z/none");
        assertEquals(2, calls.get());
    }

    @Test
    void aListingAnswersTheStatOfEveryChild() throws Exception {
        cache.listing("rods", "/z", () -> {
            calls.incrementAndGet();
            return List.of(file("/z/a", 1), file("/z/b", 2));
        });
        assertEquals(2, stat("rods", "/z/b", 99).orElseThrow().size(), "served from the listing");
        assertFalse(cache.stat("rods", "/z/missing", () -> {
            throw new AssertionError("a name absent from a fresh listing does not exist: no load");
        }).isPresent());
        assertEquals(1, calls.get());
    }

    @Test
    void cachesAreKeptPerUser() throws Exception {
        stat("alice", "/z/a", 1);
        stat("bob", "/z/a", 1);
        assertEquals(2, calls.get(), "bob must not see what was loaded with alice's rights");
    }

    @Test
    void invalidationForgetsThePathAndItsParentListingForAllUsers() throws Exception {
        cache.listing("alice", "/z", () -> List.of(file("/z/a", 1)));
        cache.listing("bob", "/z", () -> List.of(file("/z/a", 1)));
        cache.invalidate("/z/a");
        assertEquals(7, stat("alice", "/z/a", 7).orElseThrow().size());
        assertEquals(7, stat("bob", "/z/a", 7).orElseThrow().size());
        AtomicInteger listings = new AtomicInteger();
        cache.listing("alice", "/z", () -> {
            listings.incrementAndGet();
            return List.of();
        });
        assertEquals(1, listings.get(), "the parent listing was invalidated too");
    }

    @Test
    void invalidatingATreeForgetsEverythingBelow() throws Exception {
        stat("rods", "/z/d/x/y", 1);
        stat("rods", "/z/dd", 1);
        cache.invalidateTree("/z/d");
        stat("rods", "/z/d/x/y", 1);
        stat("rods", "/z/dd", 1);
        assertEquals(3, calls.get(), "/z/d/x/y reloaded, /z/dd (a sibling with a common prefix) kept");
    }

    /** Regression: an invalidation that arrives while a load is in flight must not leave the stale load behind. */
    @Test
    void invalidationRacingALoadLeavesNoStaleEntry() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<ObjStat>> slow = ex.submit(() -> cache.stat("rods", "/z/race", () -> {
                loading.countDown();
                awaitQuietly(release);
                return Optional.of(file("/z/race", 1)); // what iRODS said before the change
            }));
            assertTrue(loading.await(5, TimeUnit.SECONDS));
            Future<?> inval = ex.submit(() -> cache.invalidate("/z/race")); // the change happened meanwhile
            Thread.sleep(50);
            release.countDown();
            slow.get(5, TimeUnit.SECONDS);
            inval.get(5, TimeUnit.SECONDS);
            assertEquals(2, stat("rods", "/z/race", 2).orElseThrow().size(), "the stale size 1 must be gone");
        } finally {
            ex.shutdownNow();
        }
    }

    /** Regression: children spread by a listing that began before an invalidation are not stored. */
    @Test
    void listingRacingAnInvalidationDoesNotResurrectChildren() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<?> listing = ex.submit(() -> cache.listing("rods", "/z", () -> {
                loading.countDown();
                awaitQuietly(release);
                return List.of(file("/z/child", 1));
            }));
            assertTrue(loading.await(5, TimeUnit.SECONDS));
            cache.invalidate("/z/child/grandchild");
            release.countDown();
            listing.get(5, TimeUnit.SECONDS);
            cache.invalidate("/z"); // drop the listing itself: only the per-path entries are left to check
            assertEquals(5, stat("rods", "/z/child", 5).orElseThrow().size());
        } finally {
            ex.shutdownNow();
        }
    }
}

package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bandwidth cap with a fake clock: the average rate holds, a burst is at most one second's worth. */
class TokenBucketTest {
    final AtomicLong nanos = new AtomicLong();

    TokenBucket bucket(long rate) {
        return new TokenBucket(rate, nanos::get, nanos::addAndGet);
    }

    @Test
    void averageRateIsTheCap() throws Exception {
        TokenBucket b = bucket(1_000_000);
        for (int i = 0; i < 100; i++) {
            b.take(100_000); // 10 MB at 1 MB/s
        }
        double seconds = nanos.get() / 1e9;
        // the first second's worth goes at once (the burst), the other 9 MB take 9 s
        assertEquals(9.0, seconds, 0.01);
    }

    @Test
    void idleTimeBuysAtMostOneSecondOfBurst() throws Exception {
        TokenBucket b = bucket(1_000_000);
        b.take(1_000_000);
        nanos.addAndGet(60_000_000_000L); // a minute idle
        long before = nanos.get();
        b.take(3_000_000);
        assertEquals(2.0, (nanos.get() - before) / 1e9, 0.01, "only one second of burst was saved up");
    }

    @Test
    void aCapMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> bucket(0));
    }

    @Test
    void realSleepsHoldTheRate() throws Exception {
        TokenBucket b = TokenBucket.system(4_000_000);
        long t0 = System.nanoTime();
        b.take(4_000_000); // the burst
        b.take(1_000_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 200 && ms < 5000, "1 MB beyond the burst at 4 MB/s takes ~250 ms, took " + ms);
    }
}

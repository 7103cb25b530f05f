package org.rodsgate.reverse.place;

import java.io.InterruptedIOException;
import java.util.function.LongSupplier;

/**
 * A bandwidth cap: {@code bytesPerSecond} on average, with a burst of at most one second's worth. Callers take the
 * bytes they are about to send and are made to wait (sleep) for as long as they are ahead. Thread-safe: the copies
 * of one gateway share one bucket per cap, so the cap holds for all of them together.
 */
final class TokenBucket {
    /** How the bucket waits; a test passes one that advances a fake clock. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long bytesPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double tokens;
    private long last;

    TokenBucket(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("a bandwidth cap must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.last = nanoTime.getAsLong();
        this.tokens = bytesPerSecond;
    }

    static TokenBucket system(long bytesPerSecond) {
        return new TokenBucket(bytesPerSecond, System::nanoTime,
            n -> Thread.sleep(n / 1_000_000, (int) (n % 1_000_000)));
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes}, waiting until the average rate allows them. */
    void take(long bytes) throws InterruptedIOException {
        long waitNanos;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            tokens = Math.min(bytesPerSecond, tokens + (now - last) * (bytesPerSecond / 1e9));
            last = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / bytesPerSecond * 1e9);
        }
        if (waitNanos > 0) {
            try {
                sleeper.sleepNanos(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while held to the bandwidth cap");
            }
        }
    }
}

package org.rodsgate.watch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A cycle run every {@code period} on one daemon thread, paced by a {@link CycleBackoff} while it keeps failing
 * (the pause doubles up to {@code maxPause}; the log hears of the start, each doubling and the end of an episode).
 * Both directions of a gateway run this way: the watcher (poll the catalog, register) and the reverse loop (poll
 * OMERO, place). {@link #close()} stops it, waiting at most 30 s for a cycle under way.
 */
public final class PacedLoop implements AutoCloseable {
    /** One cycle; an exception counts as a failed cycle. */
    @FunctionalInterface
    public interface Cycle {
        void run() throws Exception;
    }

    private final ScheduledExecutorService executor;

    /**
     * @param thread   the thread's name (in thread dumps)
     * @param what     prefix of the log lines of a failing episode ("" for none)
     */
    public PacedLoop(String thread, Duration period, Duration maxPause, String what, Logger log, Cycle cycle) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        CycleBackoff backoff = new CycleBackoff(period, maxPause);
        executor.scheduleWithFixedDelay(() -> {
            if (!backoff.due()) {
                return;
            }
            try {
                cycle.run();
                backoff.succeeded().ifPresent(log::info);
            } catch (Exception e) {
                backoff.failed(what + e.getMessage()).ifPresent(log::warning);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.rodsgate.fs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.metrics.Metrics;

/**
 * Per-handle read-ahead. Sequential reads are served from a window that doubles on every sequential refill
 * (from {@link Settings#initialWindow()} up to {@link Settings#maxWindow()}) and the next window is fetched in the
 * background while the current one is consumed; a seek resets the window, and a random read fetches just what
 * was asked (rounded up to {@link Settings#randomBlock()}). Windows are taken from the {@link MemoryBudget}: when it
 * is spent they shrink (down to one block) rather than exhaust the heap. Thread-safe.
 */
public final class Prefetcher implements AutoCloseable {
    /** Declared once: 1 MiB to start (a TIFF header read costs little), 16 MiB at most (two in memory per handle). */
    public record Settings(int initialWindow, int maxWindow, int randomBlock) {
        public static Settings defaults() {
            return new Settings(1 << 20, 16 << 20, 64 << 10);
        }
    }

    /** A window of the file; its bytes are on loan from the memory budget until {@link #release()}. */
    private record Chunk(long start, byte[] data, int len, MemoryBudget.Grant grant) {
        void release() {
            grant.close();
        }

        boolean covers(long off) {
            return off >= start && off < start + len;
        }

        long end() {
            return start + len;
        }
    }

    private static final long REORDER_SLACK = 256 << 10;

    private final ReadStream stream;
    private final Settings settings;
    private final Executor executor;
    private final MemoryBudget budget;
    private Chunk current;
    private CompletableFuture<Chunk> next;
    private long nextStart = -1;
    private long lastEnd = -1;
    private int window;

    Prefetcher(ReadStream stream, Settings settings, Executor executor) {
        this(stream, settings, executor, MemoryBudget.process());
    }

    Prefetcher(ReadStream stream, Settings settings, Executor executor, MemoryBudget budget) {
        this.budget = budget;
        this.stream = stream;
        this.settings = settings;
        this.executor = executor;
        this.window = settings.initialWindow();
    }

    synchronized int read(long offset, Sink dst, int len) throws IrodsException {
        // the kernel's read-ahead may deliver neighbouring requests slightly out of order
        boolean sequential = lastEnd >= 0 && Math.abs(offset - lastEnd) <= REORDER_SLACK;
        int done = 0;
        while (done < len) {
            long at = offset + done;
            if (current == null || !current.covers(at)) {
                Chunk c = takeNext(at);
                if (c == null) {
                    if (sequential || done > 0) {
                        window = Math.min(window * 2, settings.maxWindow());
                        c = fetch(at, window, true);
                    } else {
                        window = settings.initialWindow();
                        int want = len - done;
                        int block = settings.randomBlock();
                        c = fetch(at, ((want + block - 1) / block) * block, false);
                    }
                }
                if (current != null) {
                    current.release();
                }
                current = c;
                if (!current.covers(at)) {
                    break; // end of file
                }
            }
            int n = (int) Math.min(len - done, current.end() - at);
            dst.put(done, current.data(), (int) (at - current.start()), n);
            done += n;
        }
        lastEnd = offset + done;
        if (sequential && current != null && current.len() == current.data().length && next == null
            && lastEnd - current.start() >= current.len() / 2) {
            long start = current.end();
            int size = Math.min(window * 2, settings.maxWindow());
            nextStart = start;
            CompletableFuture<Chunk> f = new CompletableFuture<>();
            next = f;
            executor.execute(() -> {
                if (f.isCancelled()) {
                    return;
                }
                try {
                    Chunk c = fetch(start, size, true);
                    if (!f.complete(c)) {
                        c.release(); // cancelled while it ran: nobody will take it
                    }
                } catch (IrodsException e) {
                    f.completeExceptionally(new PrefetchFailure(e));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        }
        return done;
    }

    /** The background chunk if it covers {@code at}; otherwise it is waited for (it uses the stream) and dropped. */
    private Chunk takeNext(long at) throws IrodsException {
        if (next == null) {
            return null;
        }
        CompletableFuture<Chunk> f = next;
        next = null;
        try {
            Chunk c = f.get();
            if (c.covers(at)) {
                return c;
            }
            c.release();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PrefetchFailure pf && nextStart == at) {
                throw pf.cause;
            }
            return null; // a failed read-ahead of data nobody asked for yet is not an error
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw IrodsException.transport("interrupted", e, Errno.EIO.value);
        }
    }

    /**
     * Reads up to {@code size} bytes at {@code start}: fewer when the memory budget is spent (never below a block).
     * The size granted is recorded as a read-ahead window ({@code sequential}) or a random read's block.
     */
    private Chunk fetch(long start, int size, boolean sequential) throws IrodsException {
        MemoryBudget.Grant g = budget.take(size, Math.min(size, settings.randomBlock()));
        Metrics.readAheadWindow(g.size(), sequential);
        try {
            byte[] b = new byte[g.size()];
            int n = stream.read(start, b, 0, b.length);
            return new Chunk(start, b, n, g);
        } catch (IrodsException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private static final class PrefetchFailure extends RuntimeException {
        final IrodsException cause;

        PrefetchFailure(IrodsException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    @Override
    public synchronized void close() {
        if (next != null) {
            CompletableFuture<Chunk> f = next;
            next = null;
            // not started: it never runs; running: it gives its window back when it ends; done: given back here
            if (!f.cancel(false)) {
                try {
                    f.join().release();
                } catch (RuntimeException ignored) {
                    // a failed read-ahead holds nothing
                }
            }
        }
        if (current != null) {
            current.release();
            current = null;
        }
    }
}

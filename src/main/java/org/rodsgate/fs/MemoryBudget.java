package org.rodsgate.fs;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Bytes that the mount's large buffers (write chunks, read-ahead windows, spill copies) may hold at once. A holder
 * asks for what it wants and a floor; it gets as much as is free, at most what it wants; when less than the floor is
 * free it still gets the floor, as an <i>overdraft</i> outside the budget — so buffers shrink under pressure
 * instead of the JVM running out of memory, and no call ever waits for memory. Overdrafts are bounded by the
 * number of holders (open files, each on a pooled I/O connection) × the floor. Entering and leaving a spent budget
 * is logged once each. One budget per process ({@link #process()}), since the heap it protects is per process;
 * {@link #configureProcess(long)} sets it at mount start. Thread-safe.
 */
public final class MemoryBudget {
    private static final Logger LOG = Logger.getLogger(MemoryBudget.class.getName());
    private static volatile MemoryBudget process = new MemoryBudget(Math.max(16L << 20,
        Runtime.getRuntime().maxMemory() / 4));

    private final long capacity;
    private long inUse;
    private long overdraft;
    private long peak;
    private final AtomicBoolean spent = new AtomicBoolean();

    public MemoryBudget(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, not " + capacityBytes);
        }
        this.capacity = capacityBytes;
    }

    /** The budget of this process (a quarter of the maximum heap unless configured). */
    public static MemoryBudget process() {
        return process;
    }

    /** Sets the process's budget (the mount's {@code mount.memory_budget_mib}); holders taken before keep theirs. */
    public static void configureProcess(long capacityBytes) {
        process = new MemoryBudget(capacityBytes);
    }

    /** Bytes held within the budget, and beyond it, now. */
    public record Usage(long capacity, long inUse, long overdraft, long peak) {}

    public synchronized Usage usage() {
        return new Usage(capacity, inUse, overdraft, peak);
    }

    /** Some bytes on loan; {@link #close()} gives them back (once; later calls do nothing). */
    public final class Grant implements AutoCloseable {
        private final int size;
        private final boolean over;
        private boolean returned;

        private Grant(int size, boolean over) {
            this.size = size;
            this.over = over;
        }

        /** The number of bytes the holder may allocate. */
        public int size() {
            return size;
        }

        @Override
        public void close() {
            boolean under;
            synchronized (MemoryBudget.this) {
                if (returned) {
                    return;
                }
                returned = true;
                if (over) {
                    overdraft -= size;
                } else {
                    inUse -= size;
                }
                under = inUse * 2 < capacity;
            }
            if (under && spent.compareAndSet(true, false)) {
                LOG.info("memory budget: back under half of " + (capacity >> 20) + " MiB; buffers grow again");
            }
        }
    }

    /**
     * Between {@code floor} and {@code want} bytes: {@code want} if free, else what is free if that reaches the
     * floor, else the floor as an overdraft. Never blocks.
     */
    public Grant take(int want, int floor) {
        if (floor <= 0 || want < floor) {
            throw new IllegalArgumentException("want " + want + " < floor " + floor);
        }
        Grant g;
        synchronized (this) {
            long free = capacity - inUse;
            if (free >= floor) {
                int n = (int) Math.min(want, free);
                inUse += n;
                peak = Math.max(peak, inUse + overdraft);
                return new Grant(n, false);
            }
            overdraft += floor;
            peak = Math.max(peak, inUse + overdraft);
            g = new Grant(floor, true);
        }
        if (spent.compareAndSet(false, true)) {
            LOG.warning("memory budget of " + (capacity >> 20) + " MiB spent (mount.memory_budget_mib): write "
                + "buffers and read-ahead windows shrink to their floor until it frees up");
        }
        return g;
    }
}

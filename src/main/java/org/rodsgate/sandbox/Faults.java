package org.rodsgate.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults the sandbox injects on request, for tests: cut a connection after it has sent N more bytes of replies,
 * delay every reply, or answer an API with a given error (a number of times, or always). Thread-safe; changes
 * apply to requests that arrive after them.
 */
public final class Faults {
    private final AtomicLong cutAfterBytes = new AtomicLong(-1);
    private volatile long delayMillis;
    private final Map<Integer, int[]> failApi = new ConcurrentHashMap<>(); // api -> {code, remaining (-1 = always)}

    /** The next connection to send {@code n} more reply bytes is cut there (once). Negative: off. */
    public void cutAfterBytes(long n) {
        cutAfterBytes.set(n);
    }

    public void delayReplies(long millis) {
        this.delayMillis = millis;
    }

    /** Answer {@code api} with {@code code}, {@code times} times (-1: until cleared). */
    public void failApi(int api, int code, int times) {
        failApi.put(api, new int[] {code, times});
    }

    public void clear() {
        cutAfterBytes.set(-1);
        delayMillis = 0;
        failApi.clear();
    }

    long delayMillis() {
        return delayMillis;
    }

    /** Returns the error code to answer {@code api} with, or 0. */
    int failureFor(int api) {
        int[] f = failApi.get(api);
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            if (f[1] == 0) {
                return 0;
            }
            if (f[1] > 0) {
                f[1]--;
            }
            return f[0];
        }
    }

    /**
     * Called before a connection writes {@code len} bytes. Returns how many may be written before the cut, or -1
     * when no cut is armed.
     */
    long allowance(int len) {
        while (true) {
            long left = cutAfterBytes.get();
            if (left < 0) {
                return -1;
            }
            if (left >= len) {
                if (cutAfterBytes.compareAndSet(left, left - len)) {
                    return -1;
                }
                continue;
            }
            if (cutAfterBytes.compareAndSet(left, -1)) {
                return left;
            }
        }
    }

    /** Parses {@code API=CODE[xTIMES]} as given on the command line. */
    public void parseFailSpec(String spec) {
        String[] kv = spec.split("=", 2);
        if (kv.length != 2) {
            throw new IllegalArgumentException("fault spec must be API=CODE[xTIMES]: " + spec);
        }
        String[] ct = kv[1].split("x", 2);
        failApi(Integer.parseInt(kv[0].trim()), Integer.parseInt(ct[0].trim()),
            ct.length > 1 ? Integer.parseInt(ct[1].trim()) : -1);
    }
}

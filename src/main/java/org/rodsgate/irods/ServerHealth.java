package org.rodsgate.irods;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Whether one iRODS server (host:port) answers. When a new connection cannot be made (refused, no answer during
 * start-up) or a reply does not come in time, the server is taken as <b>down</b>: one warning is logged, and until
 * it answers again calls fail at once with {@code EHOSTDOWN} ("Host is down") instead of each waiting out its
 * timeouts. One caller at a time is let through to try (a <i>probe</i>), after a pause that doubles from
 * {@link #FIRST_RETRY} to {@code maxRetry}, counted from the end of the last failed attempt; the first success logs one line saying the outage ended. Clock
 * injected for tests. Thread-safe.
 */
public final class ServerHealth {
    private static final Logger LOG = Logger.getLogger(ServerHealth.class.getName());
    /** First wait before trying a down server again: short, so a restart of a few seconds is ridden out. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);

    private final String where;
    private final long maxRetryNanos;
    private final LongSupplier clock;
    private final long probeAllowanceNanos;
    private volatile boolean down;
    private long downSince;
    private long nextProbe;
    private long backoff;
    private String reason;

    /**
     * @param maxRetry       longest pause between two attempts while down
     * @param probeAllowance how long one attempt may take before another caller may try (the connect timeout)
     */
    public ServerHealth(String where, Duration maxRetry, Duration probeAllowance, LongSupplier nanoClock) {
        this.where = where;
        this.probeAllowanceNanos = probeAllowance.toNanos();
        this.maxRetryNanos = Math.max(FIRST_RETRY.toNanos(), maxRetry.toNanos());
        this.clock = nanoClock;
    }

    public ServerHealth(String where, Duration maxRetry, Duration probeAllowance) {
        this(where, maxRetry, probeAllowance, System::nanoTime);
    }

    /**
     * Before a call: returns when the server is up or it is this caller's turn to try it; otherwise throws
     * {@code EHOSTDOWN} naming the server, since when, and why.
     */
    public void admit() throws IrodsException {
        if (down) {
            admitWhileDown();
        }
    }

    private synchronized void admitWhileDown() throws IrodsException {
        if (!down) {
            return;
        }
        long now = clock.getAsLong();
        if (now - nextProbe >= 0) {
            backoff = Math.min(backoff * 2, maxRetryNanos);
            // the others keep failing fast while this one tries; its failure sets the next turn (failed())
            nextProbe = now + backoff + probeAllowanceNanos;
            return;
        }
        throw IrodsException.transport("iRODS at " + where + " is unreachable (for " + seconds(now - downSince)
            + " s: " + reason + "); trying again in " + Math.max(1, (nextProbe - now) / 1_000_000) + " ms", null,
            Errno.EHOSTDOWN.value);
    }

    /** After a failure that says the server does not answer (not an iRODS error, not a cut of one connection). */
    public synchronized void failed(IrodsException e) {
        long now = clock.getAsLong();
        if (down) {
            nextProbe = now + backoff; // a failed probe: the pause counts from its end
            return;
        }
        {
            down = true;
            downSince = now;
            backoff = FIRST_RETRY.toNanos();
            nextProbe = now + backoff;
            reason = e.getMessage();
            LOG.warning("iRODS at " + where + " does not answer (" + reason + "); calls fail with EHOSTDOWN until "
                + "it does, trying again with backoff up to " + maxRetryNanos / 1_000_000_000 + " s");
        }
    }

    /** After any reply from the server. */
    public void succeeded() {
        if (!down) {
            return;
        }
        synchronized (this) {
            if (!down) {
                return;
            }
            down = false;
        }
        LOG.warning("iRODS at " + where + " answers again, after " + seconds(clock.getAsLong() - downSince) + " s");
    }

    public boolean isDown() {
        return down;
    }

    /** Whether a failure means the server is not answering (rather than one connection being cut). */
    public static boolean meansDown(IrodsException e) {
        return e.connectionDead() && e.code() == 0
            && (e.timedOut() || e.errno() == Errno.EHOSTDOWN.value);
    }

    private static long seconds(long nanos) {
        return Math.max(0, nanos / 1_000_000_000);
    }
}

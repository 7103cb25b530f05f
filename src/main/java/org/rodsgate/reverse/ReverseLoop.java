package org.rodsgate.reverse;

import java.time.Duration;
import java.util.logging.Logger;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.watch.PacedLoop;

/**
 * Runs the reverse direction in a gateway: every {@code reverse.poll_seconds}, gives back the units of gateways that
 * stopped, polls OMERO ({@link ReverseFeed}) and works the due units ({@link ReverseWorker}), on one daemon thread
 * (one fileset at a time: copies are bounded by the placement's bandwidth, not by threads). While cycles keep failing
 * (OMERO or iRODS down) the pause doubles up to {@link #MAX_CYCLE_BACKOFF}.
 */
public final class ReverseLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReverseLoop.class.getName());
    /** Longest pause between reverse cycles while they keep failing. */
    static final Duration MAX_CYCLE_BACKOFF = Duration.ofMinutes(5);
    /** A gateway silent for this many heartbeats is taken for dead and its claims are given back (as the watcher). */
    static final int SILENT_BEATS = 12;

    private final ReverseConfig cfg;
    private final Ledger ledger;
    private final ReverseFeed feed;
    private final ReverseWorker worker;
    private PacedLoop loop;

    public ReverseLoop(ReverseConfig cfg, Ledger ledger, ReverseFeed feed, ReverseWorker worker) {
        this.cfg = cfg;
        this.ledger = ledger;
        this.feed = feed;
        this.worker = worker;
    }

    /** One cycle: reclaim, poll, work. Returns how many filesets were placed. */
    public int cycle() throws Exception {
        int back = ledger.reclaimDead(cfg.heartbeat().multipliedBy(SILENT_BEATS));
        if (back > 0) {
            LOG.info(back + " unit(s) claimed by a gateway that stopped are queued again");
        }
        feed.pollOnce();
        return worker.drain(LOG::info);
    }

    public void start() {
        loop = new PacedLoop("rodsgate-reverse", cfg.poll(), MAX_CYCLE_BACKOFF, "reverse direction: ", LOG, this::cycle);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}

package org.rodsgate.reverse;

import io.micrometer.core.instrument.Counter;
import org.rodsgate.metrics.Metrics;

/**
 * The reverse direction's meters (OMERO → iRODS), beside the forward direction's {@code rodsgate_registrations_total}:
 * {@code rodsgate_reverse_filesets_total{outcome}}, {@code rodsgate_reverse_bytes_total{how}},
 * {@code rodsgate_reverse_polls_total}, {@code rodsgate_reverse_poll_queries_total}; the units by state are a gauge
 * bound by the gateway ({@code rodsgate_reverse_units{state}}).
 */
public final class ReverseMetrics {
    private ReverseMetrics() {
    }

    /**
     * One fileset's outcome: queued, failed_import (reported by the feed), placed, deleted_before_placement, failed
     * (retried with backoff), parked, waiting_for_window, deleted_in_omero (marked omero.deleted).
     */
    public static void fileset(String outcome) {
        Counter.builder("rodsgate.reverse.filesets").tag("outcome", outcome)
            .description("OMERO filesets handled by the reverse direction, by outcome").register(Metrics.registry())
            .increment();
    }

    /** Bytes of the files of placed filesets, by how they reached iRODS (copied, registered, found). */
    public static void bytes(String how, long n) {
        Counter.builder("rodsgate.reverse.bytes").baseUnit("bytes").tag("how", how)
            .description("bytes of OMERO files placed in iRODS, by how").register(Metrics.registry()).increment(n);
    }

    /** One poll of OMERO and the {@code omero hql} queries it made. */
    static void poll(ReverseFeed.Poll p) {
        Counter.builder("rodsgate.reverse.polls").description("polls of OMERO by the reverse feed")
            .register(Metrics.registry()).increment();
        Counter.builder("rodsgate.reverse.poll.queries").description("omero hql queries made by the reverse feed")
            .register(Metrics.registry()).increment(p.queries());
    }
}

package org.rodsgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.ErrorCode;

/**
 * The process's metrics, in one Micrometer registry exposed in Prometheus's text format ({@link MetricsServer}).
 * Meter names (Prometheus form): {@code rodsgate_fuse_operations_seconds{op,errno}} (FUSE requests: count, latency
 * histogram, outcome by errno name, {@code OK} for success), {@code rodsgate_fuse_bytes_total{direction}},
 * {@code rodsgate_irods_api_seconds{api,result}} (iRODS API calls by API number, result {@code OK} or the iRODS
 * error name), {@code rodsgate_readahead_window_bytes{pattern}} (see {@link #readAheadWindow}), the gauges bound by
 * the components that own them (pool, cache, memory budget, the watcher's ledger), and the JVM's memory, GC,
 * threads and CPU. README "Operate it" lists them all. Recording costs a map lookup and a timer update: it is
 * always on; only the HTTP endpoint is optional.
 */
public final class Metrics {
    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Latency buckets: FUSE and iRODS calls range from microseconds (cache hits) to minutes (large uploads). */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10),
        Duration.ofSeconds(60)};
    private static final Map<String, Timer> TIMERS = new ConcurrentHashMap<>();
    private static final Map<String, Map<Integer, Timer>> FUSE_TIMERS = new ConcurrentHashMap<>();
    private static final Counter READ_BYTES = Counter.builder("rodsgate.fuse.bytes").tag("direction", "read")
        .description("bytes read or written through the mount").register(REGISTRY);
    private static final Counter WRITTEN_BYTES = Counter.builder("rodsgate.fuse.bytes").tag("direction", "write")
        .description("bytes read or written through the mount").register(REGISTRY);

    static {
        new JvmMemoryMetrics().bindTo(REGISTRY);
        new JvmThreadMetrics().bindTo(REGISTRY);
        new ProcessorMetrics().bindTo(REGISTRY);
        new JvmGcMetrics().bindTo(REGISTRY);
    }

    private Metrics() {
    }

    /** The registry, for components that add their own meters (gauges of pools, caches, queues). */
    public static MeterRegistry registry() {
        return REGISTRY;
    }

    /** Everything, in Prometheus's text exposition format. */
    public static String scrape() {
        return REGISTRY.scrape();
    }

    /** One FUSE request: {@code op} (lookup, getattr, read...), its errno (0 = success), its duration. */
    public static void fuseOperation(String op, int errno, long nanos) {
        // every FUSE request passes here: look the timer up by (op, errno) without building a key
        FUSE_TIMERS.computeIfAbsent(op, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(errno, e -> timer("rodsgate.fuse.operations", "op", op, "errno",
                e == 0 ? "OK" : Errno.nameOf(e), "FUSE requests by operation and outcome"))
            .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public static void fuseBytes(boolean read, long n) {
        if (n > 0) {
            (read ? READ_BYTES : WRITTEN_BYTES).increment(n);
        }
    }

    /** The code {@link #irodsCall} takes for a call that ended without an iRODS status (network, timeout). */
    public static final int TRANSPORT_FAILURE = Integer.MIN_VALUE;

    /**
     * One iRODS API call: its number, the iRODS code it ended with (0 = success, negative = error,
     * {@link #TRANSPORT_FAILURE}), its duration.
     */
    public static void irodsCall(int api, int code, long nanos) {
        String result = code >= 0 ? "OK" : code == TRANSPORT_FAILURE ? "TRANSPORT_FAILURE" : ErrorCode.nameOf(code);
        timer("rodsgate.irods.api", "api", Integer.toString(api), "result", result, "iRODS API calls by number and result")
            .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Gauges of a connection pool: {@code rodsgate_pool_connections{kind=io|metadata,state=in_use|waiting}} (on loan
     * now, and callers waiting for one), summed over identities.
     */
    public static void bindPool(org.rodsgate.irods.ConnectionPool pool) {
        for (String kind : java.util.List.of("io", "metadata")) {
            io.micrometer.core.instrument.Gauge.builder("rodsgate.pool.connections", pool, p -> p.inUse(kind))
                .tag("kind", kind).tag("state", "in_use").description("iRODS connections on loan").register(REGISTRY);
            io.micrometer.core.instrument.Gauge.builder("rodsgate.pool.connections", pool, p -> p.waiting(kind))
                .tag("kind", kind).tag("state", "waiting").description("callers waiting for a connection")
                .register(REGISTRY);
        }
    }

    /**
     * One unit the watcher or {@code register} finished: {@code rodsgate_registrations_total{outcome}}, outcome
     * registered, already_in_omero, failed (retried with backoff), parked_mount or parked_name.
     */
    public static void registration(String outcome) {
        Counter.builder("rodsgate.registrations").tag("outcome", outcome)
            .description("units registered in OMERO, by outcome").register(REGISTRY).increment();
    }

    /** {@code rodsgate_memory_budget_in_use_bytes}: write buffers and read-ahead windows held now (mount.memory_budget_mib). */
    public static void bindMemoryBudget(java.util.function.LongSupplier inUse) {
        io.micrometer.core.instrument.Gauge.builder("rodsgate.memory.budget.in.use", inUse::getAsLong)
            .baseUnit("bytes").description("write buffers and read-ahead windows held now").register(REGISTRY);
    }

    /** Read-ahead window sizes: 64 KiB (a random read's block) to 16 MiB (the largest window), by doubling. */
    private static final double[] WINDOW_BUCKETS = {64 << 10, 256 << 10, 1 << 20, 2 << 20, 4 << 20, 8 << 20, 16 << 20};
    private static final DistributionSummary SEQUENTIAL_WINDOWS = window("sequential");
    private static final DistributionSummary RANDOM_WINDOWS = window("random");

    private static DistributionSummary window(String pattern) {
        return DistributionSummary.builder("rodsgate.readahead.window").baseUnit("bytes").tag("pattern", pattern)
            .description("bytes asked of iRODS per fetch of an open file: the read-ahead window of sequential"
                + " reads (1 MiB doubling to 16 MiB, less when the memory budget is spent), the block of random ones")
            .serviceLevelObjectives(WINDOW_BUCKETS).register(REGISTRY);
    }

    /**
     * One fetch of an open file's bytes from iRODS ({@code fs/Prefetcher}): {@code bytes} granted, for a sequential
     * reader (its read-ahead window) or a random read. {@code rodsgate_readahead_window_bytes{pattern}}: count, sum
     * and buckets.
     */
    public static void readAheadWindow(int bytes, boolean sequential) {
        (sequential ? SEQUENTIAL_WINDOWS : RANDOM_WINDOWS).record(bytes);
    }

    /** FUSE requests so far: operation → (outcome → count), outcome {@code OK} or an errno name. */
    public static Map<String, Map<String, Long>> fuseCounts() {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        for (Timer t : REGISTRY.find("rodsgate.fuse.operations").timers()) {
            out.computeIfAbsent(t.getId().getTag("op"), k -> new java.util.TreeMap<>())
                .merge(t.getId().getTag("errno"), t.count(), Long::sum);
        }
        return out;
    }

    /** Bytes read and written through the mount so far. */
    public static Map<String, Long> fuseBytes() {
        return Map.of("read", (long) READ_BYTES.count(), "written", (long) WRITTEN_BYTES.count());
    }

    private static Timer timer(String name, String k1, String v1, String k2, String v2, String description) {
        return TIMERS.computeIfAbsent(name + '\0' + v1 + '\0' + v2, k -> Timer.builder(name).tag(k1, v1).tag(k2, v2)
            .description(description).serviceLevelObjectives(BUCKETS).register(REGISTRY));
    }
}

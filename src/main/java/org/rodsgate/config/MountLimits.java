package org.rodsgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The mount's bounds on waits, connections and memory (keys {@code mount.timeouts.*},
 * {@code mount.metadata_connections}, {@code mount.memory_budget_mib}; rows of {@link MountConfig#SETTINGS}).
 *
 * @param connect             longest TCP connect to iRODS
 * @param reply               longest wait for one reply; one metadata operation (stat, listing, rename...),
 *                            retries included, also ends within it
 * @param connectionWait      longest wait for a free pooled connection before EAGAIN
 * @param downRetryMax        while iRODS is down, the longest pause between two attempts to reach it
 * @param metadataConnections metadata connections per user, apart from the I/O ones of open files
 * @param memoryBudgetBytes   bytes that write buffers and read-ahead windows of the whole mount may hold
 */
public record MountLimits(Duration connect, Duration reply, Duration connectionWait, Duration downRetryMax,
                          int metadataConnections, long memoryBudgetBytes) {

    static final Set<String> TIMEOUT_KEYS = Set.of("connect_seconds", "reply_seconds", "connection_wait_seconds",
        "down_retry_max_seconds");

    /**
     * 10 s to connect (a LAN server answers in milliseconds; longer means it is not there); 120 s for a reply (a
     * checksum of a large file takes that long); 10 s for a free connection (better EAGAIN than a frozen `ls`);
     * 5 s between attempts to reach a down server (recovery within seconds of its return, without flooding it);
     * 4 metadata connections per user (stat/readdir never queue behind open files); a quarter of the JVM's
     * maximum heap for buffers (80 MiB with the launcher's -Xmx320m for the mount), leaving the rest to caches and listings.
     */
    public static MountLimits defaults() {
        return new MountLimits(Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(10),
            Duration.ofSeconds(5), 4, defaultBudget());
    }

    static long defaultBudget() {
        return Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    static MountLimits parse(JsonNode mount, Path file) throws ConfigException {
        MountLimits d = defaults();
        JsonNode t = mount.path("timeouts");
        MountConfig.known(t, TIMEOUT_KEYS, file, "mount.timeouts.");
        int meta = (int) Numbers.whole(mount, "metadata_connections", "mount.metadata_connections",
            d.metadataConnections(), 1, 1024, file);
        long budget = d.memoryBudgetBytes();
        if (mount.has("memory_budget_mib")) {
            JsonNode b = mount.get("memory_budget_mib");
            if (!b.canConvertToLong() || b.asLong() < 16) {
                throw new ConfigException(file + ": mount.memory_budget_mib must be a whole number >= 16");
            }
            budget = b.asLong() << 20;
        }
        return new MountLimits(positive(t, "connect_seconds", d.connect(), file),
            positive(t, "reply_seconds", d.reply(), file),
            positive(t, "connection_wait_seconds", d.connectionWait(), file),
            positive(t, "down_retry_max_seconds", d.downRetryMax(), file), meta, budget);
    }

    private static Duration positive(JsonNode n, String key, Duration dflt, Path file) throws ConfigException {
        return Numbers.seconds(n, key, "mount.timeouts." + key, dflt, false, file);
    }
}

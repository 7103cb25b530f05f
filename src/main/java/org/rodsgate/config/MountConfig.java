package org.rodsgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.fs.Mappings;

/**
 * The {@code mount} section of rodsgate's YAML config, every setting declared once with its default (see
 * {@link #SETTINGS}, which the README's table mirrors). Unknown keys are errors, so a typo cannot silently
 * fall back to a default.
 */
public record MountConfig(Path irodsEnvironment, Path irodsAuthentication, String identity, boolean allowOther,
                          Map<String, String> userMap, List<Mappings.Mapping> mappings, MetadataCache.Settings cache,
                          double entryTimeout, double attrTimeout, double negativeTimeout, Path spillDir,
                          int poolSize, boolean checksum, MountLimits limits) {

    public static final String MOUNT_OWNER = "mount-owner";
    public static final String PER_USER = "per-user";

    /** name, default, meaning. */
    public static final String[][] SETTINGS = {
        {"irods.environment", "iCommands' (IRODS_ENVIRONMENT_FILE, ~/.irods)", "iRODS environment file of the account"},
        {"irods.authentication", "iCommands' (IRODS_AUTHENTICATION_FILE, ~/.irods/.irodsA)", "its password file"},
        {"mount.identity", MOUNT_OWNER, "mount-owner: all as the account; per-user: each local user as themselves, "
            + "through the account (a rodsadmin) as proxy"},
        {"mount.allow_other", "false (always true in per-user mode)", "let other local users (e.g. OMERO's) in"},
        {"mount.user_map", "{} (same name)", "local user name -> iRODS user name, for per-user mode; \"\" excludes "
            + "a name; root, the proxy's own name and rodsadmins map only through an entry here"},
        {"mount.mappings", "[{irods: /, path: /}]", "iRODS collections and where they appear; read_only: true|false"},
        {"mount.cache.attr_ttl_seconds", "5", "how long attributes and listings are kept"},
        {"mount.cache.negative_ttl_seconds", "2", "how long 'does not exist' is kept"},
        {"mount.cache.max_entries", "200000", "attributes kept at most"},
        {"mount.kernel.entry_timeout", "5 (0 in per-user mode)", "seconds the kernel keeps names and attributes"},
        {"mount.kernel.negative_timeout", "2 (0 in per-user mode)", "seconds the kernel keeps 'does not exist'"},
        {"mount.spill_dir", "$TMPDIR/rodsgate-spill", "local staging of files written out of order"},
        {"mount.pool_size", "16", "iRODS I/O connections per user: files open at once (each holds a descriptor)"},
        {"mount.metadata_connections", "4", "iRODS connections per user for stat, listings and the rest, apart "
            + "from open files"},
        {"mount.memory_budget_mib", "a quarter of the JVM's maximum heap (80 with the mount's -Xmx320m)", "MiB that write "
            + "buffers and read-ahead windows of the whole mount may hold"},
        {"mount.timeouts.connect_seconds", "10", "longest connect and login to iRODS"},
        {"mount.timeouts.reply_seconds", "120", "longest wait for one reply; a metadata operation, retries "
            + "included, ends within it too"},
        {"mount.timeouts.connection_wait_seconds", "10", "longest wait for a free connection, then EAGAIN"},
        {"mount.timeouts.down_retry_max_seconds", "5", "while iRODS is down (calls fail with EHOSTDOWN), the "
            + "longest pause between attempts to reach it"},
        {"mount.checksum", "compute", "compute: iRODS computes and stores the checksum of a file written through the"
            + " mount at its close (as after iput -K; costs the server one read of the file); off: none"},
    };

    private static final Set<String> TOP = Set.of("irods", "mount", "watch", "omero", "reverse");
    private static final Set<String> IRODS_KEYS = Set.of("environment", "authentication");
    private static final Set<String> MOUNT_KEYS = Set.of("identity", "allow_other", "user_map", "mappings", "cache",
        "kernel", "spill_dir", "pool_size", "checksum", "metadata_connections", "memory_budget_mib", "timeouts");

    public static MountConfig defaults() {
        return new MountConfig(null, null, MOUNT_OWNER, false, Map.of(), Mappings.zoneRoot().all(),
            MetadataCache.Settings.defaults(), 5, 5, 2, defaultSpill(), 16, true, MountLimits.defaults());
    }

    private static Path defaultSpill() {
        return Path.of(System.getProperty("java.io.tmpdir"), "rodsgate-spill");
    }

    public static MountConfig load(Path file) throws ConfigException {
        JsonNode root = YamlFile.read(file);
        if (root == null || !root.isObject()) {
            throw new ConfigException("config " + file + " must be a YAML mapping with a 'mount' section");
        }
        return parse(root, file);
    }

    static MountConfig parse(JsonNode root, Path file) throws ConfigException {
        known(root, TOP, file, "");
        JsonNode irods = root.path("irods");
        known(irods, IRODS_KEYS, file, "irods.");
        JsonNode m = root.path("mount");
        known(m, MOUNT_KEYS, file, "mount.");
        Path base = file.toAbsolutePath().getParent();
        Path env = irods.has("environment") ? base.resolve(irods.get("environment").asText()) : null;
        Path auth = irods.has("authentication") ? base.resolve(irods.get("authentication").asText()) : null;
        String identity = m.path("identity").asText(MOUNT_OWNER);
        if (!identity.equals(MOUNT_OWNER) && !identity.equals(PER_USER)) {
            throw new ConfigException(file + ": mount.identity must be mount-owner or per-user, not '" + identity + "'");
        }
        boolean perUser = identity.equals(PER_USER);
        Map<String, String> userMap = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("user_map").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            userMap.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()); // empty: excluded
        }
        List<Mappings.Mapping> mappings = new ArrayList<>();
        if (m.has("mappings")) {
            if (!m.get("mappings").isArray() || m.get("mappings").isEmpty()) {
                throw new ConfigException(file + ": mount.mappings must be a non-empty list");
            }
            for (JsonNode x : m.get("mappings")) {
                known(x, Set.of("irods", "path", "read_only"), file, "mount.mappings[].");
                String ip = x.path("irods").asText("");
                if (!ip.startsWith("/")) {
                    throw new ConfigException(file + ": each mapping needs an absolute 'irods' collection");
                }
                mappings.add(new Mappings.Mapping(x.path("path").asText("/"), ip, x.path("read_only").asBoolean(false)));
            }
        } else {
            mappings.addAll(Mappings.zoneRoot().all());
        }
        JsonNode c = m.path("cache");
        known(c, Set.of("attr_ttl_seconds", "negative_ttl_seconds", "max_entries"), file, "mount.cache.");
        MetadataCache.Settings d = MetadataCache.Settings.defaults();
        MetadataCache.Settings cache = new MetadataCache.Settings(
            seconds(c, "attr_ttl_seconds", d.attrTtl(), file), seconds(c, "negative_ttl_seconds", d.negativeTtl(), file),
            seconds(c, "attr_ttl_seconds", d.dirTtl(), file),
            Numbers.whole(c, "max_entries", "mount.cache.max_entries", d.maxAttrs(), 1, Long.MAX_VALUE, file), d.maxDirs());
        JsonNode k = m.path("kernel");
        known(k, Set.of("entry_timeout", "negative_timeout"), file, "mount.kernel.");
        double entry = Numbers.seconds(k, "entry_timeout", "mount.kernel.entry_timeout",
            Duration.ofSeconds(perUser ? 0 : 5), true, file).toMillis() / 1000.0;
        double negative = Numbers.seconds(k, "negative_timeout", "mount.kernel.negative_timeout",
            Duration.ofSeconds(perUser ? 0 : 2), true, file).toMillis() / 1000.0;
        Path spill = m.has("spill_dir") ? base.resolve(m.get("spill_dir").asText()) : defaultSpill();
        int pool = (int) Numbers.whole(m, "pool_size", "mount.pool_size", 16, 2, 4096, file);
        return new MountConfig(env, auth, identity, perUser || m.path("allow_other").asBoolean(false), userMap,
            mappings, cache, entry, entry, negative, spill, pool, checksum(m, file),
            MountLimits.parse(m, file));
    }

    private static boolean checksum(JsonNode m, Path file) throws ConfigException {
        JsonNode n = m.path("checksum");
        String v = n.isBoolean() ? (n.asBoolean() ? "compute" : "off") : n.asText("compute"); // YAML reads off as false
        if (!v.equals("compute") && !v.equals("off")) {
            throw new ConfigException(file + ": mount.checksum must be compute or off, not '" + v + "'");
        }
        return v.equals("compute");
    }

    private static Duration seconds(JsonNode n, String key, Duration dflt, Path file) throws ConfigException {
        return Numbers.seconds(n, key, "mount.cache." + key, dflt, true, file);
    }

    static void known(JsonNode n, Set<String> keys, Path file, String prefix) throws ConfigException {
        if (n.isMissingNode() || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            throw new ConfigException(file + ": '" + prefix.replaceAll("\\.$", "") + "' must be a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!keys.contains(f)) {
                throw new ConfigException(file + ": unknown setting '" + prefix + f + "' (known: " + keys + ")");
            }
        }
    }

    public MountConfig withAllowOther(boolean on) {
        return new MountConfig(irodsEnvironment, irodsAuthentication, identity, on, userMap, mappings, cache,
            entryTimeout, attrTimeout, negativeTimeout, spillDir, poolSize, checksum, limits);
    }

    public boolean perUser() {
        return PER_USER.equals(identity);
    }
}

package org.rodsgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rodsgate.omero.OmeroSettings;

/**
 * The {@code watch} and {@code omero} sections of rodsgate's config, every setting declared once with its default
 * ({@link #SETTINGS}, mirrored by the README). Unknown keys are errors.
 */
public record WatchConfig(List<String> collections, Path mountRoot, Duration quiet, Duration poll,
                          List<String> include, List<String> exclude, String userRule, String fixedUser,
                          Map<String, String> userMap, String defaultTarget, Path ledgerFile, String postgresUrl,
                          String postgresUser, String postgresPassword, int maxAttempts, Duration backoff,
                          String gateway, List<String> annotateAvus, OmeroSettings omero, OnChange onChange,
                          Duration heartbeat) {

    /** What happens to a registered object whose bytes change (or that is deleted and put again) afterwards. */
    public enum OnChange {
        /** mark its AVUs {@code omero.stale} (when, what changed) and list it as stale in {@code rodsgate status} */
        STALE,
        /** import it again as a new fileset (tagged like the first), and record the new ids */
        REIMPORT
    }

    public static final String[][] SETTINGS = {
        {"watch.collections", "(required)", "iRODS collections watched for new data objects"},
        {"watch.mount", "the mount point of `rodsgate mount` (zone root mapping)", "local path where iRODS '/' appears: what OMERO links to"},
        {"watch.quiet_seconds", "5", "a unit is ready when size and mtime of every member stayed unchanged this long"},
        {"watch.poll_seconds", "2", "how often the catalog is asked for new objects"},
        {"watch.include", "[\"*\"]", "file name globs to register"},
        {"watch.exclude", "[\".*\", \"*.part\", \"*.tmp\"]", "file name globs never registered"},
        {"watch.user.rule", "owner", "owner (iRODS owner = OMERO user), map (owner through watch.user.map), fixed"},
        {"watch.user.map / watch.user.fixed", "{} / -", "the mapping table, or the one OMERO user"},
        {"watch.target", "-", "target for files directly in a watched collection (else <project>/<dataset>/ from the path)"},
        {"watch.ledger.sqlite", "~/.rodsgate/ledger.db", "the ledger file"},
        {"watch.ledger.postgres.{url,user,password}", "-", "a shared PostgreSQL ledger instead (several gateways)"},
        {"watch.max_attempts", "5", "failures before a unit is parked"},
        {"watch.backoff_seconds", "30", "first retry delay, doubled on each failure"},
        {"watch.gateway", "host name", "this gateway's name, a label in claims and logs: each running watcher also"
            + " has a unique instance id, so gateways may share a name"},
        {"watch.on_change", "stale", "a registered object changed afterwards (size, checksum, modify time, or deleted"
            + " and put again): stale (mark AVUs omero.stale, list in status) or reimport (new fileset)"},
        {"watch.heartbeat_seconds", "5", "how often a watcher tells the ledger it is alive; the claims of one silent"
            + " for 12 heartbeats are given back to the queue (so a crash costs about a minute, a slow machine no"
            + " duplicate)"},
        {"watch.annotate_avus", "[]", "AVU attributes of a unit's key object copied to its images as KEY=VALUE annotations"},
        {"omero.host / omero.port", "localhost / 4064", "the OMERO server"},
        {"omero.admin", "root", "account used for --sudo"},
        {"omero.password_file", "(required)", "file holding the admin's password (passed in OMERO_PASSWORD)"},
        {"omero.cli", "omero", "the omero executable"},
        {"omero.os_user", "omero-server", "non-root OS user omero runs as"},
        {"omero.group", "-", "OMERO group (-g)"},
        {"omero.checksum", "File-Size-64", "--checksum-algorithm (SHA1-160 on request)"},
        {"omero.tag", "registered", "tag linked to every registered image"},
        {"omero.env", "{}", "extra environment for omero (OMERODIR, JAVA_HOME, ...)"},
        {"omero.timeout_seconds", "3600", "longest one omero command may run"},
    };

    /** The watch and omero sections of {@code file}, or null when it has no watch section. */
    public static WatchConfig load(Path file) throws ConfigException {
        return load(file, true);
    }

    /**
     * As {@link #load(Path)}; with {@code readOmeroPassword} false the OMERO password file is neither required nor
     * read (commands that only read the ledger, such as status and retry, need no OMERO secret).
     */
    public static WatchConfig load(Path file, boolean readOmeroPassword) throws ConfigException {
        JsonNode root = YamlFile.read(file);
        if (root == null || !root.has("watch")) {
            return null;
        }
        return parse(root, file, readOmeroPassword);
    }

    static WatchConfig parse(JsonNode root, Path file) throws ConfigException {
        return parse(root, file, true);
    }

    static WatchConfig parse(JsonNode root, Path file, boolean readOmeroPassword) throws ConfigException {
        Path base = file.toAbsolutePath().getParent();
        JsonNode w = root.path("watch");
        known(w, Set.of("collections", "mount", "quiet_seconds", "poll_seconds", "include", "exclude", "user", "target",
            "ledger", "max_attempts", "backoff_seconds", "gateway", "annotate_avus", "on_change", "heartbeat_seconds"),
            file, "watch.");
        List<String> colls = new ArrayList<>();
        for (String c : strings(w.path("collections"))) {
            colls.add(collection(c, file));
        }
        if (colls.isEmpty()) {
            throw new ConfigException(file + ": watch.collections must list at least one iRODS collection");
        }
        String onChange = w.path("on_change").asText("stale");
        if (!Set.of("stale", "reimport").contains(onChange)) {
            throw new ConfigException(file + ": watch.on_change must be stale or reimport, not '" + onChange + "'");
        }
        JsonNode u = w.path("user");
        known(u, Set.of("rule", "map", "fixed"), file, "watch.user.");
        String rule = u.path("rule").asText("owner");
        if (!Set.of("owner", "map", "fixed").contains(rule)) {
            throw new ConfigException(file + ": watch.user.rule must be owner, map or fixed");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = u.path("map").fields(); it.hasNext(); ) {
            var e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        if (rule.equals("fixed") && u.path("fixed").asText("").isEmpty()) {
            throw new ConfigException(file + ": watch.user.fixed is needed with rule fixed");
        }
        JsonNode l = w.path("ledger");
        known(l, Set.of("sqlite", "postgres"), file, "watch.ledger.");
        JsonNode pg = l.path("postgres");
        Path ledger = l.has("sqlite") ? base.resolve(l.get("sqlite").asText())
            : Path.of(System.getProperty("user.home"), ".rodsgate", "ledger.db");
        OmeroSettings omero = omero(root, file, readOmeroPassword);
        if (!pg.path("password").asText("").isEmpty()) {
            SecretFiles.requirePrivate(file, "config with an inline PostgreSQL password");
        }
        return new WatchConfig(colls, w.has("mount") ? base.resolve(w.get("mount").asText()) : null,
            Numbers.seconds(w, "quiet_seconds", "watch.quiet_seconds", Duration.ofSeconds(5), true, file),
            Numbers.seconds(w, "poll_seconds", "watch.poll_seconds", Duration.ofSeconds(2), false, file),
            w.has("include") ? strings(w.get("include")) : List.of("*"),
            w.has("exclude") ? strings(w.get("exclude")) : List.of(".*", "*.part", "*.tmp"),
            rule, u.path("fixed").asText(null), map, w.path("target").asText(null), ledger,
            pg.path("url").asText(null), pg.path("user").asText(null), pg.path("password").asText(null),
            (int) Numbers.whole(w, "max_attempts", "watch.max_attempts", 5, 1, 1000, file),
            Numbers.seconds(w, "backoff_seconds", "watch.backoff_seconds", Duration.ofSeconds(30), false, file),
            w.path("gateway").asText(defaultGateway()), strings(w.path("annotate_avus")), omero,
            OnChange.valueOf(onChange.toUpperCase()),
            Numbers.seconds(w, "heartbeat_seconds", "watch.heartbeat_seconds", Duration.ofSeconds(5), false, file));
    }

    /** The {@code omero} section (shared by both directions); the password file is read when asked. */
    static OmeroSettings omero(JsonNode root, Path file, boolean readOmeroPassword) throws ConfigException {
        Path base = file.toAbsolutePath().getParent();
        JsonNode o = root.path("omero");
        known(o, Set.of("host", "port", "admin", "password_file", "cli", "os_user", "group", "checksum", "tag", "env",
            "timeout_seconds"), file, "omero.");
        if (readOmeroPassword && !o.has("password_file")) {
            throw new ConfigException(file + ": omero.password_file is required");
        }
        String password = !readOmeroPassword ? null
            : SecretFiles.readPrivate(base.resolve(o.get("password_file").asText()), "omero.password_file");
        Map<String, String> env = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("env").fields(); it.hasNext(); ) {
            var e = it.next();
            env.put(e.getKey(), e.getValue().asText());
        }
        return new OmeroSettings(o.path("host").asText("localhost"),
            (int) Numbers.whole(o, "port", "omero.port", 4064, 1, 65535, file),
            o.path("admin").asText("root"), password, o.path("cli").asText("omero"),
            o.path("os_user").asText("omero-server"), o.path("group").asText(null),
            o.path("checksum").asText("File-Size-64"), env,
            Numbers.seconds(o, "timeout_seconds", "omero.timeout_seconds", Duration.ofSeconds(3600), false, file),
            o.path("tag").asText("registered"));
    }

    /**
     * A watched collection as the catalog spells it: absolute, trailing slashes dropped ("/z/home/x/" watches
     * "/z/home/x"); empty, ".", ".." or doubled-slash components, control characters and quotes are refused with
     * the reason.
     */
    static String collection(String c, Path file) throws ConfigException {
        String n = c.length() > 1 ? c.replaceAll("/+$", "") : c;
        String why = !n.startsWith("/") ? "must be absolute (start with /)"
            : n.contains("//") ? "has an empty component (//)"
            : n.matches(".*/\\.{1,2}(/.*)?") ? "has a . or .. component"
            : n.chars().anyMatch(ch -> ch < 32 || ch == 127) ? "holds a control character"
            : n.contains("'") ? "holds a quote" : null;
        if (why != null) {
            throw new ConfigException(file + ": watched collection '" + c + "' " + why);
        }
        return n.isEmpty() ? "/" : n;
    }

    static String defaultGateway() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host;
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }

    static void known(JsonNode n, Set<String> keys, Path file, String prefix) throws ConfigException {
        if (n.isMissingNode() || n.isNull()) {
            return;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!keys.contains(f)) {
                throw new ConfigException(file + ": unknown setting '" + prefix + f + "' (known: " + keys + ")");
            }
        }
    }

    /** The OMERO user for a data object's iRODS owner. */
    public String omeroUser(String irodsOwner) {
        return switch (userRule) {
            case "fixed" -> fixedUser;
            case "map" -> userMap.getOrDefault(irodsOwner, irodsOwner);
            default -> irodsOwner;
        };
    }

    /** The import target from a path relative to its watched collection: project/dataset/..., dataset/file. */
    public String target(String relativePath) {
        String[] parts = relativePath.split("/");
        if (parts.length >= 3) {
            return "Project:name:" + parts[0] + "/Dataset:name:" + parts[1];
        }
        if (parts.length == 2) {
            return "Dataset:name:" + parts[0];
        }
        return defaultTarget;
    }

    /** Where OMERO finds an iRODS path: under the mount, which shows iRODS '/' at {@link #mountRoot()}. */
    public String localPath(String irodsPath) {
        return mountRoot + irodsPath;
    }

    /** The iRODS path of a path under the mount, or null for a path elsewhere. */
    public String irodsPath(String localPath) {
        String root = mountRoot.toString();
        return localPath.startsWith(root + "/") ? localPath.substring(root.length()) : null;
    }

    public WatchConfig withMountRoot(Path root) {
        return new WatchConfig(collections, root, quiet, poll, include, exclude, userRule, fixedUser, userMap,
            defaultTarget, ledgerFile, postgresUrl, postgresUser, postgresPassword, maxAttempts, backoff, gateway,
            annotateAvus, omero, onChange, heartbeat);
    }
}

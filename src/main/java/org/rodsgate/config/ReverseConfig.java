package org.rodsgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rodsgate.irods.Paths;
import org.rodsgate.omero.OmeroSettings;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.place.PlacementRule;

/**
 * The {@code reverse} section: OMERO → iRODS. Every setting declared once with its default ({@link #SETTINGS},
 * mirrored by the README). Unknown keys are errors. The ledger, gateway name and heartbeat are the watch section's
 * when there is one (both directions share one ledger); a config without a watch section gives them here.
 *
 * @param rules          placement rules, first match wins (by OMERO group, user, or "*")
 * @param repository     OMERO's ManagedRepository directory as this host sees it (COPY reads files there)
 * @param mountRoot      where the rodsgate mount shows iRODS '/' (in-place imports resolve through it), or null
 * @param poll           how often OMERO is asked for new filesets and deletions
 * @param pageSize       rows per {@code omero hql} query
 * @param lookBack       filesets with ids seen this recently are read again (ids can commit out of order)
 * @param lookBackIds    ... but at most this many ids below the highest seen (a back-fill is not read again whole)
 * @param failedImport   an import whose upload is not finished, or that has no images, this long after its fileset
 *                       was created is reported as failed (parked; queued by itself if it finishes later)
 * @param pendingMax     how long an unfinished import is looked at again, at most
 * @param maxAttempts    failures before a fileset is parked
 * @param backoff        first retry delay, doubled on each failure
 * @param userMap        OMERO user → iRODS user (missing: the same name)
 * @param server         the OMERO server as written in AVU omero.server (host:port)
 * @param deletions      whether OMERO's deletions are followed (AVU omero.deleted; nothing is ever removed)
 * @param omero          the omero section
 * @param ledger         the ledger: the watch section's, or this section's for a reverse-only config
 * @param gateway        this gateway's label
 * @param heartbeat      how often this gateway tells the ledger it is alive
 * @param startAfter     on the first start (no watermark yet), filesets with ids up to this are left alone (0: all
 *                       existing filesets a rule applies to are placed, a back-fill)
 * @param spool          where files OMERO's repository does not let this host read are downloaded while they are
 *                       copied (null: the JVM's temporary directory)
 */
public record ReverseConfig(List<Rule> rules, Path repository, Path mountRoot, Duration poll, int pageSize,
                            Duration lookBack, long lookBackIds, Duration failedImport, Duration pendingMax, int maxAttempts,
                            Duration backoff, Map<String, String> userMap, String server, boolean deletions,
                            OmeroSettings omero, LedgerSettings ledger, String gateway, Duration heartbeat,
                            long startAfter, Path spool) {

    /** One rule: OMERO filesets of {@code group:NAME}, {@code user:NAME} or any ("*") are placed as {@code rule}. */
    public record Rule(String match, PlacementRule rule) {
        /** Whether this rule applies to a fileset of {@code owner} in {@code group}. */
        public boolean matches(String owner, String group) {
            return match.equals("*") || match.equals("user:" + owner) || match.equals("group:" + group);
        }
    }

    /** Where the ledger is: a SQLite file, or a PostgreSQL database when {@code postgresUrl} is set. */
    public record LedgerSettings(Path sqlite, String postgresUrl, String postgresUser, String postgresPassword) {}

    public static final String[][] SETTINGS = {
        {"reverse.rules", "(required)", "list of {match, kind, template, resource, window, bytes_per_second}, first"
            + " match wins (a rule after `*` or after the same match is refused: it could never apply; so is a"
            + " setting its kind does not use, e.g. a window on in_place): match"
            + " `group:NAME`, `user:NAME` or `*`; kind in_place, managed_on_mount, copy or register (see \"Both"
            + " directions\")"},
        {"reverse.rules[].template", "- (copy/register: required)", "iRODS path of each file: %zone%, %user% (iRODS),"
            + " %omeroUser%, %group%, %fileset% (required: each fileset its own paths), %year%, %month%, %day% (of its"
            + " creation), %clientPath%, %name%"},
        {"reverse.rules[].resource", "-", "register: the resource whose host sees the repository; copy: the resource"
            + " written to"},
        {"reverse.rules[].window", "- (any time)", "copy: `HH:MM-HH:MM` local time copies may start in (over midnight"
            + " allowed)"},
        {"reverse.rules[].bytes_per_second", "0 (no cap)", "copy: bandwidth cap"},
        {"reverse.repository", "/OMERO/ManagedRepository", "OMERO's ManagedRepository as this host sees it"},
        {"reverse.mount", "watch.mount", "local path where iRODS '/' appears (in-place imports resolve through it)"},
        {"reverse.poll_seconds", "10", "how often OMERO is asked for new filesets and deletions"},
        {"reverse.page_size", "500", "rows per `omero hql` query (it returns 25 without --limit)"},
        {"reverse.look_back_seconds", "600", "fileset ids seen this recently are read again: ids come from a"
            + " sequence and can commit out of order"},
        {"reverse.look_back_ids", "1000", "... but at most this many ids below the highest seen (a fileset's row commits"
            + " early in its import, so fewer imports than this run at once; a back-fill is not read again whole)"},
        {"reverse.failed_import_minutes", "120", "upload unfinished or no images this long after the fileset was"
            + " created: reported as a failed import (parked; queued by itself if it finishes later)"},
        {"reverse.pending_max_days", "7", "how long an unfinished import is looked at again, at most"},
        {"reverse.max_attempts", "5", "failures before a fileset is parked"},
        {"reverse.backoff_seconds", "30", "first retry delay, doubled on each failure"},
        {"reverse.user_map", "the inverse of watch.user.map", "OMERO user -> iRODS user (missing: the same name)"},
        {"reverse.server", "omero.host:omero.port", "the OMERO server as written in AVU omero.server"},
        {"reverse.spool", "the JVM's temporary directory", "copy: where files the repository does not let this host"
            + " read are downloaded (`omero download`) while they are copied"},
        {"reverse.start_after_fileset", "0 (back-fill everything)", "on the first start only: filesets with ids up to"
            + " this are left alone (e.g. the highest id when the reverse direction is switched on)"},
        {"reverse.deletions", "true", "follow OMERO's deletions: AVU omero.deleted on the iRODS objects (nothing is"
            + " ever removed)"},
        {"reverse.ledger.{sqlite,postgres}", "watch.ledger", "only without a watch section: the ledger"},
        {"reverse.gateway / reverse.heartbeat_seconds", "watch.gateway / watch.heartbeat_seconds", "only without a"
            + " watch section"},
    };

    private static final Set<String> KEYS = Set.of("rules", "repository", "mount", "poll_seconds", "page_size",
        "look_back_seconds", "look_back_ids", "failed_import_minutes", "pending_max_days", "max_attempts", "backoff_seconds",
        "user_map", "server", "deletions", "ledger", "gateway", "heartbeat_seconds", "spool", "start_after_fileset");

    /** Whether {@code file} has a reverse section (read again; nothing checked). */
    public static boolean present(Path file) throws ConfigException {
        JsonNode root = YamlFile.read(file);
        return root != null && root.has("reverse");
    }

    /** The reverse section of {@code file}, or null when it has none. */
    public static ReverseConfig load(Path file, boolean readOmeroPassword) throws ConfigException {
        JsonNode root = YamlFile.read(file);
        if (root == null || !root.has("reverse")) {
            return null;
        }
        return parse(root, file, readOmeroPassword);
    }

    static ReverseConfig parse(JsonNode root, Path file, boolean readOmeroPassword) throws ConfigException {
        Path base = file.toAbsolutePath().getParent();
        JsonNode r = root.path("reverse");
        WatchConfig.known(r, KEYS, file, "reverse.");
        WatchConfig watch = root.has("watch") ? WatchConfig.parse(root, file, readOmeroPassword) : null;
        for (String k : List.of("ledger", "gateway", "heartbeat_seconds")) {
            if (watch != null && r.has(k)) {
                throw new ConfigException(file + ": reverse." + k + " is taken from watch." + k + " when there is a"
                    + " watch section (both directions share one ledger): remove reverse." + k);
            }
        }
        List<Rule> rules = new ArrayList<>();
        int i = 0;
        for (JsonNode n : r.path("rules")) {
            rules.add(rule(n, file, i++));
        }
        if (rules.isEmpty()) {
            throw new ConfigException(file + ": reverse.rules must list at least one rule (match, kind)");
        }
        checkReachable(rules, file);
        Path mount = r.has("mount") ? base.resolve(r.get("mount").asText()) : watch == null ? null : watch.mountRoot();
        for (Rule x : rules) {
            if ((x.rule().kind() == PlacementRule.Kind.IN_PLACE || x.rule().kind() == PlacementRule.Kind.MANAGED_ON_MOUNT)
                && mount == null) {
                throw new ConfigException(file + ": reverse.rules match '" + x.match() + "' is "
                    + x.rule().kind().name().toLowerCase() + ": it needs reverse.mount (or watch.mount), the local path"
                    + " where the rodsgate mount shows iRODS '/'");
            }
        }
        Map<String, String> userMap = new LinkedHashMap<>();
        if (r.has("user_map")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = r.get("user_map").fields(); it.hasNext(); ) {
                var e = it.next();
                userMap.put(e.getKey(), e.getValue().asText());
            }
        } else if (watch != null && watch.userRule().equals("map")) {
            watch.userMap().forEach((irods, omero) -> userMap.put(omero, irods)); // the same table, read backwards
        }
        OmeroSettings omero = watch != null ? watch.omero() : WatchConfig.omero(root, file, readOmeroPassword);
        LedgerSettings ledger;
        if (watch != null) {
            ledger = new LedgerSettings(watch.ledgerFile(), watch.postgresUrl(), watch.postgresUser(),
                watch.postgresPassword());
        } else {
            JsonNode l = r.path("ledger");
            WatchConfig.known(l, Set.of("sqlite", "postgres"), file, "reverse.ledger.");
            JsonNode pg = l.path("postgres");
            if (!pg.path("password").asText("").isEmpty()) {
                SecretFiles.requirePrivate(file, "config with an inline PostgreSQL password");
            }
            ledger = new LedgerSettings(l.has("sqlite") ? base.resolve(l.get("sqlite").asText())
                : Path.of(System.getProperty("user.home"), ".rodsgate", "ledger.db"), pg.path("url").asText(null),
                pg.path("user").asText(null), pg.path("password").asText(null));
        }
        int page = (int) Numbers.whole(r, "page_size", "reverse.page_size", 500, 1, 100_000, file);
        ReverseConfig cfg = new ReverseConfig(rules,
            base.resolve(r.path("repository").asText("/OMERO/ManagedRepository")), mount,
            seconds(r, "poll_seconds", 10, false, file), page, seconds(r, "look_back_seconds", 600, true, file),
            Numbers.whole(r, "look_back_ids", "reverse.look_back_ids", 1000, 0, Long.MAX_VALUE, file),
            seconds(r, "failed_import_minutes", 120 * 60, false, file, 60),
            seconds(r, "pending_max_days", 7 * 86_400, false, file, 86_400),
            (int) Numbers.whole(r, "max_attempts", "reverse.max_attempts", 5, 1, 1000, file),
            seconds(r, "backoff_seconds", 30, false, file), userMap,
            r.path("server").asText(omero.server()), r.path("deletions").asBoolean(true), omero, ledger,
            watch != null ? watch.gateway() : r.path("gateway").asText(WatchConfig.defaultGateway()),
            watch != null ? watch.heartbeat() : seconds(r, "heartbeat_seconds", 5, false, file),
            Numbers.whole(r, "start_after_fileset", "reverse.start_after_fileset", 0, 0, Long.MAX_VALUE, file),
            r.has("spool") ? base.resolve(r.get("spool").asText()) : null);
        if (watch != null) {
            cfg.checkNoLoop(watch.collections(), file);
        }
        return cfg;
    }

    /** {@code reverse.KEY} in seconds (fractions allowed), checked as every duration setting is. */
    private static Duration seconds(JsonNode n, String key, long dfltSeconds, boolean zeroOk, Path file)
        throws ConfigException {
        return Numbers.seconds(n, key, "reverse." + key, Duration.ofSeconds(dfltSeconds), zeroOk, file);
    }

    /** {@code reverse.KEY} in units of {@code unitSeconds} (minutes, days), checked as every duration setting is. */
    private static Duration seconds(JsonNode n, String key, long dfltSeconds, boolean zeroOk, Path file,
                                    long unitSeconds) throws ConfigException {
        Duration inUnits = Numbers.seconds(n, key, "reverse." + key, Duration.ofSeconds(dfltSeconds / unitSeconds),
            zeroOk, file);
        return Duration.ofMillis(inUnits.toMillis() * unitSeconds);
    }

    private static Rule rule(JsonNode n, Path file, int index) throws ConfigException {
        String at = "reverse.rules[" + index + "]";
        WatchConfig.known(n, Set.of("match", "kind", "template", "resource", "window", "bytes_per_second"), file,
            at + ".");
        String match = n.path("match").asText("");
        if (!match.equals("*") && !match.matches("(group|user):.+")) {
            throw new ConfigException(file + ": " + at + ".match must be group:NAME, user:NAME or *, not '" + match
                + "'");
        }
        PlacementRule.Kind kind;
        try {
            kind = PlacementRule.Kind.valueOf(n.path("kind").asText("").toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + at + ".kind must be in_place, managed_on_mount, copy or register,"
                + " not '" + n.path("kind").asText("") + "'");
        }
        // a setting the kind does not use would be silently ignored (a window on in_place, a cap on register)
        Set<String> unused = switch (kind) {
            case IN_PLACE, MANAGED_ON_MOUNT -> Set.of("template", "resource", "window", "bytes_per_second");
            case REGISTER -> Set.of("window", "bytes_per_second");
            case COPY -> Set.of();
        };
        for (String k : List.of("template", "resource", "window", "bytes_per_second")) {
            if (unused.contains(k) && n.has(k)) {
                throw new ConfigException(file + ": " + at + "." + k + " is not used by kind "
                    + kind.name().toLowerCase() + (kind == PlacementRule.Kind.REGISTER ? " (no bytes are moved)"
                    : " (the files are in iRODS already)") + ": remove it, or choose kind copy");
            }
        }
        String template = n.path("template").asText(null);
        if ((kind == PlacementRule.Kind.COPY || kind == PlacementRule.Kind.REGISTER)) {
            if (template == null || !template.startsWith("/") || template.contains("/../") || template.endsWith("/")) {
                throw new ConfigException(file + ": " + at + ".template is needed for " + kind.name().toLowerCase()
                    + ": an absolute iRODS path of each file (e.g. /zone/omero/%group%/%user%/%fileset%/%clientPath%),"
                    + " not '" + template + "'");
            }
            String bad = org.rodsgate.reverse.place.PathTemplate.problem(template, null);
            if (bad != null) {
                throw new ConfigException(file + ": " + at + ".template '" + template + "': " + bad);
            }
            if (!template.contains("%fileset%")) {
                // without the fileset id two filesets' files (same name, owner, day) would meet on one path: the
                // second would be refused, or taken for the first one's copy and described as its own
                throw new ConfigException(file + ": " + at + ".template '" + template + "' has no %fileset%: each"
                    + " fileset needs its own iRODS paths (e.g. /zone/omero/%group%/%user%/%fileset%/%clientPath%)");
            }
        }
        if (kind == PlacementRule.Kind.REGISTER && n.path("resource").asText("").isEmpty()) {
            throw new ConfigException(file + ": " + at + ".resource is needed for register: the iRODS resource whose"
                + " host sees OMERO's repository");
        }
        LocalTime start = null;
        LocalTime end = null;
        if (n.has("window")) {
            String w = n.get("window").asText();
            String[] parts = w.split("-");
            try {
                if (parts.length != 2) {
                    throw new DateTimeParseException("no '-'", w, 0);
                }
                start = LocalTime.parse(parts[0].trim());
                end = LocalTime.parse(parts[1].trim());
            } catch (DateTimeParseException e) {
                throw new ConfigException(file + ": " + at + ".window must be HH:MM-HH:MM (local time), not '" + w + "'");
            }
        }
        long bps = Numbers.whole(n, "bytes_per_second", at + ".bytes_per_second", 0, 0, Long.MAX_VALUE, file);
        return new Rule(match, new PlacementRule(kind, template, n.path("resource").asText(null), start, end, bps));
    }

    /**
     * No loop: a template whose fixed part (before its first %) lies inside a watched collection would have the
     * watcher import what the reverse direction copied; so would a ManagedRepository on the mount inside one.
     */
    void checkNoLoop(List<String> watched, Path file) throws ConfigException {
        for (Rule x : rules) {
            String fixed = null;
            if (x.rule().template() != null) {
                String t = x.rule().template();
                int pct = t.indexOf('%');
                fixed = Paths.parent(pct < 0 ? t : t.substring(0, t.lastIndexOf('/', pct) + 1) + "x");
            } else if (x.rule().kind() == PlacementRule.Kind.MANAGED_ON_MOUNT) {
                fixed = irodsPath(repository.toString());
            }
            for (String w : watched) {
                if (fixed != null && Paths.isUnder(fixed, w)) {
                    throw new ConfigException(file + ": reverse.rules match '" + x.match() + "' places files under "
                        + fixed + ", inside watched collection " + w + ": the watcher would import them back into OMERO"
                        + " (a loop); choose a collection outside watch.collections");
                }
            }
        }
    }

    /**
     * Rules are tried in order and the first match wins: a rule after {@code *}, or after a rule with the same
     * match, would never apply — refused, naming both, rather than silently ignored.
     */
    private static void checkReachable(List<Rule> rules, Path file) throws ConfigException {
        for (int i = 0; i < rules.size(); i++) {
            for (int k = 0; k < i; k++) {
                String earlier = rules.get(k).match();
                if (earlier.equals("*") || earlier.equals(rules.get(i).match())) {
                    throw new ConfigException(file + ": reverse.rules[" + i + "] (match '" + rules.get(i).match()
                        + "') can never apply: reverse.rules[" + k + "] (match '" + earlier + "') comes first and"
                        + " takes the same filesets (the first matching rule wins)");
                }
            }
        }
    }

    /**
     * Refuses a rule whose template does not lie below {@code zone} (the gateway account's), naming the rule: known
     * only once the iRODS environment is read, so checked at the gateway's (and push's) start.
     */
    public void checkZone(String zone) throws ConfigException {
        for (Rule x : rules) {
            String t = x.rule().template();
            String bad = t == null ? null : org.rodsgate.reverse.place.PathTemplate.problem(t, zone);
            if (bad != null) {
                throw new ConfigException("reverse.rules match '" + x.match() + "': template '" + t + "': " + bad);
            }
        }
    }

    /** The first rule for a fileset of {@code owner} in {@code group}, or null when none applies. */
    public PlacementRule ruleFor(String owner, String group) {
        for (Rule r : rules) {
            if (r.matches(owner, group)) {
                return r.rule();
            }
        }
        return null;
    }

    /**
     * The rule for a fileset: IN_PLACE when OMERO imported it with a link transfer from the mount (every file's
     * client path lies under {@link #mountRoot()}: the files are iRODS objects already, whatever the configured
     * rule), else the first configured rule, or null when none applies.
     */
    public PlacementRule ruleFor(OmeroFileset fs) {
        if (fs.inPlace() && inPlaceFromMount(fs)) {
            return new PlacementRule(PlacementRule.Kind.IN_PLACE, null, null, null, null, 0);
        }
        return ruleFor(fs.owner(), fs.group());
    }

    /**
     * Whether {@code fs} really is in iRODS where OMERO imported it from: it has files, each file's client path lies
     * under {@link #mountRoot()}, and it was not uploaded (its transfer is a link one, or OMERO recorded none). An
     * upload ({@code transfer} "upload", ...) is a copy in OMERO's ManagedRepository, whatever its client paths.
     * Decided from the fileset, never from the rule.
     */
    public boolean inPlaceFromMount(OmeroFileset fs) {
        return mountRoot != null && (fs.transfer() == null || fs.inPlace()) && !fs.files().isEmpty()
            && fs.files().stream().allMatch(f -> f.clientPath() != null && irodsPath("/" + f.clientPath()) != null);
    }

    /** The {@code match} of the first rule for {@code owner} in {@code group} (as written), or null. */
    public String matchFor(String owner, String group) {
        for (Rule r : rules) {
            if (r.matches(owner, group)) {
                return r.match();
            }
        }
        return null;
    }

    /** The iRODS user an OMERO user maps to. */
    public String irodsUser(String omeroUser) {
        return userMap.getOrDefault(omeroUser, omeroUser);
    }

    /** The iRODS path of a local path under the mount, or null for a path elsewhere (or no mount). */
    public String irodsPath(String localPath) {
        if (mountRoot == null) {
            return null;
        }
        String root = mountRoot.toString();
        return localPath.startsWith(root + "/") ? localPath.substring(root.length()) : null;
    }
}

package org.rodsgate.reverse;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.ledger.Claim;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;
import org.rodsgate.reverse.place.IrodsDescription;
import org.rodsgate.reverse.place.Placed;
import org.rodsgate.reverse.place.Placement;
import org.rodsgate.reverse.place.PlacementRule;

/**
 * Claims the reverse direction's units (OMERO filesets; never the watcher's) and carries each one out: reads the
 * fileset with its files from OMERO, places them in iRODS by its rule, records the placed paths (the watcher skips
 * them from then on), describes them in iRODS (AVUs, ACLs) and in OMERO (tag, map annotation), and records the unit
 * done with those paths (kept for deletions). Every step is idempotent, so a unit taken over after a kill -9 is
 * finished, not repeated. A failure is retried after {@code reverse.backoff_seconds * 2^n} and parked after
 * {@code reverse.max_attempts}; a closed time window ({@link Placement.NotYet}) only puts the unit off.
 */
public final class ReverseWorker {
    private static final Logger LOG = Logger.getLogger(ReverseWorker.class.getName());
    /** How long a claim lasts before the heartbeat extends it (a live gateway keeps its claims). */
    static final Duration LEASE = Duration.ofMinutes(30);

    /** What became of one unit. */
    public enum Outcome { PLACED, DELETED_BEFORE_PLACEMENT, NOT_PLACED, WAITING_FOR_WINDOW, WAITING_FOR_IRODS, FAILED,
        PARKED }

    /** The outcome of one unit with what it placed (empty unless PLACED) and a line for the log. */
    public record Result(Outcome outcome, List<Placed> placed, String line) {}

    private final ReverseConfig cfg;
    private final Ledger ledger;
    private final OmeroSide omero;
    private final Placement placement;
    private final IrodsDescription description;
    private final String gateway;

    public ReverseWorker(ReverseConfig cfg, Ledger ledger, OmeroSide omero, Placement placement,
                         IrodsDescription description, String gateway) {
        this.cfg = cfg;
        this.ledger = ledger;
        this.omero = omero;
        this.placement = placement;
        this.description = description;
        this.gateway = gateway;
    }

    /** Works until no reverse unit is due; {@code report} hears of each. Returns how many were placed. */
    public int drain(Consumer<String> report) throws Exception {
        int placed = 0;
        while (true) {
            Optional<Claim> c = ledger.claim(gateway, LEASE, Unit.Direction.REVERSE);
            if (c.isEmpty()) {
                return placed;
            }
            Result r = work(c.get());
            report.accept(r.line());
            if (r.outcome() == Outcome.PLACED) {
                placed++;
            }
            if (r.outcome() == Outcome.WAITING_FOR_IRODS) {
                return placed; // the next units would meet the same outage: the next cycle tries again
            }
        }
    }

    /** Carries out one claimed reverse unit and records its outcome in the ledger. */
    public Result work(Claim c) throws Exception {
        Unit u = c.unit();
        long id = u.omeroFileset();
        try {
            OmeroFileset fs = omero.fileset(id);
            if (fs == null) {
                // deleted in OMERO; an earlier attempt may have placed files before it failed (e.g. linking an image
                // OMERO was deleting): they get omero.deleted (missing ones are skipped), nothing is removed
                List<String> earlier = ledger.writtenFor(u.key());
                if (!earlier.isEmpty()) {
                    long at = ledger.deletedAt(id);
                    description.markDeleted(earlier, at >= 0 ? at : System.currentTimeMillis());
                }
                ledger.doneReverse(c, List.of(), earlier);
                ReverseMetrics.fileset("deleted_before_placement");
                return new Result(Outcome.DELETED_BEFORE_PLACEMENT, List.of(), u.key() + ": deleted in OMERO before it"
                    + " was placed; " + (earlier.isEmpty() ? "nothing to do" : earlier.size() + " object(s) an"
                    + " earlier attempt placed marked omero.deleted (kept)"));
            }
            if (!fs.uploadFinished() || fs.images() == 0) {
                // taken up early (`retry` of a failed import, push): not a failure to retry blindly N times, but
                // parked as the feed parks an unfinished import, which it keeps looking at and queues once finished
                String why = "Fileset:" + id + " has not finished importing in OMERO (" + (fs.uploadFinished()
                    ? "no images yet" : "upload not finished") + "): parked, queued by itself when it finishes";
                ledger.park(c, ReverseFeed.FAILED_IMPORT, why);
                ledger.addPending(ReverseFeed.FEED, List.of(id));
                ReverseMetrics.fileset("parked");
                return new Result(Outcome.PARKED, List.of(), u.key() + " PARKED: " + why);
            }
            PlacementRule rule = ruleFor(fs, u.target());
            if (rule == null) {
                String why = "no reverse.rules entry applies to user " + fs.owner() + " / group " + fs.group()
                    + " and it was not imported in place from the mount";
                ledger.park(c, "no-rule", why);
                ReverseMetrics.fileset("parked");
                return new Result(Outcome.PARKED, List.of(), u.key() + " PARKED: " + why);
            }
            if (rule.kind() == PlacementRule.Kind.IN_PLACE && !cfg.inPlaceFromMount(fs)) {
                // the rule only describes what is in iRODS already; retrying cannot make an upload be there
                String why = notInPlace(fs);
                if (!ledger.doneNotPlaced(c, why)) {
                    LOG.warning(u.key() + ": not placed, but the claim was lost (lease ran out)");
                }
                ReverseMetrics.fileset("not_placed");
                LOG.info(u.key() + " " + why);
                return new Result(Outcome.NOT_PLACED, List.of(), u.key() + " " + why);
            }
            String irodsUser = cfg.irodsUser(fs.owner());
            // recorded before the first rename into place: a file switched in while the others still copy (or
            // before a kill -9) is never imported back by the watcher
            ledger.written(c, id, placement.targets(rule, fs, irodsUser));
            List<Placed> placed;
            try {
                placed = placement.place(rule, fs, irodsUser);
            } catch (Placement.NotYet e) {
                ledger.defer(c, e.notBeforeMillis());
                ReverseMetrics.fileset("waiting_for_window");
                return new Result(Outcome.WAITING_FOR_WINDOW, List.of(), u.key() + " waits: " + e.getMessage()
                    + " (not before " + java.time.Instant.ofEpochMilli(e.notBeforeMillis()) + ")");
            }
            check(fs, placed);
            List<String> paths = placed.stream().map(Placed::irodsPath).toList();
            // a COPY/REGISTER writes every path of its template, also one "found" (placed by a run killed before it
            // could record it): the watcher must never import it; in place / on the mount, found is the forward's
            boolean writes = rule.kind() == PlacementRule.Kind.COPY || rule.kind() == PlacementRule.Kind.REGISTER;
            ledger.written(c, id, placed.stream().filter(p -> writes || !p.how().equals("found"))
                .map(Placed::irodsPath).toList());
            List<Long> images = omero.images(id);
            description.describe(placed, fs, images, cfg.server(), irodsUser, rule);
            omero.describe(fs.owner(), id, images, pairs(id, placed));
            long before = ledger.deletedAt(id);
            if (before >= 0) {
                description.markDeleted(paths, before); // deleted in OMERO while it was being placed
            }
            long deleted = ledger.doneReverse(c, images, paths);
            if (deleted == Long.MIN_VALUE) {
                LOG.warning(u.key() + ": placed, but the claim was lost (lease ran out); its new holder records it");
            } else if (deleted >= 0 && before < 0) {
                try {
                    description.markDeleted(paths, deleted);
                } catch (Exception e) {
                    LOG.warning(u.key() + ": deleted in OMERO meanwhile; marking omero.deleted failed: " + e.getMessage());
                }
            }
            for (Placed p : placed) {
                ReverseMetrics.bytes(p.how(), p.file().size());
            }
            ReverseMetrics.fileset("placed");
            return new Result(Outcome.PLACED, placed, u.key() + " -> " + summary(placed) + " (" + rule.kind().name()
                .toLowerCase() + ")");
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (noSuchUser(e)) {
                // retrying cannot create the user: parked at once, saying which mapping is at fault
                String why = msg + " (OMERO user " + u.owner() + " maps to iRODS user " + cfg.irodsUser(u.owner())
                    + ": create that user in iRODS, or map the OMERO user with reverse.user_map (or watch.user.map);"
                    + " then `rodsgate retry " + u.key() + "`)";
                LOG.warning("placing " + u.key() + " failed (parked): " + why);
                ledger.park(c, "no-user", why);
                ReverseMetrics.fileset("parked");
                return new Result(Outcome.PARKED, List.of(), u.key() + " PARKED: " + why);
            }
            if (irodsUnreachable(e)) {
                // an outage, not this unit's fault: put off without counting an attempt (ServerHealth logs the
                // outage once), so a backlog waits out an outage of any length instead of being parked
                ledger.putOff(c, cfg.backoff(), "waiting for iRODS: " + msg);
                ReverseMetrics.fileset("waiting_for_irods");
                return new Result(Outcome.WAITING_FOR_IRODS, List.of(), u.key() + " waits for iRODS: " + msg);
            }
            boolean park = c.attempts() + 1 >= cfg.maxAttempts();
            LOG.warning("placing " + u.key() + " failed" + (park ? " (parked)" : "") + ": " + msg);
            ledger.failed(c, msg, cfg.backoff(), cfg.maxAttempts());
            ReverseMetrics.fileset(park ? "parked" : "failed");
            return new Result(park ? Outcome.PARKED : Outcome.FAILED, List.of(), u.key() + " FAILED: " + msg);
        }
    }

    /**
     * Whether {@code e} (or a cause) is iRODS not answering: a connection that died or could not be made, a reply
     * that timed out, or the server marked down ({@code EHOSTDOWN}, irods/ServerHealth) — not a refusal.
     */
    static boolean irodsUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.rodsgate.irods.IrodsException ie && (ie.connectionDead() || ie.timedOut()
                || ie.errno() == org.rodsgate.irods.Errno.EHOSTDOWN.value
                || ie.errno() == org.rodsgate.irods.Errno.ECONNREFUSED.value)) {
                return true;
            }
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rule for a fileset: pushed {@code --to} a collection, IN_PLACE when the fileset really is in iRODS where
     * it was imported from ({@link ReverseConfig#inPlaceFromMount}), else a COPY (or REGISTER, when that is its
     * configured rule) under it — {@code COLLECTION/%fileset%/%name%}, or {@code %clientPath%} when file names
     * repeat — whatever the configured rule's kind, keeping a configured copy rule's window and bandwidth cap; else
     * {@link ReverseConfig#ruleFor(OmeroFileset)}.
     */
    PlacementRule ruleFor(OmeroFileset fs, String toCollection) {
        PlacementRule configured = cfg.ruleFor(fs);
        if (toCollection == null) {
            return configured;
        }
        if (cfg.inPlaceFromMount(fs)) {
            // decided from the fileset (transfer, client paths), not from the rule: its files are iRODS objects
            LOG.info("Fileset:" + fs.id() + " was imported in place from the mount: its files are in iRODS already;"
                + " described where they are, not copied to " + toCollection);
            return new PlacementRule(PlacementRule.Kind.IN_PLACE, null, null, null, null, 0);
        }
        boolean namesRepeat = new HashSet<>(fs.files().stream().map(OmeroOriginalFile::name).toList()).size()
            != fs.files().size();
        // the collection is taken literally: a '%' in its name is written %% in the template
        String template = toCollection.replaceAll("/+$", "").replace("%", "%%") + "/%fileset%/"
            + (namesRepeat ? "%clientPath%" : "%name%");
        boolean register = configured != null && configured.kind() == PlacementRule.Kind.REGISTER;
        // a configured copy rule's window and bandwidth cap are the administrator's, kept for --to as well
        boolean copy = configured != null && configured.kind() == PlacementRule.Kind.COPY;
        return new PlacementRule(register ? PlacementRule.Kind.REGISTER : PlacementRule.Kind.COPY, template,
            configured == null || !(copy || register) ? null : configured.resource(),
            copy ? configured.windowStart() : null, copy ? configured.windowEnd() : null,
            copy ? configured.bytesPerSecond() : 0);
    }

    /** Whether {@code e} (or what caused it) is iRODS saying the user to act as does not exist. */
    private static boolean noSuchUser(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.rodsgate.irods.IrodsException x
                && x.is(org.rodsgate.irods.ErrorCode.CAT_INVALID_CLIENT_USER)) {
                return true;
            }
        }
        return false;
    }

    /** Why an in_place rule places nothing for {@code fs}: what the fileset is, which rule, what to do. */
    private String notInPlace(OmeroFileset fs) {
        String match = cfg.matchFor(fs.owner(), fs.group());
        String what;
        if (fs.transfer() != null && !fs.inPlace()) {
            what = "it was uploaded (transfer " + fs.transfer() + "): its files are in OMERO's ManagedRepository, not"
                + " in iRODS";
        } else if (cfg.mountRoot() == null) {
            what = "no mount is configured (reverse.mount)";
        } else {
            String outside = fs.files().stream().map(OmeroOriginalFile::clientPath)
                .filter(p -> p == null || cfg.irodsPath("/" + p) == null).map(p -> "/" + p).findFirst().orElse("?");
            what = "it was imported by link from outside the mount " + cfg.mountRoot() + " (e.g. " + outside + ")";
        }
        return "not placed: rule '" + (match == null ? "?" : match) + "' is in_place, which only describes in-place"
            + " imports from the rodsgate mount, and " + what + ". To copy such filesets put a copy rule for them"
            + " before '" + match + "', or push one with --to COLLECTION; `rodsgate retry Fileset:" + fs.id()
            + "` takes it up again after the rules changed";
    }

    /** A placement must answer for every file of the fileset, in order: anything else is a bug, not a success. */
    private static void check(OmeroFileset fs, List<Placed> placed) throws java.io.IOException {
        if (placed.size() != fs.files().size()) {
            throw new java.io.IOException("placement of Fileset:" + fs.id() + " answered for " + placed.size()
                + " of its " + fs.files().size() + " files");
        }
        for (int i = 0; i < placed.size(); i++) {
            if (placed.get(i).file().id() != fs.files().get(i).id()) {
                throw new java.io.IOException("placement of Fileset:" + fs.id() + " answered for OriginalFile:"
                    + placed.get(i).file().id() + " where OriginalFile:" + fs.files().get(i).id() + " was expected");
            }
        }
    }

    /** Files listed one by one in the OMERO map annotation (each costs two {@code omero obj map-set} calls). */
    static final int MAP_FILES = 100;

    /**
     * The map annotation's pairs: {@code irods.zone}, then each file's {@code irods.path} and {@code irods.checksum}
     * — numbered ({@code irods.path.1}, ...) when the fileset has several files, since a map annotation set with
     * {@code omero obj map-set} keeps one value per key — at most {@link #MAP_FILES} of them, then
     * {@code irods.more} saying how many more and where to find them.
     */
    static List<Map.Entry<String, String>> pairs(long fileset, List<Placed> placed) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (!placed.isEmpty()) {
            String p = placed.get(0).irodsPath();
            int slash = p.indexOf('/', 1);
            out.add(new AbstractMap.SimpleImmutableEntry<>("irods.zone", slash < 0 ? p.substring(1) : p.substring(1, slash)));
        }
        boolean numbered = placed.size() > 1;
        for (int i = 0; i < Math.min(placed.size(), MAP_FILES); i++) {
            Placed x = placed.get(i);
            String n = numbered ? "." + (i + 1) : "";
            out.add(new AbstractMap.SimpleImmutableEntry<>("irods.path" + n, x.irodsPath()));
            out.add(new AbstractMap.SimpleImmutableEntry<>("irods.checksum" + n, x.checksum() == null ? "" : x.checksum()));
        }
        if (placed.size() > MAP_FILES) {
            out.add(new AbstractMap.SimpleImmutableEntry<>("irods.more", (placed.size() - MAP_FILES) + " more files:"
                + " the iRODS objects with AVU omero.fileset = " + fileset));
        }
        return out;
    }

    private static String summary(List<Placed> placed) {
        if (placed.isEmpty()) {
            return "(no files)";
        }
        Map<String, Integer> how = new java.util.TreeMap<>();
        placed.forEach(p -> how.merge(p.how(), 1, Integer::sum));
        return placed.get(0).irodsPath() + (placed.size() > 1 ? " and " + (placed.size() - 1) + " more" : "") + " "
            + how;
    }
}

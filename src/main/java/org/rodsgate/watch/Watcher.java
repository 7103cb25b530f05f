package org.rodsgate.watch;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.irods.Paths;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;
import org.rodsgate.omero.Names;
import org.rodsgate.omero.OmeroCli;
import org.rodsgate.omero.Registrar;

/**
 * Watches the catalog and registers what settles. Each poll reads new objects (by DATA_ID above the watermark),
 * objects modified since the last poll, and the state of those still settling; objects whose size, mtime and
 * checksum stayed unchanged for the quiet period (with a good replica) become units — grouped as `omero import -f`
 * groups them, so a multi-file format is one unit — and go into the ledger. Every object under a watched collection
 * gets exactly one state in the ledger, with its reason: waiting (settling, or for the mount), excluded (which rule),
 * queued/failed/registering/registered (its unit), parked (why), stale (what changed after registration). The
 * watermark only moves past objects with a settled state, so a crash loses nothing. A registered object that
 * changes, or a new object put where a registered one was, gets {@code watch.on_change}: marked stale (AVU
 * {@code omero.stale}) or imported again as a new fileset. Workers claim units from the ledger and hand them to the
 * {@link Registrar}. Without OMERO configured ({@code registrar == null}) it logs what it would register.
 */
public final class Watcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Watcher.class.getName());
    static final String FEED = "new-data-objects";
    static final String CHANGES = "modified-since-seconds";
    /** A watcher silent for this many heartbeats is taken for dead and its claims are given back. */
    static final int SILENT_BEATS = 12;

    private final WatchConfig cfg;
    private final ChangeFeed feed;
    private final Ledger ledger;
    private final Registrar registrar;
    private final OmeroCli omero;
    private final MetadataCache cache;
    private final LongSupplier clock;
    private final Settler settler = new Settler();
    private final List<PathMatcher> include = new ArrayList<>();
    private final List<PathMatcher> exclude = new ArrayList<>();
    private long maxSeen = -1;
    private long lastPollSeconds = -1;
    private Boolean mountWasUp;
    /** Settled objects recorded as waiting for the mount (bounded by the settler: removed as they leave it). */
    private final Set<Long> waitingForMount = new HashSet<>();
    private PacedLoop loop;

    public Watcher(WatchConfig cfg, ChangeFeed feed, Ledger ledger, Registrar registrar, OmeroCli omero,
                   MetadataCache cache, LongSupplier clock) {
        this.cfg = cfg;
        this.feed = feed;
        this.ledger = ledger;
        this.registrar = registrar;
        this.omero = omero;
        this.cache = cache;
        this.clock = clock;
        cfg.include().forEach(g -> include.add(FileSystems.getDefault().getPathMatcher("glob:" + g)));
        cfg.exclude().forEach(g -> exclude.add(FileSystems.getDefault().getPathMatcher("glob:" + g)));
    }

    /** The rule that keeps this object out, or null when it is wanted. */
    private String exclusion(String path) {
        if (org.rodsgate.fs.open.WorkNames.isWork(Paths.name(path))) {
            // never configurable: an unfinished version (mount replacement, reverse copy) is not a file to register
            return "a rodsgate work object (unfinished copy or replacement)";
        }
        Path name = Path.of(Paths.name(path));
        if (include.stream().noneMatch(m -> m.matches(name))) {
            return "not matched by watch.include " + cfg.include();
        }
        for (int i = 0; i < exclude.size(); i++) {
            if (exclude.get(i).matches(name)) {
                return "watch.exclude '" + cfg.exclude().get(i) + "'";
            }
        }
        return null;
    }

    private String watchedRoot(String path) {
        return cfg.collections().stream().filter(c -> Paths.isUnder(path, c)).findFirst().orElse(null);
    }

    /** Whether the mount shows this iRODS collection (always true when logging only: nothing links to it). */
    private boolean mountShows(String collection) {
        return omero == null || Files.isDirectory(Path.of(cfg.localPath(collection)));
    }

    private void record(ChangeFeed.Seen s, String state, String reason, String unit) throws Exception {
        ledger.record(s.id(), s.path(), state, reason, unit, s.size(), s.mtime(), s.checksum());
    }

    private String settling() {
        return "settling: size, modify time and checksum unchanged for " + cfg.quiet().toMillis() / 1000.0
            + " s with a good replica";
    }

    /** One poll of the catalog; returns how many units it queued. */
    public synchronized int pollOnce() throws Exception {
        long now = clock.getAsLong();
        if (maxSeen < 0) {
            maxSeen = ledger.watermark(FEED);
        }
        boolean up = mountShows(cfg.collections().get(0));
        if (up && !Boolean.TRUE.equals(mountWasUp)) {
            int back = ledger.retryParked("mount");
            if (back > 0) {
                LOG.info("the mount answers: " + back + " unit(s) parked while it did not are queued again");
            }
        }
        mountWasUp = up;
        for (ChangeFeed.Seen s : feed.newSince(maxSeen)) {
            maxSeen = Math.max(maxSeen, s.id());
            if (cache != null) {
                cache.invalidate(s.path());
            }
            if (watchedRoot(s.path()) == null) {
                continue;
            }
            String rule = exclusion(s.path());
            if (rule != null) {
                record(s, Ledger.EXCLUDED, rule, null);
                continue;
            }
            Ledger.ObjectState known = ledger.object(s.path(), s.id());
            if (known != null && !known.state().equals(Ledger.WAITING)) {
                continue; // re-read after a restart: it has its state already
            }
            settler.observe(s, now);
            record(s, Ledger.WAITING, settling(), null);
        }
        long nowSeconds = now / 1000;
        long since = lastPollSeconds > 0 ? lastPollSeconds : ledger.watermark(CHANGES);
        if (since > 0) {
            // changes made to existing objects (1 s of slack for clock steps): the mount must not serve stale
            // attributes, and a registered object whose bytes changed settles again, then gets watch.on_change
            for (ChangeFeed.Seen s : feed.changedSince(since - 1)) {
                if (cache != null) {
                    cache.invalidate(s.path());
                }
                if (watchedRoot(s.path()) == null || settler.contains(s.id()) || exclusion(s.path()) != null) {
                    continue;
                }
                Ledger.Registration prior = ledger.registration(s.path());
                if (prior != null && prior.dataId() == s.id()) {
                    if (changed(prior, s)) {
                        settler.observe(s, now);
                    }
                } else {
                    // changed while its unit waits or is being imported: it settles again, then is queued with its
                    // new size (not imported yet) or waits for the import to end and gets watch.on_change
                    Ledger.ObjectState row = ledger.object(s.path(), s.id());
                    if (row != null && row.unit() != null && (row.size() != s.size() || row.mtime() != s.mtime())) {
                        settler.observe(s, now);
                    }
                }
            }
        }
        lastPollSeconds = nowSeconds;
        ledger.advanceWatermark(CHANGES, nowSeconds);
        if (!settler.isEmpty()) {
            Set<Long> alive = new HashSet<>();
            for (ChangeFeed.Seen s : feed.current(settler.ids())) {
                alive.add(s.id());
                settler.observe(s, now);
            }
            for (ChangeFeed.Seen gone : settler.all()) {
                if (!alive.contains(gone.id())) {
                    settler.forget(gone.id()); // deleted before it settled: no longer under a watched collection
                    waitingForMount.remove(gone.id());
                    ledger.forget(gone.path(), gone.id());
                }
            }
        }
        int queued = queueSettled(now);
        long low = settler.lowestPending();
        ledger.advanceWatermark(FEED, low < 0 ? maxSeen : low - 1);
        return queued;
    }

    /**
     * No loop across ledgers: an object carrying {@code omero.fileset} that this ledger did not register as that
     * fileset is OMERO's already — placed or described by the OMERO → iRODS direction (of any gateway), or
     * registered by a watcher with another ledger (a new or reset ledger, another gateway). Importing it would make a
     * second fileset of the same bytes and overwrite its description. The reason why, or null to go on.
     */
    private String describedElsewhere(ChangeFeed.Seen s, String[] avu) throws Exception {
        if (avu == null) {
            return null;
        }
        Ledger.Registration prior = ledger.registration(s.path());
        if (prior != null && Long.toString(prior.fileset()).equals(avu[0])) {
            return null; // registered by this ledger (its bytes changed since): watch.on_change decides
        }
        return "carries omero.fileset=" + avu[0] + (avu[1].isEmpty() ? "" : " (omero.server=" + avu[1] + ")")
            + " that this gateway's ledger did not register: OMERO holds it already (written or described by the"
            + " OMERO -> iRODS direction, or registered by a gateway with another ledger); not imported again"
            + " (remove the AVU omero.fileset to import it)";
    }

    private static boolean changed(Ledger.Registration prior, ChangeFeed.Seen s) {
        return prior.size() != s.size() || prior.mtime() != s.mtime() || (prior.checksum() != null
            && !prior.checksum().isEmpty() && !s.checksum().isEmpty() && !prior.checksum().equals(s.checksum()));
    }

    /** What changed since {@code prior} was registered, in words. */
    private static String change(Ledger.Registration prior, ChangeFeed.Seen s) {
        if (prior.dataId() != s.id()) {
            return "deleted and put again after registration as Fileset:" + prior.fileset() + " (now " + s.size()
                + " bytes)";
        }
        return "changed after registration as Fileset:" + prior.fileset() + " (size " + prior.size() + " -> "
            + s.size() + ", modify time " + prior.mtime() + " -> " + s.mtime() + ")";
    }

    private int queueSettled(long now) throws Exception {
        Map<String, List<ChangeFeed.Seen>> byColl = new LinkedHashMap<>();
        for (ChangeFeed.Seen s : settler.all()) {
            byColl.computeIfAbsent(Paths.parent(s.path()), k -> new ArrayList<>()).add(s);
        }
        int queued = 0;
        long quiet = cfg.quiet().toMillis();
        for (Map.Entry<String, List<ChangeFeed.Seen>> e : byColl.entrySet()) {
            List<ChangeFeed.Seen> members = e.getValue();
            if (!members.stream().allMatch(s -> settler.isSettled(s.id(), now, quiet))) {
                continue; // a directory is handed on when all its new files have settled
            }
            if (!mountShows(e.getKey())) {
                for (ChangeFeed.Seen s : members) {
                    if (waitingForMount.add(s.id())) { // recorded once, not on every poll of the outage
                        record(s, Ledger.WAITING, "waiting for the mount: " + cfg.localPath(e.getKey())
                            + " does not resolve", null);
                    }
                }
                continue; // kept: they are grouped once the mount answers
            }
            Map<String, ChangeFeed.Seen> byPath = new LinkedHashMap<>();
            Map<String, String[]> described = null;
            for (ChangeFeed.Seen s : members) {
                String why = Names.problem(s.path());
                long fromOmero = ledger.writtenBy(s.path());
                String omeros = null;
                if (fromOmero < 0) {
                    if (described == null) {
                        described = feed.described(e.getKey()); // one query per collection handed on
                    }
                    omeros = describedElsewhere(s, described.get(s.path()));
                }
                if (fromOmero >= 0) {
                    // no loop: the reverse direction copied it out of OMERO; importing it would make a second fileset
                    record(s, Ledger.EXCLUDED, "written by the reverse direction from OMERO Fileset:" + fromOmero
                        + " (not imported back)", null);
                } else if (omeros != null) {
                    record(s, Ledger.EXCLUDED, omeros, null);
                } else if (why != null) {
                    record(s, Ledger.PARKED, why, null);
                    LOG.warning("not registering " + s.path() + ": " + why);
                } else {
                    byPath.put(s.path(), s);
                }
            }
            Set<String> covered = new HashSet<>();
            Set<String> deferred = new HashSet<>();
            List<List<String>> grouped;
            try {
                grouped = groups(e.getKey(), byPath);
            } catch (Exception ex) { // omero missing or broken: each object says what it waits for (status --list)
                for (ChangeFeed.Seen s : byPath.values()) {
                    record(s, Ledger.WAITING, "grouping by `omero import -f` failed (retried with backoff): "
                        + ex.getMessage(), null);
                }
                throw ex;
            }
            for (List<String> group : grouped) {
                covered.addAll(group);
                int r = handOn(group, byPath);
                if (r < 0) {
                    deferred.addAll(group);
                } else {
                    queued += r;
                }
            }
            for (ChangeFeed.Seen s : members) {
                if (deferred.contains(s.path())) {
                    continue; // kept settled: handled once its unit's import has ended
                }
                if (!byPath.containsKey(s.path()) || covered.contains(s.path())) {
                    settler.forget(s.id());
                    waitingForMount.remove(s.id());
                } else if (!Files.exists(Path.of(cfg.localPath(s.path())), LinkOption.NOFOLLOW_LINKS)) {
                    if (waitingForMount.add(s.id())) { // the mount went away while the importer looked
                        record(s, Ledger.WAITING, "waiting for the mount: " + cfg.localPath(s.path())
                            + " does not resolve", null);
                    }
                } else if (omero != null && omero.unreadable(List.of(cfg.localPath(s.path()))) != null) {
                    // the importer lists no reader for what it cannot read at all: not a verdict on the format
                    if (waitingForMount.add(s.id())) {
                        String why = "the OMERO OS user (" + omero.settings().osUser() + ") cannot read "
                            + cfg.localPath(s.path()) + ": mount with allow_other, and keep the mount point's parent"
                            + " directories searchable by that user (a mount under /root is not); looked at again"
                            + " every poll";
                        record(s, Ledger.WAITING, why, null);
                        LOG.warning("not registering " + s.path() + " yet: " + why);
                    }
                } else {
                    record(s, Ledger.EXCLUDED, "omero import -f lists no reader for it (not a format OMERO imports)",
                        null);
                    settler.forget(s.id());
                    waitingForMount.remove(s.id());
                }
            }
        }
        return queued;
    }

    /**
     * Queues one group (or applies watch.on_change when it was registered before); returns 1 when queued, 0 when
     * handled otherwise, -1 when its unit is being imported right now (decided once that import has ended).
     */
    private int handOn(List<String> group, Map<String, ChangeFeed.Seen> settled) throws Exception {
        String keyPath = group.get(0);
        ChangeFeed.Seen key = settled.get(keyPath);
        List<ChangeFeed.Seen> fresh = group.stream().map(settled::get).filter(java.util.Objects::nonNull).toList();
        String current = keyPath;
        Ledger.ObjectState row = key == null ? null : ledger.object(keyPath, key.id());
        if (row != null && row.unit() != null) {
            current = row.unit();
        }
        if (Ledger.CLAIMED.equals(ledger.stateOf(current))) {
            return -1; // changed while being imported: what OMERO holds is known once the import ends
        }
        Ledger.Registration prior = ledger.registration(keyPath);
        String unitKey = keyPath;
        List<Long> supersedes = List.of();
        if (prior != null) {
            if (key != null && prior.dataId() == key.id() && !changed(prior, key)) {
                return 0; // re-read after a restart: registered as it is
            }
            String what = key != null ? change(prior, key)
                : "a file was added to Fileset:" + prior.fileset() + "'s directory after registration";
            if (key != null && prior.dataId() != key.id()) {
                ledger.forget(keyPath, prior.dataId()); // the object registered at this path is gone
            }
            if (cfg.onChange() == WatchConfig.OnChange.STALE) {
                for (ChangeFeed.Seen s : fresh) {
                    feed.markStale(s.path(), what);
                    record(s, Ledger.STALE, what, prior.unit());
                }
                LOG.warning(keyPath + " " + what + ": marked omero.stale (watch.on_change: stale)");
                return 0;
            }
            unitKey = keyPath + "#" + (key != null ? key.id() + "." + key.mtime() : fresh.get(0).id());
            supersedes = List.of(prior.fileset());
            LOG.warning(keyPath + " " + what + ": importing it again (watch.on_change: reimport)");
        }
        ChangeFeed.Seen ref = key != null ? key : fresh.get(0);
        String root = watchedRoot(keyPath);
        String rel = keyPath.substring(root.length() + (root.equals("/") ? 0 : 1));
        Unit u = new Unit(unitKey, group.size() == 1 ? Unit.Kind.FILE : Unit.Kind.DIRECTORY, group,
            cfg.omeroUser(ref.owner()), cfg.target(rel), feed.avus(keyPath, cfg.annotateAvus()), supersedes);
        boolean added = ledger.enqueue(u);
        for (ChangeFeed.Seen s : fresh) {
            record(s, Ledger.QUEUED, null, u.key());
        }
        if (added) {
            LOG.info("queued " + u.kind().name().toLowerCase() + " " + u.key() + " for " + u.owner() + " -> "
                + u.targetLabel());
        }
        return added ? 1 : 0;
    }

    /** Units for the settled files of one collection: as the importer groups them, or one per file without it. */
    private List<List<String>> groups(String coll, Map<String, ChangeFeed.Seen> settled) throws Exception {
        List<List<String>> out = new ArrayList<>();
        if (omero == null) {
            settled.keySet().forEach(p -> out.add(List.of(p)));
            return out;
        }
        for (List<String> g : omero.groups(List.of(cfg.localPath(coll)))) {
            List<String> irods = new ArrayList<>();
            for (String local : g) {
                String p = cfg.irodsPath(local);
                if (p != null) {
                    irods.add(p);
                }
            }
            if (irods.stream().anyMatch(settled::containsKey)) {
                out.add(irods); // a group holding a newly settled file; groups of older files were handled before
            }
        }
        return out;
    }

    /** Registers queued units until none is due; returns how many were registered. */
    public int workOnce() throws Exception {
        int back = ledger.reclaimDead(cfg.heartbeat().multipliedBy(SILENT_BEATS));
        if (back > 0) {
            LOG.info(back + " unit(s) claimed by a watcher that stopped are queued again");
        }
        return new Worker(ledger, registrar, cfg.gateway(), cfg.backoff(), cfg.maxAttempts(), cache)
            .drain(line -> LOG.info(line));
    }

    public void start() {
        loop = new PacedLoop("rodsgate-watcher", cfg.poll(), MAX_CYCLE_BACKOFF, "", LOG, () -> {
            pollOnce();
            workOnce();
        });
    }

    /** Longest pause between watch cycles while they keep failing (a broken omero, a catalog that is down). */
    static final java.time.Duration MAX_CYCLE_BACKOFF = java.time.Duration.ofMinutes(5);

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}

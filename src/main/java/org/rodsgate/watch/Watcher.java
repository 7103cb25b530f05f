package org.rodsgate.watch;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.irods.Paths;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;
import org.rodsgate.omero.OmeroCli;
import org.rodsgate.omero.Registrar;

/**
 * Watches the catalog and registers what settles: each poll reads new objects (by DATA_ID above the watermark) and
 * the state of those still settling; objects whose size and mtime stayed unchanged for the quiet period (with a
 * good replica) become units — grouped as `omero import -f` groups them, so a multi-file format is one unit — and go
 * into the ledger. The watermark only moves past objects that are in the ledger or excluded, so a crash loses
 * nothing. Workers claim units from the ledger and hand them to the {@link Registrar}. Without OMERO configured
 * ({@code registrar == null}) it logs what it would register.
 */
public final class Watcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Watcher.class.getName());
    static final String FEED = "new-data-objects";

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
    private ScheduledExecutorService loop;

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

    private boolean wanted(String path) {
        Path name = Path.of(Paths.name(path));
        return include.stream().anyMatch(m -> m.matches(name)) && exclude.stream().noneMatch(m -> m.matches(name));
    }

    private String watchedRoot(String path) {
        return cfg.collections().stream().filter(c -> Paths.isUnder(path, c)).findFirst().orElse(null);
    }

    /** One poll of the catalog; returns how many units it queued. */
    public synchronized int pollOnce() throws Exception {
        long now = clock.getAsLong();
        if (maxSeen < 0) {
            maxSeen = ledger.watermark(FEED);
        }
        for (ChangeFeed.Seen s : feed.newSince(maxSeen)) {
            maxSeen = Math.max(maxSeen, s.id());
            if (cache != null) {
                cache.invalidate(s.path());
            }
            if (wanted(s.path()) && watchedRoot(s.path()) != null) {
                settler.observe(s, now);
            }
        }
        long nowSeconds = now / 1000;
        if (cache != null && lastPollSeconds > 0) {
            // objects changed elsewhere: the mount must not serve stale attributes (1 s of slack for clock steps)
            for (ChangeFeed.Seen s : feed.changedSince(lastPollSeconds - 1)) {
                cache.invalidate(s.path());
            }
        }
        lastPollSeconds = nowSeconds;
        if (!settler.isEmpty()) {
            Set<Long> alive = new HashSet<>();
            for (ChangeFeed.Seen s : feed.current(settler.ids())) {
                alive.add(s.id());
                settler.observe(s, now);
            }
            for (Long id : settler.ids()) {
                if (!alive.contains(id)) {
                    settler.forget(id); // deleted before it settled
                }
            }
        }
        int queued = queueSettled(now);
        long low = settler.lowestPending();
        ledger.advanceWatermark(FEED, low < 0 ? maxSeen : low - 1);
        return queued;
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
            Map<String, ChangeFeed.Seen> byPath = new LinkedHashMap<>();
            members.forEach(s -> byPath.put(s.path(), s));
            for (List<String> group : groups(e.getKey(), byPath)) {
                ChangeFeed.Seen key = byPath.get(group.get(0));
                String owner = key != null ? key.owner() : members.get(0).owner();
                String root = watchedRoot(group.get(0));
                String rel = group.get(0).substring(root.length() + (root.equals("/") ? 0 : 1));
                Unit u = new Unit(group.get(0), group.size() == 1 ? Unit.Kind.FILE : Unit.Kind.DIRECTORY, group,
                    cfg.omeroUser(owner), cfg.target(rel), feed.avus(group.get(0), cfg.annotateAvus()));
                if (ledger.enqueue(u)) {
                    queued++;
                    LOG.info("queued " + u.kind().name().toLowerCase() + " " + u.key() + " for " + u.owner() + " -> "
                        + u.target());
                }
            }
            members.forEach(s -> settler.forget(s.id()));
        }
        return queued;
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
        return new Worker(ledger, registrar, cfg.gateway(), cfg.backoff(), cfg.maxAttempts(), cache)
            .drain(line -> LOG.info(line));
    }

    public void start() {
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rodsgate-watcher");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(() -> {
            try {
                pollOnce();
                workOnce();
            } catch (Exception e) {
                LOG.warning("watch cycle failed (will retry): " + e.getMessage());
            }
        }, 0, cfg.poll().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
            try {
                loop.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

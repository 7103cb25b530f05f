package org.rodsgate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;

/**
 * What the mount remembers of iRODS, per iRODS user: attributes of paths (including "does not exist"),
 * directory listings with their entries' attributes, and AVUs. Bounded, with time-to-live; every change made
 * through the mount invalidates exactly the entries it affects, for all users, and so does the watcher's change
 * feed ({@link #invalidate}).
 *
 * <p>An invalidation that races a load cannot leave stale data: a load of one key and its invalidation are
 * serialised by the cache (the invalidation removes what the load stored), and the attributes a listing load
 * spreads to its children are stored only if no invalidation happened since the load began.
 * Thread-safe.
 */
public final class MetadataCache {
    /** Declared once: TTLs and bounds, with why. */
    public record Settings(Duration attrTtl, Duration negativeTtl, Duration dirTtl, long maxAttrs, long maxDirs) {
        /**
         * 5 s for attributes and listings: long enough that `ls -l` and a Bio-Formats scan of a directory stay warm,
         * short enough that changes made outside the mount show within seconds; 2 s for "does not exist", since
         * creators of new files expect them to appear quickly; 200,000 attributes and 2,000 listings: about 100 MB.
         */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(5), 200_000, 2_000);
        }
    }

    /** A directory listing: entries in listing order and by name. */
    public record Listing(List<ObjStat> entries, Map<String, ObjStat> byName) {
        public static Listing of(List<ObjStat> entries) {
            Map<String, ObjStat> m = new LinkedHashMap<>();
            for (ObjStat e : entries) {
                m.put(e.name(), e);
            }
            return new Listing(List.copyOf(entries), m);
        }
    }

    @FunctionalInterface
    public interface Loader<T> {
        T load() throws IrodsException;
    }

    private record Key(String user, String path) {}

    private final Cache<Key, Optional<ObjStat>> attrs;
    private final Cache<Key, Listing> dirs;
    private final Cache<Key, List<Avu>> avus;
    private final Set<String> users = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();

    public MetadataCache(Settings s, Ticker ticker) {
        attrs = Caffeine.newBuilder().ticker(ticker).maximumSize(s.maxAttrs()).recordStats()
            .expireAfter(new Expiry<Key, Optional<ObjStat>>() {
                @Override
                public long expireAfterCreate(Key k, Optional<ObjStat> v, long now) {
                    return (v.isPresent() ? s.attrTtl() : s.negativeTtl()).toNanos();
                }

                @Override
                public long expireAfterUpdate(Key k, Optional<ObjStat> v, long now, long current) {
                    return expireAfterCreate(k, v, now);
                }

                @Override
                public long expireAfterRead(Key k, Optional<ObjStat> v, long now, long current) {
                    return current;
                }
            }).build();
        dirs = Caffeine.newBuilder().ticker(ticker).maximumSize(s.maxDirs()).expireAfterWrite(s.dirTtl()).recordStats()
            .build();
        avus = Caffeine.newBuilder().ticker(ticker).maximumSize(s.maxDirs() * 10).expireAfterWrite(s.attrTtl())
            .build();
    }

    /**
     * Hits, misses, evictions and sizes of the attribute and listing caches in {@code registry}
     * ({@code cache_gets_total{cache="rodsgate.attrs|rodsgate.listings",result="hit|miss"}}, Micrometer's Caffeine
     * binder).
     */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, attrs, "rodsgate.attrs");
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, dirs, "rodsgate.listings");
    }

    public MetadataCache(Settings s) {
        this(s, Ticker.systemTicker());
    }

    /** The attributes of a path, or empty when it does not exist. */
    public Optional<ObjStat> stat(String user, String path, Loader<Optional<ObjStat>> loader) throws IrodsException {
        users.add(user);
        Key k = new Key(user, path);
        Optional<ObjStat> hit = attrs.getIfPresent(k);
        if (hit != null) {
            return hit;
        }
        Listing parent = path.equals("/") ? null : dirs.getIfPresent(new Key(user, Paths.parent(path)));
        if (parent != null) {
            return Optional.ofNullable(parent.byName().get(Paths.name(path)));
        }
        return load(attrs, k, loader);
    }

    /** The listing of a collection; its entries' attributes are remembered too. */
    public Listing listing(String user, String path, Loader<List<ObjStat>> loader) throws IrodsException {
        users.add(user);
        Key k = new Key(user, path);
        long gen = generation.get();
        boolean[] loaded = {false};
        Listing l = load(dirs, k, () -> {
            loaded[0] = true;
            return Listing.of(loader.load());
        });
        if (loaded[0]) {
            synchronized (this) {
                if (generation.get() == gen) {
                    for (ObjStat e : l.entries()) {
                        attrs.put(new Key(user, e.path()), Optional.of(e));
                    }
                }
            }
        }
        return l;
    }

    public List<Avu> avus(String user, String path, Loader<List<Avu>> loader) throws IrodsException {
        users.add(user);
        return load(avus, new Key(user, path), loader);
    }

    private <V> V load(Cache<Key, V> cache, Key k, Loader<V> loader) throws IrodsException {
        try {
            return cache.get(k, key -> {
                loads.incrementAndGet();
                try {
                    return loader.load();
                } catch (IrodsException e) {
                    throw new LoadFailure(e);
                }
            });
        } catch (LoadFailure f) {
            throw f.cause;
        }
    }

    private static final class LoadFailure extends RuntimeException {
        final IrodsException cause;

        LoadFailure(IrodsException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    /**
     * Forgets a path for all users: its attributes, its AVUs, its own listing, its parent's listing (whose entry
     * for it is now stale), and its parent's attributes (with the listing they come from), because a server may
     * change a collection's modify time when its content changes (the sandbox does, and so does iRODS with the
     * update_collection_mtime rule engine plugin). Otherwise a directory's time could change by itself when the
     * cache entry expires, and {@code rsync -a}, which re-sets a directory's time only when it sees it differ,
     * would leave the wrong one.
     */
    public synchronized void invalidate(String path) {
        generation.incrementAndGet();
        for (String u : users) {
            attrs.invalidate(new Key(u, path));
            avus.invalidate(new Key(u, path));
            dirs.invalidate(new Key(u, path));
            if (!path.equals("/")) {
                String parent = Paths.parent(path);
                dirs.invalidate(new Key(u, parent));
                attrs.invalidate(new Key(u, parent));
                if (!parent.equals("/")) {
                    dirs.invalidate(new Key(u, Paths.parent(parent)));
                }
            }
        }
    }

    /**
     * Close-to-open: an open just learned a data object's current id and size from iRODS. If what this cache
     * holds for the path (directly or in its parent's listing) says otherwise, the path is forgotten, so the next
     * lookup asks iRODS. Costs no round trip. Returns whether a cached entry disagreed (then what the kernel
     * learned from this cache is stale too).
     */
    public boolean invalidateIfChanged(String user, String path, long id, long size) {
        if (id < 0 && size < 0) {
            return false;
        }
        Key k = new Key(user, path);
        Optional<ObjStat> hit = attrs.getIfPresent(k);
        ObjStat known = hit != null ? hit.orElse(null) : null;
        if (hit == null && !path.equals("/")) {
            Listing parent = dirs.getIfPresent(new Key(user, Paths.parent(path)));
            known = parent == null ? null : parent.byName().get(Paths.name(path));
            if (parent == null) {
                return false;
            }
        }
        boolean stale = known != null && ((id >= 0 && known.id() != id) || (size >= 0 && known.size() != size));
        if (known == null || stale) {
            invalidate(path);
        }
        return stale;
    }

    /** Forgets a path and everything below it (a collection renamed or removed). */
    public synchronized void invalidateTree(String path) {
        invalidate(path);
        attrs.asMap().keySet().removeIf(k -> Paths.isUnder(k.path(), path));
        dirs.asMap().keySet().removeIf(k -> Paths.isUnder(k.path(), path));
        avus.asMap().keySet().removeIf(k -> Paths.isUnder(k.path(), path));
    }

    /** How many loads reached the loader (i.e. iRODS) so far; for tests and status. */
    public long loads() {
        return loads.get();
    }
}

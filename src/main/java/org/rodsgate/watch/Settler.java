package org.rodsgate.watch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects seen but not yet handed on: each is ready once its size and modify time stayed the same for the quiet
 * period and its replica is good (iRODS status 1, i.e. nobody is writing it). Not thread-safe.
 */
final class Settler {
    private record Entry(ChangeFeed.Seen seen, long since) {}

    private final Map<Long, Entry> pending = new HashMap<>();

    void observe(ChangeFeed.Seen s, long nowMillis) {
        Entry e = pending.get(s.id());
        if (e == null || e.seen().size() != s.size() || e.seen().mtime() != s.mtime()
            || e.seen().replStatus() != s.replStatus() || !e.seen().path().equals(s.path())
            || !e.seen().checksum().equals(s.checksum())) {
            pending.put(s.id(), new Entry(s, nowMillis));
        }
    }

    boolean contains(long id) {
        return pending.containsKey(id);
    }

    void forget(long id) {
        pending.remove(id);
    }

    Collection<Long> ids() {
        return new ArrayList<>(pending.keySet());
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    boolean isSettled(long id, long nowMillis, long quietMillis) {
        Entry e = pending.get(id);
        return e != null && e.seen().replStatus() == 1 && nowMillis - e.since() >= quietMillis;
    }

    List<ChangeFeed.Seen> all() {
        List<ChangeFeed.Seen> l = new ArrayList<>();
        pending.values().forEach(e -> l.add(e.seen()));
        return l;
    }

    /** The lowest id still pending, or -1. */
    long lowestPending() {
        return pending.keySet().stream().mapToLong(Long::longValue).min().orElse(-1);
    }
}

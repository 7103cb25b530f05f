package org.rodsgate.watch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.Paths;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;

/**
 * What changed in the watched collections, from the catalog: new data objects by DATA_ID above a watermark (the
 * catalog's primary key: cheap on any zone), and the current state of given objects. A poll costs one query per
 * watched collection plus one per 100 objects still settling — in proportion to what is new, not to the zone.
 */
public final class ChangeFeed {
    /** One data object as the catalog shows it (a good replica's values); checksum "" when none was computed. */
    public record Seen(long id, String path, long size, long mtime, int replStatus, String owner, String checksum) {
        public Seen(long id, String path, long size, long mtime, int replStatus, String owner) {
            this(id, path, size, mtime, replStatus, owner, "");
        }
    }

    private static final Column[] COLS = {Column.D_DATA_ID, Column.COLL_NAME, Column.DATA_NAME, Column.DATA_SIZE,
        Column.D_MODIFY_TIME, Column.D_REPL_STATUS, Column.D_OWNER_NAME, Column.D_DATA_CHECKSUM};
    private static final int IN_BATCH = 100;

    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final List<String> collections;

    public ChangeFeed(ConnectionPool pool, IrodsAccount account, List<String> collections) {
        this.pool = pool;
        this.account = account;
        this.collections = List.copyOf(collections);
    }

    /** Data objects with an id above {@code watermark} under any watched collection, in id order. */
    public List<Seen> newSince(long watermark) throws IrodsException {
        List<Seen> out = new ArrayList<>();
        for (String c : collections) {
            GenQuery q = GenQuery.select(COLS).orderBy(Column.D_DATA_ID)
                .where(Column.D_DATA_ID, GenQuery.Op.NUM_GT, Long.toString(watermark)).whereCollectionTree(Column.COLL_NAME, c);
            pool.run(account, true, s -> s.query(q, 1000, r -> out.add(row(r))));
        }
        out.sort(java.util.Comparator.comparingLong(Seen::id));
        return fold(out);
    }

    /** Data objects under the watched collections modified after {@code epochSeconds} (changes made elsewhere). */
    public List<Seen> changedSince(long epochSeconds) throws IrodsException {
        List<Seen> out = new ArrayList<>();
        for (String c : collections) {
            GenQuery q = GenQuery.select(COLS).where(Column.D_MODIFY_TIME, GenQuery.Op.GT,
                GenQuery.timeLiteral(epochSeconds)).whereCollectionTree(Column.COLL_NAME, c);
            pool.run(account, true, s -> s.query(q, 1000, r -> out.add(row(r))));
        }
        return fold(out);
    }

    /**
     * What OMERO holds already among the data objects directly in {@code collection}, by their AVUs: path →
     * [omero.fileset, omero.server ("" when none)], for each object carrying {@code omero.fileset} (written by a
     * rodsgate watcher after registering it, or by the OMERO → iRODS direction on what it placed or described). One
     * GenQuery for the collection.
     */
    public java.util.Map<String, String[]> described(String collection) throws IrodsException {
        java.util.Map<String, String[]> out = new java.util.HashMap<>();
        pool.run(account, true, s -> {
            GenQuery q = s.whereCollection(GenQuery.select(Column.DATA_NAME, Column.META_DATA_ATTR_NAME,
                Column.META_DATA_ATTR_VALUE), collection).whereIn(Column.META_DATA_ATTR_NAME,
                List.of("omero.fileset", "omero.server"));
            s.query(q, 1000, r -> {
                String[] v = out.computeIfAbsent(Paths.join(collection, r.get(0)), k -> new String[] {null, ""});
                v[r.get(1).equals("omero.fileset") ? 0 : 1] = r.get(2);
            });
            return null;
        });
        out.values().removeIf(v -> v[0] == null);
        return out;
    }

    /** The AVUs of one data object whose attribute is one of {@code attributes}, as KEY=VALUE pairs. */
    public java.util.Map<String, String> avus(String path, List<String> attributes) throws IrodsException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (attributes.isEmpty()) {
            return out;
        }
        for (org.rodsgate.irods.Avu a : pool.run(account, true, s -> s.listAvus(path, false))) {
            if (attributes.contains(a.attribute()) && !a.value().contains("\n")) {
                out.merge(a.attribute(), a.value(), (x, y) -> x + "; " + y);
            }
        }
        return out;
    }

    /** The current state of these objects (those that still exist). */
    public List<Seen> current(Collection<Long> ids) throws IrodsException {
        List<Seen> out = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        for (Long id : ids) {
            batch.add(Long.toString(id));
            if (batch.size() == IN_BATCH) {
                query(batch, out);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            query(batch, out);
        }
        return fold(out);
    }

    private void query(List<String> ids, List<Seen> out) throws IrodsException {
        GenQuery q = GenQuery.select(COLS).whereIn(Column.D_DATA_ID, List.copyOf(ids));
        pool.run(account, true, s -> s.query(q, 1000, r -> out.add(row(r))));
    }

    private static Seen row(List<String> r) {
        return new Seen(Long.parseLong(r.get(0)), Paths.join(r.get(1), r.get(2)), Long.parseLong(r.get(3)),
            Long.parseLong(r.get(4)), Integer.parseInt(r.get(5)), r.get(6), r.size() > 7 && r.get(7) != null ? r.get(7) : "");
    }

    /**
     * The one write the watcher makes to iRODS: AVU {@code omero.stale} = "UTC time: what changed" on an object whose
     * bytes no longer match what OMERO registered (replacing an earlier mark).
     */
    public void markStale(String path, String what) throws IrodsException {
        String when = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        pool.run(account, true, s -> {
            s.setAvu(path, false, new org.rodsgate.irods.Avu("omero.stale", when + ": " + what, ""));
            return null;
        });
    }

    /** One entry per data object: a good replica wins over others. */
    private static List<Seen> fold(List<Seen> rows) {
        java.util.LinkedHashMap<Long, Seen> m = new java.util.LinkedHashMap<>();
        for (Seen s : rows) {
            m.merge(s.id(), s, (a, b) -> b.replStatus() == 1 && a.replStatus() != 1 ? b : a);
        }
        return new ArrayList<>(m.values());
    }
}

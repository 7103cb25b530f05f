package org.rodsgate.reverse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;
import org.rodsgate.reverse.place.IrodsDescription;

/**
 * What is new in OMERO, for the reverse direction (OMERO → iRODS). Each poll reads, page by page, the filesets
 * above a low watermark — the highest id seen {@code reverse.look_back_seconds} ago, so a fileset whose id
 * committed after a higher one is still read, but no more than {@code reverse.look_back_ids} below the highest id
 * seen, so a back-fill is not read again whole — and the filesets seen earlier whose import had not finished (the
 * pending set, in the ledger). A fileset is finished when its UploadJob is Finished and it has images (OMERO marks
 * only the UploadJob Finished: ManagedImportProcessI.verifyUpload); then it becomes a unit of kind FILESET.
 * A fileset still unfinished {@code reverse.failed_import_minutes} after its creation is a failed import: parked
 * with the reason (shown by status), still looked at, and queued by itself if its images appear later. A poll costs
 * queries in proportion to what is new (the look-back window plus the pending set), not to the size of OMERO.
 * Deletions (EventLog) set {@code omero.deleted} on what the reverse direction placed; nothing is removed.
 */
public final class ReverseFeed {
    private static final Logger LOG = Logger.getLogger(ReverseFeed.class.getName());
    /** Watermark of the fileset ids read (the low end of the look-back window). */
    public static final String FEED = Ledger.REVERSE_FEEDS + "filesets";
    /** Watermark of the EventLog ids of fileset deletions handled. */
    public static final String DELETIONS = Ledger.REVERSE_FEEDS + "deletions";
    /** Park kind of failed imports. */
    public static final String FAILED_IMPORT = "failed-import";

    /** What one poll did. */
    public record Poll(int read, int queued, int importing, int failedImports, int deletions, int queries) {}

    private final ReverseConfig cfg;
    private final OmeroSide omero;
    private final Ledger ledger;
    private final IrodsDescription description;
    private final LongSupplier clock;
    /** (time, highest id seen) of earlier polls: the low watermark moves to the one look_back old. */
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();
    /**
     * Ids in the window already queued (or parked) by this feed: not asked of the ledger again. At most
     * {@code reverse.look_back_ids} plus one poll's new filesets.
     */
    private final Set<Long> known = new HashSet<>();
    /** Filesets no rule applies to, logged once each (bounded like {@link #known}). */
    private final Set<Long> unruled = new HashSet<>();
    private long low = -1;
    private long high = -1;

    public ReverseFeed(ReverseConfig cfg, OmeroSide omero, Ledger ledger, IrodsDescription description,
                       LongSupplier clock) {
        this.cfg = cfg;
        this.omero = omero;
        this.ledger = ledger;
        this.description = description;
        this.clock = clock;
    }

    /** One poll of OMERO: new and pending filesets, then deletions. */
    public synchronized Poll pollOnce() throws Exception {
        long now = clock.getAsLong();
        if (low < 0) {
            if (cfg.startAfter() > 0 && ledger.watermark(FEED) == 0) {
                ledger.advanceWatermark(FEED, cfg.startAfter()); // the first start: no back-fill below this id
            }
            low = ledger.watermark(FEED);
            high = Math.max(high, low);
        }
        int[] counts = new int[6];
        long windowStart = Math.max(low, high - cfg.lookBackIds());
        long after = windowStart;
        while (true) {
            List<OmeroFileset> page = omero.filesetsAfter(after, cfg.pageSize());
            counts[5]++;
            for (OmeroFileset fs : page) {
                counts[0]++;
                consider(fs, now, counts, null);
                after = Math.max(after, fs.id());
            }
            if (page.size() < cfg.pageSize()) {
                break;
            }
        }
        high = Math.max(high, after);
        long below = Math.max(low, high - cfg.lookBackIds());
        known.removeIf(id -> id <= below); // not read again by the window: the set stays within look_back_ids
        unruled.removeIf(id -> id <= below);
        // filesets below the window whose import had not finished when they were seen
        Map<Long, Long> pending = ledger.pending(FEED, windowStart);
        List<Long> ids = new ArrayList<>(pending.keySet());
        for (int i = 0; i < ids.size(); i += cfg.pageSize()) {
            List<Long> batch = ids.subList(i, Math.min(ids.size(), i + cfg.pageSize()));
            List<OmeroFileset> got = omero.filesets(batch);
            counts[5]++;
            Set<Long> alive = new HashSet<>();
            for (OmeroFileset fs : got) {
                alive.add(fs.id());
                counts[0]++;
                consider(fs, now, counts, pending.get(fs.id()));
            }
            List<Long> gone = new ArrayList<>();
            for (Long id : batch) {
                if (!alive.contains(id)) {
                    gone.add(id); // deleted in OMERO before it finished
                }
            }
            ledger.removePending(FEED, gone);
        }
        advance(now);
        if (cfg.deletions()) {
            counts[4] = deletions(counts);
        }
        Poll p = new Poll(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
        ReverseMetrics.poll(p);
        return p;
    }

    /** Moves the low watermark to the highest id seen at least look_back ago; forgets what lies below it. */
    private void advance(long now) throws Exception {
        marks.addLast(new long[] {now, high});
        long target = low;
        while (!marks.isEmpty() && marks.peekFirst()[0] <= now - cfg.lookBack().toMillis()) {
            target = Math.max(target, marks.pollFirst()[1]);
        }
        if (target > low) {
            low = target;
            ledger.advanceWatermark(FEED, low);
            long l = low;
            known.removeIf(id -> id <= l);
            unruled.removeIf(id -> id <= l);
        }
    }

    /**
     * Queues a finished fileset; remembers an unfinished one; reports a failed import. {@code firstSeen}: when it
     * was first seen unfinished (from the pending set), or null.
     */
    private void consider(OmeroFileset fs, long now, int[] counts, Long firstSeen) throws Exception {
        if (known.contains(fs.id())) {
            return;
        }
        String key = Unit.filesetKey(fs.id(), null);
        boolean finished = fs.uploadFinished() && fs.images() > 0;
        String state = ledger.stateOf(key);
        if (state != null) {
            if (!Ledger.PARKED.equals(state) || finished) {
                if (finished && ledger.retryParked(key, FAILED_IMPORT) > 0) {
                    LOG.info(key + " finished after it was reported as a failed import: queued");
                    counts[1]++;
                    ReverseMetrics.fileset("queued");
                }
                known.add(fs.id());
                ledger.removePending(FEED, List.of(fs.id()));
            } else {
                keepLooking(fs, now, firstSeen); // a failed import: queued by itself if it finishes later
            }
            return;
        }
        if (!wanted(fs)) {
            return;
        }
        if (finished) {
            if (ledger.enqueue(Unit.fileset(fs.id(), fs.owner(), null))) {
                LOG.info("queued " + key + " of " + fs.owner() + " (group " + fs.group() + ", " + (fs.inPlace()
                    ? "imported in place" : "transfer " + fs.transfer()) + ")");
                counts[1]++;
                ReverseMetrics.fileset("queued");
            }
            known.add(fs.id());
            ledger.removePending(FEED, List.of(fs.id()));
            return;
        }
        long age = now - fs.createdMillis();
        if (age > cfg.failedImport().toMillis()) {
            String why = "failed import: " + (fs.uploadFinished() ? "upload finished but no images"
                : "upload not finished") + " " + (age / 60_000) + " min after the fileset was created (reported after"
                + " reverse.failed_import_minutes; queued by itself if it finishes later)";
            if (ledger.enqueueParked(Unit.fileset(fs.id(), fs.owner(), null), FAILED_IMPORT, why)) {
                LOG.warning(key + " of " + fs.owner() + ": " + why);
                counts[3]++;
                ReverseMetrics.fileset("failed_import");
            }
        } else {
            counts[2]++;
        }
        keepLooking(fs, now, firstSeen);
    }

    /** Keeps an unfinished fileset in the pending set, until reverse.pending_max_days after it was first seen. */
    private void keepLooking(OmeroFileset fs, long now, Long firstSeen) throws Exception {
        if (firstSeen != null && now - firstSeen > cfg.pendingMax().toMillis()) {
            LOG.info("Fileset:" + fs.id() + " still unfinished after reverse.pending_max_days: no longer looked at"
                + " (`rodsgate retry Fileset:" + fs.id() + "` takes it up)");
            ledger.removePending(FEED, List.of(fs.id()));
        } else {
            ledger.addPending(FEED, List.of(fs.id()));
        }
    }

    /**
     * Whether a fileset is for the reverse direction: a rule applies to its owner or group, or it was imported with
     * a link transfer (perhaps from the mount: the worker decides with its files). Others are logged once.
     */
    private boolean wanted(OmeroFileset fs) {
        if (fs.inPlace() || cfg.ruleFor(fs.owner(), fs.group()) != null) {
            return true;
        }
        if (unruled.add(fs.id())) {
            LOG.info("Fileset:" + fs.id() + " of " + fs.owner() + " (group " + fs.group() + "): no reverse.rules entry"
                + " applies; not placed in iRODS");
        }
        return false;
    }

    /** Fileset deletions in OMERO: {@code omero.deleted} on the objects placed for them. Returns how many. */
    private int deletions(int[] counts) throws Exception {
        long mark = ledger.watermark(DELETIONS);
        int n = 0;
        while (true) {
            List<OmeroSide.Deletion> page = omero.deletionsAfter(mark, cfg.pageSize());
            counts[5]++;
            for (OmeroSide.Deletion d : page) {
                List<String> placed = ledger.filesetDeleted(d.fileset(), d.timeMillis());
                // parked (a failed import, or failures while OMERO was deleting it): taken up again, the worker finds
                // it gone and records it done, instead of it being shown as a problem forever
                String key = Unit.filesetKey(d.fileset(), null);
                ledger.retryParked(key, FAILED_IMPORT);
                ledger.retryParked(key, "attempts");
                if (!placed.isEmpty()) {
                    description.markDeleted(placed, d.timeMillis());
                    LOG.info("Fileset:" + d.fileset() + " was deleted in OMERO: " + placed.size() + " iRODS object(s)"
                        + " marked omero.deleted (kept)");
                    ReverseMetrics.fileset("deleted_in_omero");
                }
                n++;
                mark = d.eventId();
                ledger.advanceWatermark(DELETIONS, mark); // only past a deletion fully handled
            }
            if (page.size() < cfg.pageSize()) {
                return n;
            }
        }
    }
}

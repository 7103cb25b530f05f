package org.rodsgate.reverse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.rodsgate.ledger.Claim;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;

/**
 * OMERO's "save to iRODS" ({@code rodsgate push OBJECT [--to COLLECTION]}): the filesets behind an OMERO object are
 * queued in the ledger like the feed's (so a gateway never places them a second time) and carried out now, in this
 * process. A fileset another gateway is placing right now is left to it; one placed before is reported, not copied
 * again. Failures stay queued with their backoff: a running gateway retries them.
 */
public final class Push {
    /**
     * One fileset's outcome: PLACED, ALREADY (placed before), ELSEWHERE (another gateway has it now), NOT_PLACED (its
     * rule places nothing for it, with the reason), WAITING (its copy window is closed: queued, with the opening
     * time), or FAILED.
     */
    public record Outcome(long fileset, String state, String line, long bytes) {}

    private final Ledger ledger;
    private final OmeroSide omero;
    private final ReverseWorker worker;
    private final String gateway;

    public Push(Ledger ledger, OmeroSide omero, ReverseWorker worker, String gateway) {
        this.ledger = ledger;
        this.omero = omero;
        this.worker = worker;
        this.gateway = gateway;
    }

    /**
     * The filesets of {@code object} ({@code Fileset:ID}, {@code Image:ID}, {@code Dataset:ID}, {@code Project:ID}).
     * IllegalArgumentException naming the object when it has another form; NoSuchFileException naming it when it
     * has no fileset behind it.
     */
    public List<Long> filesets(String object) throws Exception {
        if (!object.matches("(Fileset|Image|Dataset|Project):[0-9]+")) {
            throw new IllegalArgumentException("push: '" + object + "' is not Fileset:ID, Image:ID, Dataset:ID or"
                + " Project:ID");
        }
        List<Long> ids = omero.filesetsOf(object);
        if (ids.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(object, null, "no fileset behind it in OMERO (does it exist? is"
                + " it empty?)");
        }
        return ids;
    }

    /**
     * Places each of {@code ids} (under {@code toCollection} when given, else by the rules); {@code progress} hears
     * of each finished fileset with its outcome and the bytes its files hold.
     */
    public List<Outcome> push(List<Long> ids, String toCollection, BiConsumer<Outcome, Integer> progress)
        throws Exception {
        Map<Long, String> owners = new java.util.HashMap<>();
        for (OmeroFileset fs : omero.filesets(ids)) {
            owners.put(fs.id(), fs.owner());
        }
        List<Outcome> out = new ArrayList<>();
        int i = 0;
        for (Long id : ids) {
            Outcome o = pushOne(id, owners.get(id), toCollection);
            out.add(o);
            progress.accept(o, ++i);
        }
        return out;
    }

    private Outcome pushOne(long id, String owner, String toCollection) throws Exception {
        if (owner == null) {
            return new Outcome(id, "FAILED", "Fileset:" + id + ": not found in OMERO (deleted?)", 0);
        }
        Unit u = Unit.fileset(id, owner, toCollection);
        ledger.enqueue(u);
        Optional<Claim> c = ledger.claimKey(gateway, ReverseWorker.LEASE, u.key());
        if (c.isEmpty()) {
            String state = ledger.stateOf(u.key());
            return Ledger.DONE.equals(state)
                ? new Outcome(id, "ALREADY", u.key() + ": placed in iRODS before (`rodsgate status` lists it)", 0)
                : new Outcome(id, "ELSEWHERE", u.key() + ": being placed by another gateway now", 0);
        }
        ReverseWorker.Result r = worker.work(c.get());
        long bytes = r.placed().stream().mapToLong(p -> p.file().size()).sum();
        return new Outcome(id, switch (r.outcome()) {
            case PLACED -> "PLACED";
            case DELETED_BEFORE_PLACEMENT -> "ALREADY";
            case NOT_PLACED -> "NOT_PLACED";
            case WAITING_FOR_WINDOW -> "WAITING";
            default -> "FAILED";
        }, r.line(), bytes);
    }
}

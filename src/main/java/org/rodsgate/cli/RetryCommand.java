package org.rodsgate.cli;

import java.util.concurrent.Callable;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "retry", description = "Put parked units back in the queue: all, all of one direction, or one by its"
    + " key (an iRODS path for iRODS -> OMERO, Fileset:ID for OMERO -> iRODS).")
final class RetryCommand implements Callable<Integer> {
    @Mixin
    WatchOptions watch;

    @Parameters(arity = "0..1", paramLabel = "KEY", description = "IRODS_PATH or Fileset:ID (as `status` lists it)")
    String key;

    @Option(names = "--direction", paramLabel = "forward|reverse", description = "only this direction's parked units"
        + " (forward: iRODS -> OMERO, reverse: OMERO -> iRODS)")
    String direction;

    @Override
    public Integer call() throws Exception {
        Unit.Direction d = null;
        if (direction != null) {
            try {
                d = Unit.Direction.valueOf(direction.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--direction must be forward or reverse, not '" + direction + "'");
            }
        }
        if (key != null && !key.startsWith("/") && !key.matches("Fileset:[0-9]+( -> /.*)?")) {
            throw new Failures.UsageException("retry: '" + key + "' is not a unit key: an iRODS path (iRODS -> OMERO)"
                + " or Fileset:ID (OMERO -> iRODS), as `rodsgate status --list` shows them");
        }
        try (Ledger l = watch.openLedger()) {
            int n = l.retry(key, d);
            System.out.println(n + " unit(s) queued again");
            if (n == 0 && key != null) {
                Ledger.UnitState u = l.unitState(key);
                if (u == null) {
                    Ledger.ObjectState o = l.objectAt(key);
                    if (o != null) { // a data object the watcher decided about without making it a unit
                        System.err.println("rodsgate: retry: " + key + " is " + o.state() + " (" + o.reason()
                            + "), not a unit: retry queues parked or failing units; to register it anyway,"
                            + " `rodsgate register " + key + "`");
                        return Failures.NOT_FOUND;
                    }
                    System.err.println("rodsgate: retry: no unit " + key + " in the ledger (`rodsgate status --list`"
                        + " lists them)");
                    return Failures.NOT_FOUND;
                }
                System.err.println("rodsgate: retry: " + key + " is not parked: " + why(u, key));
            }
        }
        return Failures.OK;
    }

    /** What the unit is doing instead, and how to run it now where that makes sense. */
    private static String why(Ledger.UnitState u, String key) {
        String next = java.time.Instant.ofEpochMilli(u.nextAttempt()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .toString();
        boolean fileset = key.startsWith("Fileset:");
        String now = fileset ? "; `rodsgate push " + key.replaceFirst(" -> .*", "") + "` runs it now" : "";
        return switch (u.state()) {
            case Ledger.PENDING -> u.lastError() != null ? "it is failing (attempt " + u.attempts() + ", next try "
                + next + "): " + u.lastError() + now : u.nextAttempt() > System.currentTimeMillis()
                ? "it waits until " + next + now : "it is queued and runs at the next chance";
            case Ledger.CLAIMED -> "it is being carried out now";
            case Ledger.DONE -> "it is done" + (u.lastError() != null ? " (" + u.lastError() + ")" : "");
            default -> "its state is " + u.state();
        };
    }
}

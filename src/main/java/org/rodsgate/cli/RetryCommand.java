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
        try (Ledger l = watch.openLedger()) {
            System.out.println(l.retry(key, d) + " unit(s) queued again");
        }
        return Failures.OK;
    }
}

package org.rodsgate.cli;

import java.util.concurrent.Callable;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.watch.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "retry", description = "Put parked units (all, or one by its iRODS path) back in the queue.")
final class RetryCommand implements Callable<Integer> {
    @Mixin
    WatchOptions watch;

    @Parameters(arity = "0..1", paramLabel = "IRODS_PATH")
    String key;

    @Override
    public Integer call() throws Exception {
        try (Ledger l = Gateway.openLedger(watch.loadForLedger(), false)) {
            System.out.println(l.retry(key) + " unit(s) queued again");
        }
        return Failures.OK;
    }
}

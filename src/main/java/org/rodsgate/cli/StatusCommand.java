package org.rodsgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.LedgerStatus;
import org.rodsgate.watch.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Watermark, units by state, last errors, throughput of the ledger.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    WatchOptions watch;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Ledger l = Gateway.openLedger(watch.load(), false)) {
            LedgerStatus s = l.status();
            if (json) {
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(s));
                return 0;
            }
            System.out.println("watermarks:   " + s.watermarks());
            System.out.println("units:        " + s.byState());
            System.out.println("done (1 h):   " + s.doneLastHour());
            if (!s.lastErrors().isEmpty()) {
                System.out.println("last errors:");
                s.lastErrors().forEach(e -> System.out.println("  " + e));
            }
        }
        return 0;
    }
}

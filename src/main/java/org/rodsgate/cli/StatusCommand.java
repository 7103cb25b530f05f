package org.rodsgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.LedgerStatus;
import org.rodsgate.watch.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Watermark, units by state, last errors, throughput of the ledger"
    + " (--config FILE); or what a running mount reports (--mount MOUNTPOINT, as the user who runs it).")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    WatchOptions watch;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--mount", paramLabel = "MOUNTPOINT", description = "ask the running mount at MOUNTPOINT")
    java.nio.file.Path mount;

    @Override
    public Integer call() throws Exception {
        if (mount != null) {
            return mountStatus();
        }
        try (Ledger l = Gateway.openLedger(watch.load())) {
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

    private int mountStatus() throws java.io.IOException {
        String doc = org.rodsgate.status.StatusSocket.read(org.rodsgate.status.StatusSocket.forMount(mount));
        if (json) {
            System.out.println(doc);
            return 0;
        }
        var node = new ObjectMapper().readTree(doc);
        node.fields().forEachRemaining(e -> System.out.printf("%-16s %s%n", e.getKey() + ":",
            e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return 0;
    }
}

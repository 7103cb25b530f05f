package org.rodsgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.LedgerStatus;
import org.rodsgate.ledger.Unit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "For each direction (iRODS -> OMERO, OMERO -> iRODS): watermarks, units"
    + " and data objects by state, last errors, throughput of the ledger (--config FILE); --list shows each data"
    + " object with its state and reason; --mount MOUNTPOINT or --sandbox DIR asks a running mount or sandbox instead"
    + " (as the user who runs it).")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    WatchOptions watch;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--list", arity = "0..1", fallbackValue = "all", paramLabel = "STATE",
        description = "list data objects (iRODS -> OMERO) and OMERO filesets (OMERO -> iRODS) with their state and"
            + " reason: all, or one state — data objects: waiting, excluded, queued, failed, registering, registered,"
            + " parked, stale; filesets: pending, waiting, failing, placing, placed, not-placed, parked, importing")
    String list;

    /** The data objects' states {@code --list} knows (Ledger's effective states). */
    static final java.util.List<String> OBJECT_STATES = java.util.List.of("waiting", "excluded", "queued", "failed",
        "registering", "registered", "parked", "stale");

    @Option(names = "--limit", defaultValue = "10000", description = "at most this many objects listed (${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--mount", paramLabel = "MOUNTPOINT", description = "ask the running mount at MOUNTPOINT")
    java.nio.file.Path mount;

    @Option(names = "--sandbox", paramLabel = "DIR", description = "ask the running sandbox of directory DIR")
    java.nio.file.Path sandbox;

    @Override
    public Integer call() throws Exception {
        Failures.require(limit > 0, "status: --limit must be at least 1, not " + limit);
        Failures.require(mount == null || sandbox == null, "status: --mount and --sandbox exclude each other");
        if (mount != null || sandbox != null) {
            String what = mount != null ? "--mount" : "--sandbox";
            Failures.require(watch.config == null && list == null, "status: " + what + " asks a running "
                + (mount != null ? "mount" : "sandbox") + "; --config and --list read a ledger: give one or the other");
            return daemonStatus(mount != null ? org.rodsgate.status.StatusSocket.forMount(mount)
                : org.rodsgate.status.StatusSocket.forSandbox(sandbox));
        }
        Failures.require(watch.config != null, "status: give the ledger's config with --config FILE, or ask a running"
            + " mount (--mount MOUNTPOINT) or sandbox (--sandbox DIR)");
        Failures.require(list == null || list.equals("all") || OBJECT_STATES.contains(list)
            || Ledger.FILESET_STATES.contains(list), "status --list: no state '" + list + "'; data objects: "
            + String.join(", ", OBJECT_STATES) + "; filesets: " + String.join(", ", Ledger.FILESET_STATES) + "; or all");
        try (Ledger l = watch.openLedger()) {
            if (list != null) {
                String state = list.equals("all") ? null : list;
                for (Ledger.ObjectState o : state == null || OBJECT_STATES.contains(state) ? l.objects(state, limit)
                    : java.util.List.<Ledger.ObjectState>of()) {
                    if (json) {
                        System.out.println(new ObjectMapper().writeValueAsString(o));
                    } else {
                        System.out.println(o.state() + "\t" + o.path() + "\t" + (o.reason() == null ? "" : o.reason()));
                    }
                }
                for (Ledger.FilesetState f : state == null || Ledger.FILESET_STATES.contains(state)
                    ? l.filesets(state, limit) : java.util.List.<Ledger.FilesetState>of()) {
                    if (json) {
                        System.out.println(new ObjectMapper().writeValueAsString(f));
                    } else {
                        System.out.println(f.state() + "\t" + f.key() + "\t" + f.reason());
                    }
                }
                return Failures.OK;
            }
            LedgerStatus s = l.status(Unit.Direction.FORWARD);
            LedgerStatus r = l.status(Unit.Direction.REVERSE);
            if (json) {
                java.util.Map<String, LedgerStatus> both = new java.util.LinkedHashMap<>();
                both.put("forward", s);
                both.put("reverse", r);
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(both));
                return Failures.OK;
            }
            print("iRODS -> OMERO (watch)", s, "data objects: ");
            print("OMERO -> iRODS (reverse)", r, "");
        }
        return Failures.OK;
    }

    private static void print(String title, LedgerStatus s, String objectsLabel) {
        System.out.println(title);
        System.out.println("  watermarks:   " + s.watermarks());
        System.out.println("  units:        " + s.byState());
        if (objectsLabel.isEmpty()) {
            s.objects().forEach((k, v) -> System.out.printf("  %-13s %d%n", k + ":", v));
        } else {
            System.out.println("  " + objectsLabel + s.objects());
        }
        System.out.println("  done (1 h):   " + s.doneLastHour());
        if (!s.lastErrors().isEmpty()) {
            System.out.println("  last errors:");
            s.lastErrors().forEach(e -> System.out.println("    " + e));
        }
    }

    /** What a running mount or sandbox answers on its status socket: JSON as is, or one line per key. */
    private int daemonStatus(java.nio.file.Path socket) throws java.io.IOException {
        String doc;
        try {
            doc = org.rodsgate.status.StatusSocket.read(socket);
        } catch (java.io.IOException e) {
            throw new java.io.IOException("status " + (mount != null ? "--mount " + mount : "--sandbox " + sandbox)
                + ": " + e.getMessage(), e);
        }
        if (json) {
            System.out.println(doc);
            return Failures.OK;
        }
        var node = new ObjectMapper().readTree(doc);
        node.fields().forEachRemaining(e -> System.out.printf("%-16s %s%n", e.getKey() + ":",
            e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return Failures.OK;
    }
}

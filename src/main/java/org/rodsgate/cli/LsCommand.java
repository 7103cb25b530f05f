package org.rodsgate.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description = "List a collection (or show one data object), like ils.")
final class LsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd.HH:mm")
        .withZone(ZoneOffset.UTC);

    @Mixin
    ClientOptions client;

    @Option(names = "-l", description = "long format: owner, size, modification time (UTC)")
    boolean longFormat;

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "collection or data object (default: home)")
    String path;

    @Override
    public Integer call() throws Exception {
        IrodsAccount a = client.account();
        String p = ClientOptions.resolve(a, path);
        try (IrodsSession s = IrodsSession.open(a)) {
            ObjStat st = s.stat(p);
            if (!st.isCollection()) {
                System.out.println(line(st, true));
                return Failures.OK;
            }
            List<ObjStat> entries = s.list(p);
            entries.sort(Comparator.comparing((ObjStat e) -> e.isCollection()).thenComparing(ObjStat::path));
            StringBuilder out = new StringBuilder(p).append(":\n");
            for (ObjStat e : entries) {
                out.append(line(e, false)).append('\n');
            }
            System.out.print(out);
        }
        return Failures.OK;
    }

    private String line(ObjStat e, boolean full) {
        if (e.isCollection()) {
            return "  C- " + e.path();
        }
        String name = full ? e.path() : e.name();
        if (!longFormat) {
            return "  " + name;
        }
        return String.format("  %-10s %12d %s %s", e.owner(), e.size(),
            TIME.format(Instant.ofEpochSecond(e.modifyTime())), name);
    }
}

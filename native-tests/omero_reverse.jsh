// Drives org.rodsgate.omero.OmeroReverse (the reverse direction's OMERO side) against an `omero` command, one
// operation per line of RG_OPS, printing one result line each (used by test_omero_double.sh and bench/reverse-poll.sh).
// Environment: RG_OMERO (the omero executable), RG_OMERO_USER (OS user it runs as), OMERO_DOUBLE_DIR, RG_PAGE,
// RG_OMERO_ADMIN (default root),
// OMERO_PASSWORD (the admin's), RG_OPS lines:
//   after ID LIMIT | ids ID,ID.. | fileset ID | images ID | deletions ID LIMIT | of Kind:ID | download OFID PATH
//   describe USER FILESET IMG,IMG.. KEY=VALUE,KEY=VALUE..
//   poll AFTER EVENT N   (N polls as the reverse feed makes them: filesetsAfter(AFTER, 500) + deletionsAfter(EVENT,
//                         500); prints rows and seconds per poll)
//   catchup PAGE          (filesetsAfter page by page from 0 to the end, as a first poll over an existing OMERO)
import org.rodsgate.omero.*;
import java.util.*;
var settings = new OmeroSettings("localhost", 4064, System.getenv().getOrDefault("RG_OMERO_ADMIN", "root"), System.getenv("OMERO_PASSWORD"), System.getenv("RG_OMERO"),
    System.getenv("RG_OMERO_USER"), null, "File-Size-64", Map.of("OMERO_DOUBLE_DIR", System.getenv("OMERO_DOUBLE_DIR")),
    java.time.Duration.ofMinutes(2), "registered");
var side = new OmeroReverse(new OmeroCli(settings, new SystemProcessRunner(System.getenv("RG_OMERO_USER"))),
    Integer.parseInt(System.getenv().getOrDefault("RG_PAGE", "500")));
for (String line : System.getenv("RG_OPS").split("\n")) {
    String[] a = line.trim().split(" ");
    try {
        switch (a[0]) {
            case "after" -> side.filesetsAfter(Long.parseLong(a[1]), Integer.parseInt(a[2])).forEach(f -> System.out.println("fileset " + f));
            case "ids" -> side.filesets(Arrays.stream(a[1].split(",")).map(Long::valueOf).toList()).forEach(f -> System.out.println("fileset " + f));
            case "fileset" -> System.out.println("with-files " + side.fileset(Long.parseLong(a[1])));
            case "images" -> System.out.println("images " + side.images(Long.parseLong(a[1])));
            case "deletions" -> side.deletionsAfter(Long.parseLong(a[1]), Integer.parseInt(a[2])).forEach(d -> System.out.println("deleted " + d));
            case "of" -> System.out.println("of " + side.filesetsOf(a[1]));
            case "download" -> { side.download(Long.parseLong(a[1]), java.nio.file.Path.of(a[2])); System.out.println("downloaded " + a[2]); }
            case "describe" -> {
                List<Map.Entry<String, String>> pairs = new ArrayList<>();
                for (String kv : a[4].split(",")) { pairs.add(Map.entry(kv.split("=", 2)[0], kv.split("=", 2)[1])); }
                side.describe(a[1], Long.parseLong(a[2]), Arrays.stream(a[3].split(",")).map(Long::valueOf).toList(), pairs);
                System.out.println("described " + a[2]);
            }
            case "poll" -> {
                int n = Integer.parseInt(a[3]);
                long rows = 0, t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    rows += side.filesetsAfter(Long.parseLong(a[1]), 500).size();
                    rows += side.deletionsAfter(Long.parseLong(a[2]), 500).size();
                }
                System.out.printf(Locale.ROOT, "poll rows_per_poll=%.1f seconds_per_poll=%.3f%n", (double) rows / n,
                    (System.nanoTime() - t0) / 1e9 / n);
            }
            case "catchup" -> {
                int pageSize = Integer.parseInt(a[1]);
                long after = 0, rows = 0, pages = 0, t0 = System.nanoTime();
                for (List<org.rodsgate.reverse.OmeroFileset> p; !(p = side.filesetsAfter(after, pageSize)).isEmpty(); pages++) {
                    rows += p.size();
                    after = p.get(p.size() - 1).id();
                }
                System.out.printf(Locale.ROOT, "catchup rows=%d commands=%d seconds=%.1f%n", rows, pages + 1,
                    (System.nanoTime() - t0) / 1e9);
            }
            default -> System.out.println("error unknown op " + a[0]);
        }
    } catch (Exception e) {
        System.out.println("error " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
/exit

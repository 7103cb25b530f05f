// One COPY placement of RG_FILE (IrodsPlacement, as the reverse worker runs it); prints "RESULT <how> <seconds>".
// bench/reverse-kill.sh runs it twice: the first is killed with SIGKILL in the middle, the second continues it.
// Environment: RG_PORT, RG_REPO (a ManagedRepository dir holding k/RG_FILE), RG_FILE, RG_SHA1 (its SHA-1 hex)
import java.nio.file.*;
import java.util.*;
import org.rodsgate.irods.*;
import org.rodsgate.reverse.*;
import org.rodsgate.reverse.place.*;
var acct = IrodsAccount.of("localhost", Integer.parseInt(System.getenv("RG_PORT")), "tempZone", "rods", "rods");
var repo = Path.of(System.getenv("RG_REPO"));
var name = System.getenv("RG_FILE");
long size = Files.size(repo.resolve("k/" + name));
var f = new OmeroOriginalFile(61, "k/", name, size, System.getenv("RG_SHA1"), "SHA1-160", "k/" + name);
var fs = new OmeroFileset(61, "rods", "lab", "k/", "upload", true, 1, 0L, List.of(f));
var rule = new PlacementRule(PlacementRule.Kind.COPY, "/tempZone/home/rods/kill/%fileset%/%name%", null, null, null, 0);
long t0 = System.nanoTime();
try (var pool = new ConnectionPool()) {
    var placed = new IrodsPlacement(pool, acct, repo, null, null, null).place(rule, fs, "rods");
    System.out.println("RESULT " + placed.get(0).how() + " " + (System.nanoTime() - t0) / 1e9);
}
/exit

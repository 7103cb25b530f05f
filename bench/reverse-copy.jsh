// Copy throughput of the reverse direction's COPY placement (IrodsPlacement: hidden work object, SHA-256 and OMERO's
// SHA-1 computed while sending, iRODS's checksum compared, rename) against `rodsgate put` (Main.run, in the same JVM,
// checksum on as by default: SHA-256 while sending, iRODS's checksum compared) of the same file on one sandbox.
// Alternates the two, RG_RUNS times each; prints the median seconds of each and the ratio.
// Environment: RG_PORT, RG_REPO (a ManagedRepository dir holding RG_FILE), RG_FILE, RG_SHA1 (its SHA-1 hex)
import java.nio.file.*;
import java.util.*;
import org.rodsgate.irods.*;
import org.rodsgate.reverse.*;
import org.rodsgate.reverse.place.*;
var acct = IrodsAccount.of("localhost", Integer.parseInt(System.getenv("RG_PORT")), "tempZone", "rods", "rods");
var repo = Path.of(System.getenv("RG_REPO"));
var name = System.getenv("RG_FILE");
long size = Files.size(repo.resolve("bench/" + name));
int runs = Integer.parseInt(System.getenv().getOrDefault("RG_RUNS", "3"));
var pool = new ConnectionPool();
var placement = new IrodsPlacement(pool, acct, repo, null, null, null);
List<Double> copyS = new ArrayList<>(), putS = new ArrayList<>();
for (int i = 0; i < runs; i++) {
    var f = new OmeroOriginalFile(1, "bench/", name, size, System.getenv("RG_SHA1"), "SHA1-160", "bench/" + name);
    var fs = new OmeroFileset(1000 + i, "rods", "bench", "bench/", "upload", true, 1, System.currentTimeMillis(), List.of(f));
    var rule = new PlacementRule(PlacementRule.Kind.COPY, "/tempZone/home/rods/rcopy/%fileset%/%name%", null, null, null, 0);
    long t0 = System.nanoTime();
    var placed = placement.place(rule, fs, "rods");
    copyS.add((System.nanoTime() - t0) / 1e9);
    if (!placed.get(0).how().equals("copied")) throw new IllegalStateException("not copied: " + placed);
    long t1 = System.nanoTime();
    int rc = org.rodsgate.cli.Main.run("put", "-f", repo.resolve("bench/" + name).toString(), "/tempZone/home/rods/rput-" + i + ".bin");
    putS.add((System.nanoTime() - t1) / 1e9);
    if (rc != 0) throw new IllegalStateException("rodsgate put failed: " + rc);
}
Collections.sort(copyS); Collections.sort(putS);
double c = copyS.get(runs / 2), p = putS.get(runs / 2);
System.out.printf("RESULT %.3f %.3f %.3f%n", c, p, p / c);
pool.close();
/exit

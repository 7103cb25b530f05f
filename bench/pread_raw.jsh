// Median latency of 4 KiB reads at random offsets with rodsgate's raw client (seek + read on one open descriptor).
// Environment: RG_PORT, RG_PATH, RG_N
import org.rodsgate.irods.*;
var acct = IrodsAccount.of("localhost", Integer.parseInt(System.getenv("RG_PORT")), "tempZone", "rods", "rods");
var s = IrodsSession.open(acct);
String path = System.getenv("RG_PATH");
int n = Integer.parseInt(System.getenv("RG_N"));
long size = s.stat(path).size();
var f = s.open(path, IrodsSession.O_RDONLY);
var rnd = new java.util.Random(42);
byte[] buf = new byte[4096];
long[] t = new long[n];
for (int i = 0; i < n + 200; i++) {
    long off = (long) (rnd.nextDouble() * (size - 4096));
    long t0 = System.nanoTime();
    s.seek(f.fd(), off, IrodsSession.SEEK_SET);
    s.read(f.fd(), buf, 0, 4096);
    if (i >= 200) t[i - 200] = System.nanoTime() - t0;   // the first 200 warm the JIT
}
java.util.Arrays.sort(t);
System.out.printf("raw_pread_median_us %.1f%n", t[n / 2] / 1000.0);
/exit

#!/usr/bin/env python3
"""Median latency of open+close through the mount, warm (names already looked up): open.py DIR N
Prints: open_read_us, open_write_us (O_WRONLY, nothing written), create_us (O_CREAT|O_EXCL of a new name + close)."""
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2])
path = os.path.join(d, "open-bench.bin")
with open(path, "wb") as f:
    f.write(os.urandom(4096))
os.stat(path)

def median(flags, name=lambda i: path):
    lat = []
    for i in range(n):
        p = name(i)
        t0 = time.perf_counter_ns()
        os.close(os.open(p, flags, 0o644))
        lat.append(time.perf_counter_ns() - t0)
    lat.sort()
    return lat[n // 2] / 1000.0

print("open_read_us %.0f" % median(os.O_RDONLY))
print("open_write_us %.0f" % median(os.O_WRONLY))
print("create_us %.0f" % median(os.O_WRONLY | os.O_CREAT | os.O_EXCL, lambda i: os.path.join(d, "new-%d" % i)))

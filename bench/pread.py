#!/usr/bin/env python3
"""Median latency of 4 KiB preads at random offsets of FILE (through the mount): pread.py FILE N"""
import os, random, sys, time
path, n = sys.argv[1], int(sys.argv[2])
size = os.path.getsize(path)
rnd = random.Random(42)
fd = os.open(path, os.O_RDONLY)
lat = []
for i in range(n + 200):
    off = int(rnd.random() * (size - 4096))
    t0 = time.perf_counter_ns()
    b = os.pread(fd, 4096, off)
    t1 = time.perf_counter_ns()
    assert len(b) == 4096
    if i >= 200:
        lat.append(t1 - t0)
os.close(fd)
lat.sort()
print("mount_pread_median_us %.1f" % (lat[n // 2] / 1000.0))

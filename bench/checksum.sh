#!/usr/bin/env bash
# Cost of the checksum policy: `rodsgate put` of a 1 GiB file with --checksum off and compute, medians of 3.
# Sandbox data on tmpfs (/dev/shm) so that the figures measure hashing, not this machine's disk.
source "$(dirname "$0")/../native-tests/lib.sh"
w="$(mktemp -d /dev/shm/rodsgate-bench-XXXXXX)"
trap 'stop_sandbox; rm -rf "$w"' EXIT
start_sandbox "$w/sb"
dd if=/dev/urandom of="$w/big" bs=8M count=128 status=none
median() { sort -n | sed -n 2p; }
for mode in off compute; do
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$RODSGATE" put -f --checksum "$mode" "$w/big" "/tempZone/home/rods/big-$mode" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
  done | median | sed "s/^/put --checksum $mode, 1 GiB, median of 3 (s): /"
done
"$RODSGATE" stat /tempZone/home/rods/big-compute | grep checksum

#!/usr/bin/env bash
# Cost of the checksum policy on a 1 GiB file, medians of 3: `rodsgate put --checksum off|compute`, and `cp` into
# a mount with mount.checksum off|compute. Sandbox data on tmpfs (/dev/shm), so the figures measure hashing and
# transfer, not this machine's disk.
source "$(dirname "$0")/../native-tests/lib.sh"
w="$(mktemp -d /dev/shm/rodsgate-bench-XXXXXX)"
mnt="$w/mnt"
trap 'stop_mount "$mnt" 2>/dev/null; stop_sandbox; rm -rf "$w"' EXIT
start_sandbox "$w/sb"
dd if=/dev/urandom of="$w/big" bs=8M count=128 status=none
median() { sort -n | sed -n 2p; }
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
for mode in off compute; do
  for _ in 1 2 3; do secs "$RODSGATE" put -f --checksum "$mode" "$w/big" "/tempZone/home/rods/big-$mode"; done \
    | median | sed "s/^/rodsgate put --checksum $mode (s): /"
done
for mode in off compute; do
  printf 'mount:\n  checksum: "%s"\n' "$mode" >"$w/mount-$mode.yaml"
  start_mount "$mnt" --config "$w/mount-$mode.yaml"
  for i in 1 2 3; do secs cp "$w/big" "$mnt/tempZone/home/rods/cp-$mode-$i"; done \
    | median | sed "s/^/cp into the mount, mount.checksum $mode (s): /"
  stop_mount "$mnt"
done
"$RODSGATE" stat /tempZone/home/rods/cp-compute-1 | grep checksum

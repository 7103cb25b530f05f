#!/usr/bin/env bash
# Bench of the mount, everything measured side by side in one run:
#  - sequential read and write of a 1 GiB file: mount vs `rodsgate get`/`put` vs a local-disk copy;
#  - `ls -l` of a 10,000-object collection: cold (iRODS round trips counted by the sandbox) and warm, vs bindfs;
#  - 4 KiB random preads: median latency through the mount vs the raw client (seek + read);
#  - resident memory of the mount daemon while listing 100,000 objects.
# The sandbox keeps its catalog and data in /dev/shm, so that the figures measure rodsgate, not this VM's disk.
# Usage: bench/mount.sh [SIZE_MIB]
source "$(dirname "$0")/../native-tests/lib.sh"
size_mib="${1:-1024}"
shm="$(mktemp -d /dev/shm/rodsgate-bench-XXXXXX)"
mnt="$(mktemp -d /tmp/rodsgate-bench-mnt-XXXXXX)"
bmnt="$(mktemp -d /tmp/rodsgate-bench-bindfs-XXXXXX)"
disk="$(mktemp -d /var/tmp/rodsgate-bench-disk-XXXXXX)"
cleanup() {
  fusermount -u "$mnt" 2>/dev/null || true; fusermount -u "$bmnt" 2>/dev/null || true
  [ -n "${MOUNT_PID:-}" ] && { kill "$MOUNT_PID" 2>/dev/null; wait "$MOUNT_PID" 2>/dev/null; }
  stop_sandbox; pkill -f -- "--dir $shm/sb" 2>/dev/null; rm -rf "$shm" "$disk"; rmdir "$mnt" "$bmnt" 2>/dev/null || true
}
step() { echo "bench: $*" >&2; }
trap cleanup EXIT
"$RODSGATE" --version >/dev/null
start_sandbox "$shm/sb"
# transfer cost alone: no checksum at close or put (its cost is bench/checksum.sh's)
printf 'mount:\n  checksum: "off"\n' >"$shm/mount.yaml"
"$RODSGATE" mount --config "$shm/mount.yaml" "$mnt" >"$shm/mount.log" 2>&1 &
MOUNT_PID=$!
for _ in $(seq 1 200); do grep -q '^ready' "$shm/mount.log" && break; sleep 0.1; done
grep -q '^ready' "$shm/mount.log" || { cat "$shm/mount.log"; fail "mount did not start"; }
home="$mnt/tempZone/home/rods"

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
requests() { sleep 1.2; "$PY" -c "import json; print(json.load(open('$shm/sb/stats.json'))['total'])"; }

step "sequential read and write"
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$shm/src.bin"
pw=(); mw=(); lw=(); pr=(); mr=(); lr=()
for i in 1 2 3; do
  pw+=("$(secs "$RODSGATE" put -f --checksum off "$shm/src.bin" /tempZone/home/rods/put.bin)")
  mw+=("$(secs cp "$shm/src.bin" "$home/mount.bin")")
  lw+=("$(secs cp "$shm/src.bin" "$disk/local.bin")")
  rm -f "$shm/g.bin" "$shm/m.bin" "$shm/l.bin"
  pr+=("$(secs "$RODSGATE" get -f /tempZone/home/rods/put.bin "$shm/g.bin")")
  mr+=("$(secs cp "$home/mount.bin" "$shm/m.bin")")
  lr+=("$(secs cp "$disk/local.bin" "$shm/l.bin")")
done
cmp "$shm/src.bin" "$shm/m.bin" || fail "bytes read through the mount differ"
cmp "$shm/src.bin" "$shm/g.bin" || fail "bytes from rodsgate get differ"
P_W=$(median3 "${pw[@]}"); M_W=$(median3 "${mw[@]}"); L_W=$(median3 "${lw[@]}")
P_R=$(median3 "${pr[@]}"); M_R=$(median3 "${mr[@]}"); L_R=$(median3 "${lr[@]}")
rm -f "$shm/g.bin" "$shm/m.bin" "$shm/l.bin" "$disk/local.bin"

# ls -l of 10,000 objects
step "ls -l of 10,000 objects"
RG_PORT=$PORT RG_COLL=/tempZone/home/rods/many RG_N=10000 jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/populate.jsh" >/dev/null 2>&1
sleep 6   # past the mount's cache TTL and the kernel's timeouts: the next listing is cold
before=$(requests)
LS_COLD=$(secs ls -l "$home/many")
after=$(requests)
LS_RT=$((after - before - 0))
LS_WARM=$(secs ls -l "$home/many")
LS_WARM=$(median3 "$LS_WARM" "$(secs ls -l "$home/many")" "$(secs ls -l "$home/many")")
mkdir -p "$disk/many"; (cd "$disk/many" && seq 0 9999 | sed 's/^/obj-/; s/$/.tif/' | xargs touch)
bindfs "$disk/many" "$bmnt"
ls -l "$bmnt" >/dev/null
B_WARM=$(median3 "$(secs ls -l "$bmnt")" "$(secs ls -l "$bmnt")" "$(secs ls -l "$bmnt")")
fusermount -u "$bmnt"
bindfs --xattr-none "$disk/many" "$bmnt"
ls -l "$bmnt" >/dev/null
B_WARM_NX=$(median3 "$(secs ls -l "$bmnt")" "$(secs ls -l "$bmnt")" "$(secs ls -l "$bmnt")")
fusermount -u "$bmnt"
[ "$(ls "$home/many" | wc -l)" -eq 10000 ] || fail "listing through the mount is incomplete"

# open latency (warm): open+close for reading, for writing, and O_EXCL creates; iRODS requests per read open
step "open latency"
mkdir -p "$home/opens"
OPENS=$("$PY" "$ROOT/bench/open.py" "$home/opens" 200)
O_READ=$(awk '/open_read_us/ {print $2}' <<<"$OPENS"); O_WRITE=$(awk '/open_write_us/ {print $2}' <<<"$OPENS")
O_CREATE=$(awk '/create_us/ {print $2}' <<<"$OPENS")
before=$(requests)
for i in $(seq 1 100); do cat "$home/opens/open-bench.bin" >/dev/null; done
after=$(requests)
O_RT=$(echo "scale=1; ($after - $before) / 100" | bc -l)

# 4 KiB random preads
step "random preads"
MOUNT_PREAD=$("$PY" "$ROOT/bench/pread.py" "$home/mount.bin" 2000 | awk '{print $2}')
RAW_PREAD=$(RG_PORT=$PORT RG_PATH=/tempZone/home/rods/mount.bin RG_N=2000 jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/pread_raw.jsh" 2>/dev/null | awk '/raw_pread_median_us/ {print $2}')

# memory while listing 100,000 objects
step "memory while listing 100,000 objects"
RG_PORT=$PORT RG_COLL=/tempZone/home/rods/huge RG_N=100000 jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/populate.jsh" >/dev/null 2>&1
mpid=$MOUNT_PID   # the launcher execs java: the same process
rss_max=0
ls -l "$home/huge" >/dev/null &
lspid=$!
while kill -0 "$lspid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$mpid/status"); [ "$rss" -gt "$rss_max" ] && rss_max=$rss; sleep 0.1
done
HUGE_COUNT=$(ls "$home/huge" | wc -l)
[ "$HUGE_COUNT" -eq 100000 ] || fail "100,000-object listing shows $HUGE_COUNT"

echo "rodsgate mount bench, $(date -u +%F), $(nproc) cores, ${size_mib} MiB file, medians of 3 (sandbox on tmpfs):"
printf '  %-44s %8.2f s   (mount/raw = %s, mount/local = %s)\n' "sequential write: cp into the mount" "$M_W" "$(ratio "$P_W" "$M_W")" "$(ratio "$L_W" "$M_W")"
printf '  %-44s %8.2f s\n' "sequential write: rodsgate put" "$P_W"
printf '  %-44s %8.2f s\n' "sequential write: cp to local disk" "$L_W"
printf '  %-44s %8.2f s   (mount/raw = %s, mount/local = %s)\n' "sequential read: cp out of the mount" "$M_R" "$(ratio "$P_R" "$M_R")" "$(ratio "$L_R" "$M_R")"
printf '  %-44s %8.2f s\n' "sequential read: rodsgate get" "$P_R"
printf '  %-44s %8.2f s\n' "sequential read: cp from local disk" "$L_R"
printf '  %-44s %8.3f s   (%s iRODS requests)\n' "ls -l 10,000 objects, cold" "$LS_COLD" "$LS_RT"
printf '  %-44s %8.3f s   (%s x bindfs, %s x bindfs --xattr-none)\n' "ls -l 10,000 objects, warm" "$LS_WARM" "$(ratio "$LS_WARM" "$B_WARM")" "$(ratio "$LS_WARM" "$B_WARM_NX")"
printf '  %-44s %8.3f s\n' "ls -l 10,000 local files through bindfs" "$B_WARM"
printf '  %-44s %8.3f s\n' "... through bindfs --xattr-none" "$B_WARM_NX"
printf '  %-44s %8s us  (raw client seek+read: %s us)\n' "4 KiB random pread, median, mount" "$MOUNT_PREAD" "$RAW_PREAD"
printf '  %-44s %8s us  (%s iRODS requests per cat of a 4 KiB file)\n' "open+close for reading, warm, median" "$O_READ" "$O_RT"
printf '  %-44s %8s us\n' "open+close for writing, warm, median" "$O_WRITE"
printf '  %-44s %8s us\n' "create (O_EXCL) + close, median" "$O_CREATE"
printf '  %-44s %8d MB\n' "mount daemon RSS, max while listing 100k" "$((rss_max / 1024))"

#!/usr/bin/env bash
# Bench of large listings through the mount: the daemon's resident memory while `ls -l` lists 100,000 objects,
# and the time of one listing against four at once (cold: caches expired before each run).
# Usage: bench/listing.sh [N]   (RODSGATE_JAVA_OPTS as for any rodsgate command)
source "$(dirname "$0")/../native-tests/lib.sh"
n="${1:-100000}"
shm="$(mktemp -d /dev/shm/rodsgate-bench-XXXXXX)"
mnt="$shm/mnt"
cleanup() { stop_mount "$mnt"; stop_sandbox; rm -rf "$shm"; }
trap cleanup EXIT
start_sandbox "$shm/sb"
echo "bench: creating $n objects" >&2
RG_PORT=$PORT RG_COLL=/tempZone/home/rods/huge RG_N=$n jshell --class-path "$ROOT/target/rodsgate.jar" \
  "$ROOT/bench/populate.jsh" >/dev/null 2>&1
start_mount "$mnt"
mpid=$MOUNT_PID   # the launcher execs java: this is the daemon
H="$mnt/tempZone/home/rods/huge"
rss() { awk '/VmRSS/ {print $2}' "/proc/$mpid/status"; }
# watch RSS while the commands given run; prints "seconds max_rss_kib"
measure() {
  local t0 t1 max=0 r pids=()
  t0=$(date +%s.%N)
  for c in "$@"; do bash -c "$c" >/dev/null & pids+=($!); done
  while :; do
    r=$(rss); [ "$r" -gt "$max" ] && max=$r
    alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 1 ] || break
    sleep 0.1
  done
  for p in "${pids[@]}"; do wait "$p" || fail "listing failed"; done
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $max"
}
sleep 6
[ "$(ls "$H" | wc -l)" -eq "$n" ] || fail "listing shows $(ls "$H" | wc -l) of $n"
sleep 6
read -r one rss1 < <(measure "ls -l '$H'")
[ -z "${RODSGATE_BENCH_HISTO:-}" ] || jcmd "$mpid" GC.class_histogram 2>/dev/null | head -30 >"$RODSGATE_BENCH_HISTO"
sleep 6
read -r four rss4 < <(measure "ls -l '$H'" "ls -l '$H'" "ls -l '$H'" "ls -l '$H'")
echo "rodsgate listing bench, $(date -u +%F), $(nproc) cores, $n objects, cold (caches expired):"
printf '  %-48s %8.2f s, RSS max %d MiB\n' "ls -l, one" "$one" "$((rss1 / 1024))"
printf '  %-48s %8.2f s, RSS max %d MiB (%.2f x one)\n' "ls -l, four at once" "$four" "$((rss4 / 1024))" \
  "$(echo "$four / $one" | bc -l)"
printf '  %-48s %8d MiB\n' "daemon RSS after" "$(($(rss) / 1024))"

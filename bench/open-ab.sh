#!/usr/bin/env bash
# Open latency of two builds side by side, on one sandbox, at the same time (so machine load hits both alike):
# bench/open-ab.sh JAR_A JAR_B [ROUNDS]  — e.g. a build of main and one of a branch. Prints bench/open.py's medians
# (µs) for each build, alternating, ROUNDS times (default 3; the first round includes JIT warm-up).
source "$(dirname "$0")/../native-tests/lib.sh"
jar_a="$1"; jar_b="$2"; rounds="${3:-3}"
work="$(mktemp -d /dev/shm/rodsgate-ab-XXXXXX)"; ma="$work/a"; mb="$work/b"; mkdir -p "$ma" "$mb"
pids=()
cleanup() { fusermount -u "$ma" 2>/dev/null || true; fusermount -u "$mb" 2>/dev/null || true
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; stop_sandbox; rm -rf "$work"; }
trap cleanup EXIT
start_sandbox "$work/sb"
java -jar "$jar_a" mount "$ma" >"$work/a.log" 2>&1 & pids+=($!)
java -jar "$jar_b" mount "$mb" >"$work/b.log" 2>&1 & pids+=($!)
for _ in $(seq 1 200); do grep -q '^ready' "$work/a.log" && grep -q '^ready' "$work/b.log" && break; sleep 0.1; done
grep -q '^ready' "$work/a.log" && grep -q '^ready' "$work/b.log" || fail "mounts did not start"
mkdir -p "$ma/tempZone/home/rods/a" "$ma/tempZone/home/rods/b"
for i in $(seq 1 "$rounds"); do
  echo "A: $("$PY" "$ROOT/bench/open.py" "$ma/tempZone/home/rods/a" 300 | tr '\n' ' ')"
  echo "B: $("$PY" "$ROOT/bench/open.py" "$mb/tempZone/home/rods/b" 300 | tr '\n' ' ')"
  rm -f "$ma/tempZone/home/rods/a/"new-* "$mb/tempZone/home/rods/b/"new-*
done

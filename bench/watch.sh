#!/usr/bin/env bash
# Bench of watch + register with the `omero` double: units registered per second, and catalog queries per poll
# with 100,000 unrelated objects in the zone (must not grow with them).
source "$(dirname "$0")/../native-tests/lib.sh"
[ "$(id -u)" -eq 0 ] || fail "needs root (creates the OMERO OS user)"
work="$(mktemp -d /dev/shm/rodsgate-wbench-XXXXXX)"; chmod 755 "$work"
mnt="$(mktemp -d /tmp/rodsgate-wbench-mnt-XXXXXX)"
cleanup() { [ -n "${gw:-}" ] && kill "$gw" 2>/dev/null; wait 2>/dev/null; fusermount -u "$mnt" 2>/dev/null; pkill -f -- "--dir $work/sb" 2>/dev/null; rm -rf "$work"; rmdir "$mnt" 2>/dev/null || true; }
trap cleanup EXIT
omero_double_setup "$work/omero"
PORT="$(free_port)"
"$RODSGATE" --version >/dev/null
"$RODSGATE" sandbox --dir "$work/sb" --port "$PORT" --mount "$mnt" --omero-cli "$OMERO" --omero-os-user rgtest_omero \
  --omero-env "OMERO_DOUBLE_DIR=$OMERO_DOUBLE_DIR" >"$work/gw.log" 2>&1 &
gw=$!
for _ in $(seq 1 300); do grep -q '^ready' "$work/gw.log" && break; sleep 0.1; done
queries() { "$PY" -c "import json; print(json.load(open('$work/sb/stats.json'))['by_api'].get('702', 0))"; }
per_poll() { local a b; a=$(queries); sleep 20; b=$(queries); echo "scale=1; ($b - $a) / 10" | bc -l; }   # poll every 2 s
Q_EMPTY=$(per_poll)
RG_PORT=$PORT RG_COLL=/tempZone/home/rods/unrelated RG_N=100000 jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/populate.jsh" >/dev/null 2>&1
sleep 4
Q_FULL=$(per_poll)
N=200
t0=$(date +%s.%N)
RG_PORT=$PORT RG_COLL=/tempZone/home/rods/omero/bench/D RG_N=$N jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/populate.jsh" >/dev/null 2>&1
t1=$(date +%s.%N)
count() { om _double dump | "$PY" -c "import json,sys; print(sum(1 for f in json.load(sys.stdin)['filesets'].values() if '/omero/bench/' in f['clientPath'] and f['images']))"; }
while [ "$(count)" -lt "$N" ]; do sleep 0.5; done
t2=$(date +%s.%N)
echo "rodsgate watch bench, $(date -u +%F), $(nproc) cores, omero double, quiet period 5 s, poll 2 s:"
printf '  catalog queries per poll, zone without extra objects:   %s\n' "$Q_EMPTY"
printf '  catalog queries per poll, 100,000 unrelated objects:    %s\n' "$Q_FULL"
printf '  %d units put in %.1f s, all registered %.1f s after the last put: %.1f units/s (including the 5 s quiet period)\n' \
  "$N" "$(echo "$t1 - $t0" | bc -l)" "$(echo "$t2 - $t1" | bc -l)" "$(echo "$N / ($t2 - $t0)" | bc -l)"

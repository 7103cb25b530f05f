#!/usr/bin/env bash
# Two gateways sharing one PostgreSQL ledger watch the same collection: no unit is imported twice.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_watch_shared.sh: no /dev/fuse"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_watch_shared.sh: needs root"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; chmod 755 "$work"
mnt="$work/mnt"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_mount "$mnt"; stop_sandbox
  if [ -n "${own_pg:-}" ] && declare -F run_pg_stop >/dev/null; then run_pg_stop; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${RODSGATE_TEST_PG_URL:-}" ]; then
  eval "$(bash "$ROOT/native-tests/pg-start.sh" "$work/pg")"; own_pg=1
fi
[ -n "${RODSGATE_TEST_PG_URL:-}" ] || { echo "SKIP test_watch_shared.sh: no PostgreSQL server available"; exit 0; }
omero_double_setup "$work/omero"
(umask 077; echo omero >"$work/omero.pw")
start_sandbox "$work/sb"
start_mount "$mnt" --allow-other
for g in A B; do
  cat >"$work/gw$g.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
watch:
  collections: [/tempZone/home/rods/shared]
  mount: $mnt
  quiet_seconds: 2
  poll_seconds: 1
  gateway: gateway-$g
  backoff_seconds: 1
  ledger:
    postgres: {url: "$RODSGATE_TEST_PG_URL", user: "${RODSGATE_TEST_PG_USER:-postgres}", password: ""}
omero:
  cli: $OMERO
  os_user: rgtest_omero
  password_file: omero.pw
  env: {OMERO_DOUBLE_DIR: "$OMERO_DOUBLE_DIR"}
YAML
  "$RODSGATE" watch --config "$work/gw$g.yaml" --env "$work/sb/irods_environment.json" >"$work/gw$g.log" 2>&1 &
  pids+=($!)
done
for g in A B; do
  for _ in $(seq 1 300); do grep -q '^ready' "$work/gw$g.log" && break; sleep 0.1; done
  grep -q '^ready' "$work/gw$g.log" || { cat "$work/gw$g.log"; fail "gateway $g did not start"; }
done
"$PY" - "$PORT" <<'PY'
import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    s.collections.create("/tempZone/home/rods/shared/D")
    for i in range(60):
        o = s.data_objects.create("/tempZone/home/rods/shared/D/s%02d.tif" % i)
        with o.open("w") as f:
            f.write(b"shared %d" % i)
PY
count() { om _double dump | "$PY" -c "import json,sys; print(len({f['clientPath'] for f in json.load(sys.stdin)['filesets'].values() if '/shared/' in f['clientPath'] and f['images']}))"; }
for _ in $(seq 1 120); do [ "$(count)" -ge 60 ] && break; sleep 0.5; done
[ "$(count)" -eq 60 ] || fail "only $(count) of 60 registered"
sleep 3
om _double dump | "$PY" -c "
import json, sys, collections
s = json.load(sys.stdin)
c = collections.Counter(f['clientPath'] for f in s['filesets'].values() if '/shared/' in f['clientPath'])
dup = {k: v for k, v in c.items() if v != 1}
assert not dup, dup
imports = collections.Counter(l['files'][0] for l in s['log'] if '/shared/' in l['files'][0])
assert all(v == 1 for v in imports.values()), 'imported twice: %s' % {k: v for k, v in imports.items() if v > 1}
" || fail "a unit was imported twice"
a=$(grep -c "Fileset:" "$work/gwA.log" || true); b=$(grep -c "Fileset:" "$work/gwB.log" || true)
pass "two gateways on one PostgreSQL ledger: 60 units, each imported once (gateway A: $a, B: $b)"
st="$("$RODSGATE" status --config "$work/gwA.yaml")"
done_count="$(printf '%s' "$st" | grep -o 'done=[0-9]*' | head -1 | cut -d= -f2)"   # the first: iRODS -> OMERO
[ "${done_count:-0}" -ge 60 ] || fail "status: $st"   # the ledger may hold other tests' units too
pass "rodsgate status shows the shared ledger"

# --- issue 8: the ledger's connection survives a PostgreSQL restart (its own server, so it can be restarted)
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
pids=()
eval "$(bash "$ROOT/native-tests/pg-start.sh" "$work/pg2" | sed 's/run_pg_stop/run_pg2_stop/; s/run_pg_restart/run_pg2_restart/')"
[ -n "${RODSGATE_TEST_PG_URL:-}" ] || { echo "SKIP: PostgreSQL restart (no server)"; exit 0; }
trap 'declare -F run_pg2_stop >/dev/null && run_pg2_stop; cleanup' EXIT
sed -e "s#/tempZone/home/rods/shared#/tempZone/home/rods/pgrestart#" -e "s#gateway-A#gateway-C#" \
    -e "s#url: \"[^\"]*\"#url: \"$RODSGATE_TEST_PG_URL\"#" "$work/gwA.yaml" >"$work/gwC.yaml"
"$RODSGATE" watch --config "$work/gwC.yaml" --env "$work/sb/irods_environment.json" >"$work/gwC.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q '^ready' "$work/gwC.log" && break; sleep 0.1; done
grep -q '^ready' "$work/gwC.log" || { cat "$work/gwC.log"; fail "gateway C did not start"; }
put_batch() {
  "$PY" - "$PORT" "$1" <<'PY'
import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    c = "/tempZone/home/rods/pgrestart"
    if not s.collections.exists(c):
        s.collections.create(c)
    for i in range(5):
        o = s.data_objects.create("%s/%s%d.tif" % (c, sys.argv[2], i))
        with o.open("w") as f:
            f.write(b"pg %s %d" % (sys.argv[2].encode(), i))
PY
}
pgcount() { om _double dump | "$PY" -c "import json,sys; print(len({f['clientPath'] for f in json.load(sys.stdin)['filesets'].values() if '/pgrestart/' in f['clientPath'] and f['images']}))"; }
put_batch before
for _ in $(seq 1 120); do [ "$(pgcount)" -ge 5 ] && break; sleep 0.5; done
[ "$(pgcount)" -eq 5 ] || fail "before the restart: only $(pgcount) of 5 registered"
run_pg2_restart || fail "PostgreSQL restart"
sleep 3   # polls meet the dropped connection
put_batch after
for _ in $(seq 1 180); do [ "$(pgcount)" -ge 10 ] && break; sleep 0.5; done
[ "$(pgcount)" -eq 10 ] || fail "after a PostgreSQL restart: only $(pgcount) of 10 registered: $(tail -5 "$work/gwC.log")"
[ "$(grep -c "ledger database .* lost" "$work/gwC.log")" = 1 ] || fail "loss not logged once: $(grep -c "lost" "$work/gwC.log")"
grep -q "ledger database .* reconnected" "$work/gwC.log" || fail "reconnection not logged"
pass "test_watch_ledger_survives_postgres_restart: registration resumed, loss and reconnection logged once each"

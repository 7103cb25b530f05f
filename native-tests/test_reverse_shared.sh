#!/usr/bin/env bash
# OMERO -> iRODS with two gateways on one PostgreSQL ledger (issue 12): a backlog of uploads into the `omero` double
# is shared between them; each fileset is placed and described exactly once, and both gateways take part.
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_reverse_shared.sh: needs root to create the OMERO OS user"; exit 0; }
N="${RODSGATE_TEST_REVERSE_SHARED:-60}"
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_sandbox
  if [ -n "${own_pg:-}" ] && declare -F run_pg_stop >/dev/null; then run_pg_stop; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${RODSGATE_TEST_PG_URL:-}" ]; then
  eval "$(bash "$ROOT/native-tests/pg-start.sh" "$work/pg")"; own_pg=1
fi
[ -n "${RODSGATE_TEST_PG_URL:-}" ] || { echo "SKIP test_reverse_shared.sh: no PostgreSQL server available"; exit 0; }
# a schema of its own: a shared server may hold other runs' ledgers, whose Fileset:N keys name other doubles' filesets
schema="reverse_shared_$$"
hp="$(sed -E 's#^jdbc:postgresql://([^/]+)/.*#\1#' <<<"$RODSGATE_TEST_PG_URL")"
psql="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/psql"
[ -x "$psql" ] || { echo "SKIP test_reverse_shared.sh: no psql to make a schema"; exit 0; }
PGPASSWORD="${RODSGATE_TEST_PG_PASSWORD:-}" "$psql" -q -h "${hp%:*}" -p "${hp##*:}" -U "${RODSGATE_TEST_PG_USER:-postgres}" \
  -d "$(sed -E 's#^jdbc:postgresql://[^/]+/([^?]*).*#\1#' <<<"$RODSGATE_TEST_PG_URL")" -c "CREATE SCHEMA $schema" \
  || fail "cannot create schema $schema"
url="$RODSGATE_TEST_PG_URL$([[ "$RODSGATE_TEST_PG_URL" == *\?* ]] && echo "&" || echo "?")currentSchema=$schema"
omero_double_setup "$work/omero"; om _double user alice x; om _double group alice lab
start_sandbox "$work/sb" --users-file "$(users_file "$work/users" alice:alice-pw)"
(umask 077; echo omero >"$work/omero.pw")
mkdir -p "$work/tmp" "$work/up"; chown rgtest_omero "$work/tmp"
for g in A B; do
  cat >"$work/gw$g.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
reverse:
  repository: $OMERO_DOUBLE_DIR/ManagedRepository
  poll_seconds: 1
  backoff_seconds: 1
  gateway: reverse-$g
  ledger:
    postgres: {url: "$url", user: "${RODSGATE_TEST_PG_USER:-postgres}", password: ""}
  rules:
    - {match: "*", kind: copy, template: "/tempZone/home/%user%/shared-$$/%fileset%/%name%"}
omero:
  cli: $OMERO
  os_user: rgtest_omero
  password_file: omero.pw
  env: {OMERO_DOUBLE_DIR: "$OMERO_DOUBLE_DIR"}
YAML
done
for i in $(seq 1 "$N"); do head -c $((500 + i)) /dev/urandom >"$work/up/s$i.tif"; done; chmod -R a+rX "$work/up"
OMERO_PASSWORD_FOR_OM=omero om import -u alice --sudo root -q --output=yaml --file "$work/tmp/o.yaml" \
  --errs "$work/tmp/e.txt" "$work"/up/s*.tif >/dev/null
grep -o "Fileset: [0-9]*" "$work/tmp/o.yaml" | grep -o '[0-9]*' >"$work/ids"
[ "$(wc -l <"$work/ids")" = "$N" ] || fail "the import made $(wc -l <"$work/ids") filesets"
for g in A B; do
  "$RODSGATE" watch --config "$work/gw$g.yaml" >"$work/gw$g.log" 2>&1 &
  pids+=($!)
done
for g in A B; do
  for _ in $(seq 1 300); do grep -q '^ready' "$work/gw$g.log" && break; sleep 0.1; done
  grep -q '^ready' "$work/gw$g.log" || { cat "$work/gw$g.log"; fail "gateway $g did not start"; }
done
placed() { cat "$work"/gw?.log | grep -c "Fileset:[0-9]* -> /tempZone/home/alice/shared-$$/" || true; }
for _ in $(seq 1 600); do [ "$(placed)" -ge "$N" ] && break; sleep 0.5; done
[ "$(placed)" -ge "$N" ] || { tail -5 "$work"/gw?.log; fail "only $(placed) of $N placed"; }
sleep 3
a="$(grep -c "Fileset:[0-9]* -> /tempZone/home/alice/shared-$$/" "$work/gwA.log" || true)"
b="$(grep -c "Fileset:[0-9]* -> /tempZone/home/alice/shared-$$/" "$work/gwB.log" || true)"
[ "$((a + b))" = "$N" ] || fail "placed $((a + b)) times for $N filesets (A $a, B $b)"
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] || fail "one gateway did all the work (A $a, B $b)"
"$PY" - "$PORT" "$$" "$work/ids" <<'PY' || fail "not exactly once in iRODS"
import sys
from irods.session import iRODSSession
port, run, ids = sys.argv[1:4]
with iRODSSession(host="localhost", port=int(port), user="alice", password="alice-pw", zone="tempZone") as s:
    for fs in open(ids).read().split():
        objs = s.collections.get("/tempZone/home/alice/shared-%s/%s" % (run, fs)).data_objects
        assert len(objs) == 1, (fs, [o.name for o in objs])
PY
om _double dump | "$PY" -c "
import json, sys
s = json.load(sys.stdin)
ids = open('$work/ids').read().split()
for fs in ids:
    img = s['filesets'][fs]['images'][0]
    maps = [l for l in s['links'] if l['parent'] == img and s['annotations'][str(l['child'])]['kind'] == 'MapAnnotation']
    assert len(maps) == 1, (fs, maps)
" || fail "an image was described twice"
pass "two gateways on one PostgreSQL ledger: $N filesets, each placed and described once (gateway A: $a, B: $b)"

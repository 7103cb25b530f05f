#!/usr/bin/env bash
# OMERO -> iRODS, attacked (b12c): config mistakes refused at start naming the setting; a fileset copied (slowly,
# bytes_per_second) into a watched collection whose watch.exclude lacks ".*": neither its hidden work object nor a
# file switched in while the next one still copies is imported back into OMERO; a failed import retried by hand
# before it finished is parked as an import still running, then placed once it finishes (not failed N times and
# parked for good).
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_reverse_attack.sh: no /dev/fuse"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_reverse_attack.sh: needs root to create the OMERO OS user"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; chmod 755 "$work"
mnt="$work/mnt"
gw_pid=
stop_gw() { [ -n "$gw_pid" ] && { kill "$gw_pid" 2>/dev/null; wait "$gw_pid" 2>/dev/null || true; }; gw_pid=; }
trap 'om _double release metadata 2>/dev/null; stop_gw; stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
omero_double_setup "$work/omero"; om _double user alice x; om _double group alice lab
start_sandbox "$work/sb" --users-file "$(users_file "$work/users" alice:alice-pw)"
start_mount "$mnt" --allow-other
(umask 077; echo omero >"$work/omero.pw")
config() { # RULES-YAML: a gateway config watching /tempZone/home/rods (hidden names NOT excluded)
cat >"$work/gw.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
watch:
  collections: [/tempZone/home/rods]
  mount: $mnt
  quiet_seconds: 1
  poll_seconds: 1
  backoff_seconds: 1
  exclude: ["*.tmp"]
  ledger: {sqlite: $work/ledger.db}
reverse:
  repository: $OMERO_DOUBLE_DIR/ManagedRepository
  poll_seconds: 1
  look_back_seconds: 30
  backoff_seconds: 1
  max_attempts: 3
  failed_import_minutes: 0.05
  rules:
$1
omero:
  cli: $OMERO
  os_user: rgtest_omero
  password_file: omero.pw
  env: {OMERO_DOUBLE_DIR: "$OMERO_DOUBLE_DIR"}
YAML
}
import_as() { local u="$1"; shift; OMERO_PASSWORD_FOR_OM=omero om import -u "$u" --sudo root -q --output=yaml \
  --file "$work/tmp/o-$u.yaml" --errs "$work/tmp/e-$u.txt" "$@" >/dev/null
  grep -o "Fileset: [0-9]*" "$work/tmp/o-$u.yaml" | grep -o '[0-9]*'; }
mkdir -p "$work/up" "$work/tmp"; chown rgtest_omero "$work/tmp"

# 1. config mistakes: refused at start, naming the setting
refused() { # WHAT RULES-YAML EXPECTED
  config "$2"
  if "$RODSGATE" watch --config "$work/gw.yaml" >"$work/bad.log" 2>&1; then fail "$1: the gateway started"; fi
  grep -qF -- "$3" "$work/bad.log" || fail "$1: no clear error naming $3: $(cat "$work/bad.log")"
}
refused "template without %fileset%" '    - {match: "*", kind: copy, template: "/tempZone/home/%user%/o/%name%"}' \
  "reverse.rules[0].template '/tempZone/home/%user%/o/%name%' has no %fileset%"
refused "rule after *" '    - {match: "*", kind: copy, template: "/tempZone/o/%fileset%/%name%"}
    - {match: "group:lab", kind: copy, template: "/tempZone/l/%fileset%/%name%"}' \
  "reverse.rules[1] (match 'group:lab') can never apply: reverse.rules[0] (match '*')"
refused "same match twice" '    - {match: "user:alice", kind: copy, template: "/tempZone/a/%fileset%/%name%"}
    - {match: "user:alice", kind: copy, template: "/tempZone/b/%fileset%/%name%"}' \
  "reverse.rules[1] (match 'user:alice') can never apply"
refused "unknown key in a rule" '    - {match: "*", kind: copy, template: "/tempZone/a/%fileset%/%name%", windw: "22:00-06:00"}' \
  "unknown setting 'reverse.rules[0].windw'"
pass "config mistakes (no %fileset%, a rule after *, a repeated match, an unknown key) refused at start, naming the setting"

# 2. rods's fileset copied slowly into the watched collection: nothing of it imported back
config '    - {match: "*", kind: copy, template: "/tempZone/home/%user%/from-omero/%fileset%/%name%", bytes_per_second: 60000}'
start_gw
mkdir -p "$work/up/plate"   # x.htd: a multi-file key, one fileset of two files (each ~5 s at 60 kB/s)
head -c 300000 /dev/urandom >"$work/up/plate/w1.tif"; head -c 300000 /dev/urandom >"$work/up/plate/x.htd"
head -c 3000 /dev/urandom >"$work/up/a-small.tif"; chmod -R a+rX "$work/up"
imports_before="$(dumpq "print(len(s['filesets']))")"
fsr="$(import_as rods "$work/up/plate")"
[ -n "$fsr" ] && [ "$(wc -l <<<"$fsr")" = 1 ] || fail "import of the plate: '$fsr'"
wait_for 60 is_done "$fsr" || { tail -20 "$work/gw.log"; fail "Fileset:$fsr not placed: $(unit_state "$fsr")"; }
sleep 4   # the watcher (quiet 1 s, poll 1 s) has seen what was written
[ "$(dumpq "print(len(s['filesets']))")" = $((imports_before + 1)) ] \
  || fail "something the reverse direction wrote was imported back into OMERO: $(dumpq "print([ [o['name'] for o in f['originalFiles']] for f in s['filesets'].values()])")"
n="$(sql "select count(*) from units where ukey like '%from-omero/$fsr/%'")"
[ "$n" = 0 ] || fail "the watcher queued $n unit(s) of the copy: $(sql "select ukey, state from units where ukey like '%from-omero%'")"
pass "a 2-file fileset copied at 60 kB/s into a watched collection (no '.*' exclude): its work objects and the file switched in first are not imported back"

# 2b. kill -9 mid copy, restarted while the rule's window is closed: the half work object stays (hidden) for hours;
# it is never imported; once the window opens the copy is finished, byte-identical, one object, no work object left
lsobj() { "$PY" -c 'import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    c = "/tempZone/home/rods/from-omero/" + sys.argv[2]
    if s.collections.exists(c):
        for o in s.collections.get(c).data_objects: print(o.name, o.size)' "$PORT" "$1"; }
head -c 600000 /dev/urandom >"$work/up/c-big.tif"; chmod a+r "$work/up/c-big.tif"
fsk="$(import_as rods "$work/up/c-big.tif")"
has_part() { grep -q "^\.rodsgate-part-" <<<"$(lsobj "$fsk")"; }
wait_for 30 has_part || fail "no work object for Fileset:$fsk: $(lsobj "$fsk")"
sleep 2; kill -9 "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=
closed="$(date -d '+2 hour' +%H:00)-$(date -d '+3 hour' +%H:00)"
config "    - {match: \"*\", kind: copy, template: \"/tempZone/home/%user%/from-omero/%fileset%/%name%\", window: \"$closed\"}"
start_gw
sleep 6   # the watcher (quiet 1 s) sees the static half work object
has_part || fail "the work object went while the window is closed: $(lsobj "$fsk")"
[ "$(dumpq "print(len(s['filesets']))")" = $((imports_before + 2)) ] \
  || fail "the half work object was imported into OMERO: $(sql "select path, state, reason from objects where path like '%from-omero/$fsk/%'")"
stop_gw
config '    - {match: "*", kind: copy, template: "/tempZone/home/%user%/from-omero/%fileset%/%name%"}'
start_gw
wait_for 60 is_done "$fsk" || { tail -20 "$work/gw.log"; fail "Fileset:$fsk not placed after the window opened: $(unit_state "$fsk")"; }
[ "$(lsobj "$fsk")" = "c-big.tif 600000" ] || fail "Fileset:$fsk in iRODS: $(lsobj "$fsk")"
"$PY" "$ROOT/native-tests/prc_tool.py" get localhost "$PORT" rods rods tempZone "/tempZone/home/rods/from-omero/$fsk/c-big.tif" "$work/c.back" \
  && cmp -s "$work/c.back" "$work/up/c-big.tif" || fail "Fileset:$fsk not byte-identical"
sleep 3
[ "$(dumpq "print(len(s['filesets']))")" = $((imports_before + 2)) ] || fail "the finished copy was imported back"
pass "kill -9 mid copy, restarted with the window closed: the half work object never imported; then finished once, byte-identical"

# 3. a failed import retried by hand before it finished: parked as still importing, placed when it finishes
om _double hold metadata 1
import_as alice "$work/up/a-small.tif" >/dev/null & imp=$!
for _ in $(seq 1 100); do grep -q "^metadata " <<<"$(om _double held)" && break; sleep 0.1; done
fh="$(om _double held | awk '$1=="metadata"{print $2}')"
[ -n "$fh" ] || fail "the import did not stop before its metadata"
wait_for 30 is_parked "$fh" || fail "Fileset:$fh (no images after 3 s) not reported as a failed import: $(unit_state "$fh")"
"$RODSGATE" retry --config "$work/gw.yaml" "Fileset:$fh" >/dev/null || fail "retry Fileset:$fh"
sleep 8   # beyond 3 attempts with backoff 1, 2 s
st="$(sql "select state, attempts, coalesce(park_kind, '') from units where ukey = 'Fileset:$fh'")"
[ "$st" = "parked|0|failed-import" ] || fail "Fileset:$fh retried before it finished: $st (counted as failures?)"
om _double release metadata; wait "$imp" || fail "held import failed"
wait_for 60 is_done "$fh" || { tail -20 "$work/gw.log"; fail "Fileset:$fh finished after a retry, not placed: $(unit_state "$fh")"; }
pass "Fileset:$fh retried by hand before its import finished: parked as still importing (no attempts spent), placed once finished"

# 4. the forward direction still works with both configured
head -c 1000 /dev/urandom >"$mnt/tempZone/home/rods/fwd.tif"
fwd() { [ "$(sql "select state from units where ukey = '/tempZone/home/rods/fwd.tif'")" = done ]; }
wait_for 60 fwd || fail "the watcher did not import fwd.tif: $(sql "select o.state, o.reason, u.state, u.last_error from objects o left join units u on u.ukey = o.ukey where o.path like '%fwd.tif'")"
pass "the forward direction imports a file put through the mount with both directions configured"

# 5. push of a missing object, a malformed one: a clear error naming it, non-zero exit, nothing queued
# (the gateway is stopped first: its feed would queue the fileset the forward import above made, while we count)
stop_gw
units_before="$(sql "select count(*) from units where kind = 'FILESET'")"
for obj in Dataset:999999 Project:999999 Image:999999 Fileset:999999 Dataset:abc Screen:1; do
  if "$RODSGATE" push --config "$work/gw.yaml" "$obj" >"$work/push.out" 2>"$work/push.err"; then
    fail "push $obj succeeded: $(cat "$work/push.out")"
  fi
  grep -qF -- "$obj" "$work/push.err" || fail "push $obj: the error does not name it: $(cat "$work/push.err" "$work/push.out")"
done
[ "$(sql "select count(*) from units where kind = 'FILESET'")" = "$units_before" ] \
  || fail "a failed push queued something: $(sql "select ukey, state from units where kind = 'FILESET' order by id desc limit 3")"
pass "push of missing (Dataset/Project/Image/Fileset:999999) and malformed objects: an error naming the object, exit non-zero"

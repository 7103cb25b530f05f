#!/usr/bin/env bash
# watch + register, end to end: the sandbox, its mount, and the `omero` double run as a non-root OS user.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_watch.sh: no /dev/fuse"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_watch.sh: needs root to create the OMERO OS user"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; chmod 755 "$work"
mnt="$work/mnt"
omero_double_setup "$work/omero"; om _double user alice x
users_file "$work/users" alice:alice-pw >/dev/null
gw_pid=
start_gateway() {
  PORT="${PORT:-$(free_port)}"
  "$RODSGATE" sandbox --dir "$work/sb" --port "$PORT" --mount "$mnt" --omero-cli "$OMERO" \
    --omero-os-user rgtest_omero --omero-env "OMERO_DOUBLE_DIR=$OMERO_DOUBLE_DIR" --users-file "$work/users" >>"$work/gw.log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 1 300); do grep -q '^ready' "$work/gw.log" && [ "$(grep -c '^ready' "$work/gw.log")" -ge "$1" ] && return 0; sleep 0.1; done
  cat "$work/gw.log"; fail "gateway did not start"
}
stop_gateway() { [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null; wait "$gw_pid" 2>/dev/null || true; fusermount -u "$mnt" 2>/dev/null || true; }
trap 'stop_gateway; rm -rf "$work"' EXIT
start_gateway 1
export IRODS_ENVIRONMENT_FILE="$work/sb/irods_environment.json" IRODS_AUTHENTICATION_FILE="$work/sb/.irodsA"
W=/tempZone/home/rods/omero
put() { "$PY" "$ROOT/native-tests/prc_tool.py" put localhost "$PORT" rods rods tempZone "$1" "$2"; }
state() { om _double dump; }
filesets_for() { state | "$PY" -c "import json,sys; s=json.load(sys.stdin); print(sum(1 for f in s['filesets'].values() if f['clientPath'].endswith(sys.argv[1])))" "$1"; }
wait_for() { # wait_for SECONDS CONDITION...
  local t="$1"; shift
  for _ in $(seq 1 $((t * 5))); do "$@" && return 0; sleep 0.2; done; return 1
}
registered() { [ "$(filesets_for "$1")" -ge 1 ]; }
imported_once() { # imported_once SUFFIX: exactly one fileset with images for that clientPath
  [ "$(state | "$PY" -c "import json,sys; s=json.load(sys.stdin); print(sum(1 for f in s['filesets'].values() if f['clientPath'].endswith(sys.argv[1]) and f['images']))" "$1")" = 1 ]
}
backlog_count() { state | "$PY" -c "import json,sys; print(len({f['clientPath'] for f in json.load(sys.stdin)['filesets'].values() if '/backlog/' in f['clientPath'] and f['images']}))"; }
backlog_at_least() { [ "$(backlog_count)" -ge "$1" ]; }

head -c 200000 /dev/urandom >"$work/a.tif"
"$PY" - "$PORT" <<'PY'
import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    for c in ["P1/D1", "P1/D2/plate", "D3"]:
        s.collections.create("/tempZone/home/rods/omero/" + c)
PY
t0=$(date +%s)
put "$work/a.tif" "$W/P1/D1/a.tif"
wait_for 20 registered "P1/D1/a.tif" || { tail -20 "$work/gw.log"; fail "a.tif not registered within 20 s"; }
echo "   registered $(( $(date +%s) - t0 )) s after the put (quiet period 5 s, poll 2 s)"
state | "$PY" -c "
import json, sys
s = json.load(sys.stdin)
imp = [l for l in s['log'] if l['files'][0].endswith('P1/D1/a.tif')]
assert len(imp) == 1, imp
l = imp[0]
assert l['transfer'] == 'ln_s', l
assert l['uid'] != 0, 'omero ran as root'
assert l['files'][0].startswith('$mnt/'), l
assert l['target'] == 'Project:name:P1/Dataset:name:D1', l
assert l['checksum'] == 'File-Size-64', l
assert l['user'] == 'rods', l
" || fail "the import was not as required"
pass "a file put by python-irodsclient is imported once, in place, as the OS user, through the mount, into P1/D1"
meta="$("$RODSGATE" meta ls "$W/P1/D1/a.tif")"
for a in omero.fileset omero.image omero.server omero.registered; do
  printf '%s\n' "$meta" | grep -q "^$a" || fail "AVU $a missing: $meta"
done
state | "$PY" -c "
import json, sys
s = json.load(sys.stdin)
tags = [k for k, a in s['annotations'].items() if a.get('textValue') == 'registered']
assert len(tags) == 1 and s['links'] and all(l['child'] == int(tags[0]) for l in s['links']), s['links']
" || fail "registered tag"
pass "AVUs omero.fileset/image/server/registered written back; images tagged 'registered'"

# AVUs named in watch.annotate_avus (the sandbox: project.note) become annotations on the images
"$PY" - "$PORT" "$W/D3/noted.tif" <<'PY'
import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    o = s.data_objects.create(sys.argv[2])
    with o.open("w") as f:
        f.write(b"noted")
    s.data_objects.get(sys.argv[2]).metadata.add("project.note", "stained with DAPI")
PY
wait_for 20 registered "D3/noted.tif" || fail "noted.tif not registered"
state | "$PY" -c "
import json, sys
s = json.load(sys.stdin)
fs = [k for k, f in s['filesets'].items() if f['clientPath'].endswith('D3/noted.tif')][0]
im = [i for i in s['images'].values() if str(i['fileset']) == fs][0]
assert ['rodsgate', 'project.note=stained with DAPI'] in im['comments'], im
" || fail "the AVU did not become an annotation"
pass "an AVU named in watch.annotate_avus becomes an annotation on the image"

# a file still being written is not registered until it settles
"$PY" - "$PORT" "$W/D3/slow.tif" <<'PY' &
import sys, time
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    obj = s.data_objects.create(sys.argv[2])
    with obj.open("w") as f:
        for i in range(8):
            f.write(b"x" * 100000); f.flush(); time.sleep(1)
PY
writer=$!
sleep 7
registered "D3/slow.tif" && fail "registered while still being written"
wait "$writer"
wait_for 20 registered "D3/slow.tif" || fail "slow.tif not registered after it settled"
pass "a file still being written is registered only after it settled"

# a multi-file directory is one import
for f in x.htd w1.tif w2.tif; do echo "$f" >"$work/$f"; put "$work/$f" "$W/P1/D2/plate/$f"; done
wait_for 25 registered "plate/x.htd" || fail "plate not registered"
sleep 3
[ "$(state | "$PY" -c "import json,sys; s=json.load(sys.stdin); print(len([l for l in s['log'] if '/plate/' in l['files'][0]]))")" = 1 ] || fail "the plate was imported more than once"
state | "$PY" -c "import json,sys; s=json.load(sys.stdin); f=[f for f in s['filesets'].values() if f['clientPath'].endswith('plate/x.htd')][0]; assert len(f['files'])==3, f" || fail "the plate fileset lacks files"
pass "a multi-file directory (x.htd + 2 TIFFs) is one import"

# OMERO failures: login refused, import failing midway (orphan), session expired -> retried, no duplicates
om _double fail login 1; put "$work/a.tif" "$W/D3/login.tif"
om _double fail midway 1; put "$work/a.tif" "$W/D3/midway.tif"
wait_for 40 registered "D3/login.tif" || fail "login.tif not registered after a refused login"
wait_for 40 imported_once "D3/midway.tif" || fail "midway.tif not registered"
[ "$(filesets_for D3/midway.tif)" = 1 ] || fail "the orphan fileset of the failed import was not removed"
om _double fail expired 1; put "$work/a.tif" "$W/D3/expired.tif"
wait_for 40 registered "D3/expired.tif" || fail "expired.tif not registered"
pass "login refused, failure midway (orphan removed), expired session: retried, each registered once"

# changed after registration (watch.on_change default: stale): overwritten in place, deleted and put again
(umask 077; printf 'omero\n' >"$work/omero-pw")
cat >"$work/sb-status.yaml" <<EOF
watch:
  collections: [$W/]
  ledger: {sqlite: $work/sb/ledger.db}
omero:
  password_file: $work/omero-pw
EOF
status_list() { "$RODSGATE" status --config "$work/sb-status.yaml" --list "$@"; }
stale_avu() { "$RODSGATE" meta ls "$1" | grep -q '^omero.stale'; }
listed() { status_list "$1" | grep -qF "$2"; }
head -c 3000 /dev/urandom >"$work/v1.tif"; head -c 5000 /dev/urandom >"$work/v2.tif"
put "$work/v1.tif" "$W/D3/over.tif"; put "$work/v1.tif" "$W/D3/reput.tif"
wait_for 20 registered "D3/over.tif" && wait_for 20 registered "D3/reput.tif" || fail "over/reput not registered"
wait_for 10 listed registered "$W/D3/over.tif" || fail "status does not list over.tif as registered: $(status_list)"
"$PY" "$ROOT/native-tests/prc_tool.py" overwrite localhost "$PORT" rods rods tempZone "$work/v2.tif" "$W/D3/over.tif"
wait_for 20 stale_avu "$W/D3/over.tif" || { tail -20 "$work/gw.log"; fail "an object overwritten after registration was not marked omero.stale"; }
listed stale "$W/D3/over.tif"$'\t'"changed after registration as Fileset:" \
  || fail "status does not show over.tif as stale with what changed: $(status_list)"
pass "overwritten after registration: AVU omero.stale, status lists it as stale with what changed"
"$PY" "$ROOT/native-tests/prc_tool.py" rm localhost "$PORT" rods rods tempZone - "$W/D3/reput.tif"
put "$work/v2.tif" "$W/D3/reput.tif"
wait_for 20 stale_avu "$W/D3/reput.tif" || { tail -20 "$work/gw.log"; fail "an object deleted and put again was not marked omero.stale"; }
listed stale "$W/D3/reput.tif"$'\t'"deleted and put again after registration as Fileset:" \
  || fail "status does not show reput.tif as stale: $(status_list)"
[ "$(state | "$PY" -c "import json,sys; s=json.load(sys.stdin); print(len([l for l in s['log'] if l['files'][0].endswith('D3/reput.tif')]))")" = 1 ] \
  || fail "the re-put object was imported again although watch.on_change is stale"
pass "deleted and put again under the same name: the new object is marked omero.stale and listed, not skipped"

# kill -9 in the middle of a backlog of 500 units, then restart: every unit registered exactly once
"$PY" - "$PORT" "$W/backlog" <<'PY'
import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    s.collections.create(sys.argv[2])
    for i in range(500):
        o = s.data_objects.create("%s/f%03d.tif" % (sys.argv[2], i))
        with o.open("w") as f:
            f.write(b"img%d" % i)
PY
wait_for 60 backlog_at_least 40 || fail "the backlog did not start"
kill -9 "$gw_pid"; wait "$gw_pid" 2>/dev/null || true
before="$(backlog_count)"
start_gateway 2
wait_for 300 backlog_at_least 500 || fail "not all 500 registered after the restart ($(backlog_count))"
state | "$PY" -c "
import json, sys, collections
s = json.load(sys.stdin)
c = collections.Counter(f['clientPath'] for f in s['filesets'].values() if '/backlog/' in f['clientPath'])
dup = {k: v for k, v in c.items() if v != 1}
assert not dup and len(c) == 500, (len(c), dup)
" || fail "a unit of the backlog was imported twice"
pass "kill -9 after $before of 500, restart: all 500 registered exactly once"

# two watchers with the same configuration (same gateway name) on one SQLite ledger, `rodsgate watch --config`
# reading the config's irods section, a watched collection written with a trailing slash; then the mount goes down
W2=/tempZone/home/rods/watch2
mnt2="$work/mnt2"; mkdir -p "$mnt2"
cat >"$work/mount2.yaml" <<EOF
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
mount:
  allow_other: true
EOF
cat >"$work/watch2.yaml" <<EOF
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
watch:
  collections: [$W2/]
  mount: $mnt2
  quiet_seconds: 2
  poll_seconds: 1
  gateway: same-host
  ledger: {sqlite: $work/ledger2.db}
omero:
  cli: $OMERO
  os_user: rgtest_omero
  password_file: $work/omero-pw
  env: {OMERO_DOUBLE_DIR: $OMERO_DOUBLE_DIR}
EOF
m2_pid=; wa_pid=; wb_pid=
start_mount2() {
  "$RODSGATE" mount --config "$work/mount2.yaml" "$mnt2" >>"$work/mount2.log" 2>&1 &
  m2_pid=$!
  wait_for 30 mountpoint -q "$mnt2" || { cat "$work/mount2.log"; fail "second mount did not start"; }
}
start_watch() { # start_watch LOG: a watcher with no iRODS environment of its own (only the config's irods section)
  env -u IRODS_ENVIRONMENT_FILE -u IRODS_AUTHENTICATION_FILE HOME=/nonexistent \
    "$RODSGATE" watch --config "$work/watch2.yaml" >>"$1" 2>&1 &
}
trap 'kill $wa_pid $wb_pid $m2_pid 2>/dev/null; fusermount -u "$mnt2" 2>/dev/null; stop_gateway; rm -rf "$work"' EXIT
"$PY" - "$PORT" "$W2" <<'PY'
import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    s.collections.create(sys.argv[2] + "/S")
    s.collections.create(sys.argv[2] + "/M")
PY
start_mount2
start_watch "$work/wa.log"; wa_pid=$!
wait_for 30 grep -q '^ready' "$work/wa.log" || { cat "$work/wa.log"; fail "watcher A did not start"; }
om _double delay import 1.5      # each import takes 1.5 s, other omero commands running meanwhile
for i in 1 2 3 4 5 6; do put "$work/a.tif" "$W2/S/s$i.tif"; done
imports_started() { [ "$(state | "$PY" -c "import json,sys; print(len([l for l in json.load(sys.stdin)['log'] if '/watch2/S/' in l['files'][0]]))")" -ge 1 ]; }
wait_for 30 imports_started || { tail "$work/wa.log"; fail "watcher A did not start importing"; }
start_watch "$work/wb.log"; wb_pid=$!   # same config, same gateway name, while A holds a claim
wait_for 30 grep -q '^ready' "$work/wb.log" || { cat "$work/wb.log"; fail "watcher B did not start"; }
all_six() { for i in 1 2 3 4 5 6; do imported_once "watch2/S/s$i.tif" || return 1; done; }
wait_for 60 all_six || { tail "$work/wa.log" "$work/wb.log"; fail "not all six registered by the two watchers"; }
sleep 3
state | "$PY" -c "
import json, sys, collections
s = json.load(sys.stdin)
c = collections.Counter(l['files'][0].rsplit('/', 1)[1] for l in s['log'] if '/watch2/S/' in l['files'][0])
assert sorted(c) == ['s%d.tif' % i for i in range(1, 7)] and set(c.values()) == {1}, c
" || fail "two watchers with the same name imported a file twice"
om _double delay import 0
pass "two watchers with the same gateway name on one SQLite ledger: each of 6 files imported exactly once"

# the mount goes down: a file settling meanwhile waits for it (status says so) and registers when it is back
fusermount -u "$mnt2"; wait "$m2_pid" 2>/dev/null || true
put "$work/a.tif" "$W2/M/down.tif"
cat >"$work/status2.yaml" <<EOF
watch:
  collections: [$W2]
  ledger: {sqlite: $work/ledger2.db}
omero:
  password_file: $work/omero-pw
EOF
waiting_for_mount() { "$RODSGATE" status --config "$work/status2.yaml" --list waiting | grep -qF "$W2/M/down.tif"$'\t'"waiting for the mount: $mnt2"; }
wait_for 20 waiting_for_mount || fail "a file settling while the mount is down is not listed as waiting for it: $("$RODSGATE" status --config "$work/status2.yaml" --list)"
registered "watch2/M/down.tif" && fail "registered although the mount is down"
start_mount2
wait_for 30 registered "watch2/M/down.tif" || { tail "$work/wa.log" "$work/wb.log"; fail "not registered after the mount came back"; }
pass "a file settling while the mount is down waits for it (listed as such), and registers once it is back"

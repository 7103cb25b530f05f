#!/usr/bin/env bash
# OMERO -> iRODS end to end (issue 12): the sandbox and its mount, the `omero` double run as a non-root OS user, one
# gateway running both directions (`rodsgate watch` with a watch and a reverse section) on a SQLite ledger.
# Upload into OMERO -> copied under the template, checksums verified, AVUs, tag and map annotation; in-place import
# from the mount -> described, nothing copied; imports still running untouched; a lower id committed late not lost;
# kill -9 in a backlog -> each fileset exactly once; deletion -> omero.deleted, nothing removed; push Dataset:ID.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_reverse.sh: no /dev/fuse"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_reverse.sh: needs root to create the OMERO OS user"; exit 0; }
BACKLOG="${RODSGATE_TEST_REVERSE_BACKLOG:-300}"   # filesets in the kill -9 backlog (issue 12: 300)
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; chmod 755 "$work"
mnt="$work/mnt"
gw_pid=
stop_gw() { [ -n "$gw_pid" ] && { kill "$gw_pid" 2>/dev/null; wait "$gw_pid" 2>/dev/null || true; }; gw_pid=; }
trap 'stop_gw; stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
omero_double_setup "$work/omero"; om _double user alice x; om _double group alice lab
om _double user bob x; om _double group bob locked
start_sandbox "$work/sb" --users-file "$(users_file "$work/users" alice:alice-pw bob:bob-pw)"
start_mount "$mnt" --allow-other
(umask 077; echo omero >"$work/omero.pw")
W=/tempZone/home/rods/inbox
T=/tempZone/home/alice/from-omero
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
  ledger: {sqlite: $work/ledger.db}
reverse:
  repository: $OMERO_DOUBLE_DIR/ManagedRepository
  poll_seconds: 1
  look_back_seconds: 30
  backoff_seconds: 1
  max_attempts: 4
  rules:
    - {match: "group:locked", kind: copy, template: "/tempZone/home/alice/not-bobs/%fileset%/%name%"}
    - {match: "*", kind: copy, template: "/tempZone/home/%user%/from-omero/%fileset%/%name%"}
omero:
  cli: $OMERO
  os_user: rgtest_omero
  password_file: omero.pw
  env: {OMERO_DOUBLE_DIR: "$OMERO_DOUBLE_DIR"}
YAML
# upload FILE... : a plain upload by alice (as OMERO's importer does: bytes into the ManagedRepository); prints ids
upload() { OMERO_PASSWORD_FOR_OM=omero om import -u alice --sudo root -q --output=yaml --file "$work/tmp/o.yaml" \
  --errs "$work/tmp/e.txt" "$@" >/dev/null; grep -o "Fileset: [0-9]*" "$work/tmp/o.yaml" | grep -o '[0-9]*'; }
# as alice (the copies are hers: own; rods, the gateway's admin, has no ACL on them)
aget() { "$PY" "$ROOT/native-tests/prc_tool.py" get localhost "$PORT" alice alice-pw tempZone "$1" "$2"; }
meta() { "$PY" -c 'import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3], zone="tempZone") as s:
    o = s.data_objects.get(sys.argv[4])
    for m in o.metadata.items(): print(m.name, m.value)
    print("checksum", o.checksum)' "$PORT" "${2:-alice}" "${3:-alice-pw}" "$1"; }
# exists COLLECTION / ls_one COLLECTION: whether it exists / its one data object's path (as rods, a rodsadmin)
exists() { "$PY" -c 'import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    sys.exit(0 if s.collections.exists(sys.argv[2]) else 1)' "$PORT" "$1"; }
ls_one() { "$PY" -c 'import sys
from irods.session import iRODSSession
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="rods", password="rods", zone="tempZone") as s:
    objs = s.collections.get(sys.argv[2]).data_objects
    assert len(objs) == 1, [o.name for o in objs]
    print(objs[0].path)' "$PORT" "$1"; }
b64sha256() { "$PY" -c 'import base64, hashlib, sys; print("sha2:" + base64.b64encode(hashlib.sha256(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"; }
mkdir -p "$work/up" "$work/tmp"; chown rgtest_omero "$work/tmp"
start_gw

# 1. an upload into OMERO: copied under the template within two polls, verified, described on both sides
head -c 300000 /dev/urandom >"$work/up/big.tif"; chmod -R a+rX "$work/up"
t0=$(date +%s.%N)
fs1="$(upload "$work/up/big.tif")"
wait_for 30 is_done "$fs1" || { tail -30 "$work/gw.log"; fail "Fileset:$fs1 not placed: $(unit_state "$fs1")"; }
echo "   placed $("$PY" -c "import time; print(round(time.time() - $t0, 1))") s after the import (poll 1 s)"
p1="$T/$fs1/big.tif"
aget "$p1" "$work/back.tif" && cmp -s "$work/back.tif" "$work/up/big.tif" || fail "the copy differs from the upload"
m="$(meta "$p1")"
grep -qxF "checksum $(b64sha256 "$work/up/big.tif")" <<<"$m" || fail "iRODS checksum of the copy: $m"
for a in "omero.fileset $fs1" "omero.owner alice" "omero.group lab" "omero.server" "omero.clientPath ${work#/}/up/big.tif" \
  "omero.registered" "omero.image"; do
  grep -q "^${a}" <<<"$m" || fail "AVU '$a' missing on $p1: $m"
done
dumpq "
img = s['filesets']['$fs1']['images']
assert len(img) == 1, img
links = [l['child'] for l in s['links'] if l['parent'] == img[0]]
tags = [k for k, a in s['annotations'].items() if a['kind'] == 'TagAnnotation' and a['textValue'] == 'registered']
maps = [a for k, a in s['annotations'].items() if a['kind'] == 'MapAnnotation' and int(k) in links]
assert int(tags[0]) in links, (links, tags)
assert len(maps) == 1 and maps[0]['ns'] == 'rodsgate', maps
assert ['irods.path', '$p1'] in maps[0]['map'] and ['irods.zone', 'tempZone'] in maps[0]['map'], maps
" || fail "tag and map annotation on the image"
pass "an upload into OMERO is copied to $T/$fs1/ byte for byte, iRODS's checksum matches, AVUs, tag + map annotation"

# 2. imported in place from the mount (by the watcher, the other direction): described, nothing copied
"$PY" -c "
from irods.session import iRODSSession
with iRODSSession(host='localhost', port=$PORT, user='rods', password='rods', zone='tempZone') as s:
    s.collections.create('$W/D')"
"$PY" "$ROOT/native-tests/prc_tool.py" put localhost "$PORT" rods rods tempZone "$work/up/big.tif" "$W/D/cell.tif"
fs_in() { dumpq "print(([k for k, f in s['filesets'].items() if any(o['clientPath'].endswith('$W/D/cell.tif') for o in f['originalFiles'])] or [''])[0])"; }
has_fs_in() { [ -n "$(fs_in)" ]; }
wait_for 30 has_fs_in; fs2="$(fs_in)"
[ -n "$fs2" ] || { tail -30 "$work/gw.log"; fail "the watcher did not import $W/D/cell.tif"; }
wait_for 30 is_done "$fs2" || { tail -30 "$work/gw.log"; fail "in-place Fileset:$fs2 not described: $(unit_state "$fs2")"; }
grep -q "^omero.clientPath" <<<"$(meta "$W/D/cell.tif" rods rods)" || fail "the in-place object is not described: $(meta "$W/D/cell.tif" rods rods)"
exists "/tempZone/home/rods/from-omero/$fs2" && fail "an in-place import was copied"
[ "$(sql "select count(*) from reverse_written where fileset = $fs2")" = 0 ] || fail "an in-place import was written"
[ "$(dumpq "print(sum(1 for f in s['filesets'].values() if any(o['clientPath'].endswith('D/cell.tif') for o in f['originalFiles'])))")" = 1 ] \
  || fail "imported into OMERO more than once (a loop)"
pass "an in-place import from the mount is described where it is (omero.clientPath), nothing copied, not imported back"

# 2b. no loop: what the reverse direction copies into a watched collection is not imported back into OMERO
head -c 5000 /dev/urandom >"$work/up/loop.tif"; chmod a+r "$work/up/loop.tif"
fsl="$(OMERO_PASSWORD_FOR_OM=omero om import -u rods --sudo root -q --output=yaml --file "$work/tmp/ol.yaml" \
  --errs "$work/tmp/el.txt" "$work/up/loop.tif" >/dev/null; grep -o "Fileset: [0-9]*" "$work/tmp/ol.yaml" | grep -o '[0-9]*')"
wait_for 30 is_done "$fsl" || fail "Fileset:$fsl (rods's upload) not placed: $(unit_state "$fsl")"
sleep 4   # the watcher (quiet 1 s, poll 1 s) has seen /tempZone/home/rods/from-omero/$fsl/loop.tif
[ "$(dumpq "print(sum(1 for f in s['filesets'].values() for o in f['originalFiles'] if o['name'] == 'loop.tif'))")" = 1 ] \
  || fail "the copy in the watched collection was imported back into OMERO (a loop)"
[ "$(sql "select count(*) from units where ukey like '%from-omero/$fsl/%'")" = 0 ] || fail "the watcher queued the copy"
pass "a copy written into a watched collection (/tempZone/home/rods/from-omero/$fsl) is not imported back"

# 2c. errors: OMERO refusing logins is retried; permission denied in iRODS is retried, parked, shown, retried by hand
fse="$(upload "$work/up/big.tif")"
om _double fail login 3   # the gateway's next three omero commands are refused
wait_for 60 is_done "$fse" || fail "Fileset:$fse not placed after OMERO refused logins: $(unit_state "$fse")"
head -c 2000 /dev/urandom >"$work/up/bob.tif"; chmod a+r "$work/up/bob.tif"
fsb="$(OMERO_PASSWORD_FOR_OM=omero om import -u bob --sudo root -q --output=yaml --file "$work/tmp/ob.yaml" \
  --errs "$work/tmp/eb.txt" "$work/up/bob.tif" >/dev/null; grep -o "Fileset: [0-9]*" "$work/tmp/ob.yaml" | grep -o '[0-9]*')"
wait_for 60 is_parked "$fsb" || fail "Fileset:$fsb (bob may not write there) not parked: $(unit_state "$fsb")"
st="$("$RODSGATE" status --config "$work/gw.yaml")"
grep -q "Fileset:$fsb \[parked, 4 attempts\]: .*CAT_NO_ACCESS_PERMISSION" <<<"$st" || fail "status does not show the parked fileset: $st"
[ "$("$RODSGATE" retry --config "$work/gw.yaml" "Fileset:$fsb")" = "1 unit(s) queued again" ] || fail "retry Fileset:$fsb"
pass "OMERO refusing logins: retried, placed; iRODS permission denied: retried with backoff, parked after 4, shown by status, retry queues it"

# 3. an import still running is not touched: upload unfinished, then no images yet; a lower id committed late
waitheld() { for _ in $(seq 1 100); do grep -q "^$1 " <<<"$(om _double held)" && return 0; sleep 0.1; done; return 1; }
for stage in upload metadata; do
  om _double hold "$stage" 1
  upload "$work/up/big.tif" >/dev/null & imp=$!
  waitheld "$stage" || fail "the import did not stop at $stage"
  fh="$(om _double held | awk -v s="$stage" '$1==s{print $2}')"
  sleep 4   # four polls
  [ -z "$(unit_state "$fh")" ] || fail "Fileset:$fh touched while its import is held at $stage: $(unit_state "$fh")"
  exists "$T/$fh" && fail "Fileset:$fh copied during its $stage"
  om _double release "$stage"; wait "$imp" || fail "held import failed"
  wait_for 30 is_done "$fh" || fail "Fileset:$fh not placed after its $stage finished: $(unit_state "$fh")"
done
pass "an import held in its upload, then one with no images yet: untouched for 4 polls, placed once finished"
om _double hold commit 1
upload "$work/up/big.tif" >/dev/null & imp=$!
waitheld commit || fail "the import did not stop before its commit"
low="$(om _double held | awk '$1=="commit"{print $2}')"
high="$(upload "$work/up/big.tif")"
[ "$high" -gt "$low" ] || fail "ids: $low then $high"
wait_for 30 is_done "$high" || fail "Fileset:$high not placed"
sleep 2
om _double release commit; wait "$imp" || fail "held import failed"
wait_for 30 is_done "$low" || { tail -20 "$work/gw.log"; fail "Fileset:$low, committed after Fileset:$high, was lost"; }
pass "Fileset:$low committed after Fileset:$high (placed first) is not lost"

# 4. deleted in OMERO: omero.deleted on its objects, nothing removed
OMERO_PASSWORD_FOR_OM=omero om delete -u alice --sudo root -q "Fileset:$fs1" >/dev/null
deleted_mark() { grep -q "^omero.deleted" <<<"$(meta "$p1")"; }
wait_for 30 deleted_mark || fail "no omero.deleted on $p1 after OMERO deleted Fileset:$fs1: $(meta "$p1")"
aget "$p1" "$work/back2.tif" && cmp -s "$work/back2.tif" "$work/up/big.tif" || fail "the object changed or went"
pass "a fileset deleted in OMERO: its iRODS object gets omero.deleted and keeps its bytes"

# 5. push Dataset:ID --to a collection, with a progress bar
for i in 1 2 3; do head -c $((100000 * i)) /dev/urandom >"$work/up/p$i.tif"; done; chmod a+r "$work/up"/p*.tif
OMERO_PASSWORD_FOR_OM=omero om import -u alice --sudo root -q -T Dataset:name:PUSHME --output=yaml --file "$work/tmp/op.yaml" \
  --errs "$work/tmp/ep.txt" "$work/up/p1.tif" "$work/up/p2.tif" "$work/up/p3.tif" >/dev/null
ds="$(dumpq "print([k for k, c in s['containers'].items() if c['name'] == 'PUSHME'][0])")"
"$RODSGATE" push --config "$work/gw.yaml" "Dataset:$ds" --to /tempZone/home/alice/saved >"$work/push.out" 2>"$work/push.err" \
  || fail "push failed: $(cat "$work/push.out" "$work/push.err")"
[ "$(grep -c '^PLACED' "$work/push.out")" = 3 ] || fail "push: $(cat "$work/push.out")"
grep -q "push Dataset:$ds" "$work/push.err" || fail "no progress bar on stderr: $(cat "$work/push.err")"
for f in $(grep -o 'Fileset: [0-9]*' "$work/tmp/op.yaml" | grep -o '[0-9]*'); do
  n="$(meta "$(ls_one "/tempZone/home/alice/saved/$f")" | grep -c "^omero.fileset $f$")"; [ "$n" = 1 ] || fail "push: Fileset:$f under saved: $n"
done
pass "push Dataset:$ds --to /tempZone/home/alice/saved places its 3 filesets now (progress bar on stderr)"

# 6. a backlog, kill -9 in its middle, restart: each fileset exactly once, copies byte-identical
stop_gw
mkdir -p "$work/bl"
for i in $(seq 1 "$BACKLOG"); do head -c $((1000 + i)) /dev/urandom >"$work/bl/b$i.tif"; done; chmod -R a+rX "$work/bl"
before="$(sql "select count(*) from units where kind = 'FILESET' and state = 'done'")"
upload "$work"/bl/b*.tif >"$work/bl.ids"
[ "$(wc -l <"$work/bl.ids")" = "$BACKLOG" ] || fail "the backlog import made $(wc -l <"$work/bl.ids") filesets"
start_gw
done_count() { sql "select count(*) from units where kind = 'FILESET' and state = 'done'"; }
some_done() { [ "$(done_count)" -ge $((before + BACKLOG / 4)) ]; }
wait_for 300 some_done || { tail -20 "$work/gw.log"; fail "backlog: $(done_count) done"; }
kill -9 "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=
mid="$(done_count)"
[ "$mid" -lt $((before + BACKLOG)) ] || fail "the backlog was done before the kill"
t1=$(date +%s)
start_gw
all_done() { [ "$(done_count)" -ge $((before + BACKLOG)) ]; }
wait_for 900 all_done || { tail -20 "$work/gw.log"; fail "after the restart: $(done_count) of $((before + BACKLOG)) done"; }
echo "   $((before + BACKLOG - mid)) filesets placed in $(( $(date +%s) - t1 )) s after the restart"
"$PY" - "$PORT" "$T" "$work/bl" "$work/bl.ids" <<'PY' || fail "backlog not exactly once"
import hashlib, sys
from irods.session import iRODSSession
port, T, bl, ids = sys.argv[1:5]
ids = open(ids).read().split()
with iRODSSession(host="localhost", port=int(port), user="alice", password="alice-pw", zone="tempZone") as s:
    names = {}
    for fs in ids:
        c = s.collections.get("%s/%s" % (T, fs))
        objs = [o.name for o in c.data_objects]
        assert len(objs) == 1 and objs[0].startswith("b"), (fs, objs)   # no work object left, no second copy
        o = c.data_objects[0]
        with o.open("r") as f:
            got = f.read()
        assert got == open("%s/%s" % (bl, objs[0]), "rb").read(), (fs, objs[0])
        names[objs[0]] = names.get(objs[0], 0) + 1
    assert len(names) == len(ids) and set(names.values()) == {1}, names
PY
dumpq "
ids = open('$work/bl.ids').read().split()
tag = [int(k) for k, a in s['annotations'].items() if a['kind'] == 'TagAnnotation' and a['textValue'] == 'registered'][0]
for fs in ids:
    img = s['filesets'][fs]['images'][0]
    links = [l['child'] for l in s['links'] if l['parent'] == img]
    maps = [c for c in links if s['annotations'][str(c)]['kind'] == 'MapAnnotation']
    assert links.count(tag) == 1 and len(maps) == 1, (fs, links)
" || fail "an image of the backlog is described twice in OMERO"
pass "kill -9 with $((mid - before)) of $BACKLOG filesets done, restart: each placed once, byte-identical, described once"

# 7. status shows both directions
st="$("$RODSGATE" status --config "$work/gw.yaml")"
grep -q "^OMERO -> iRODS" <<<"$st" && grep -q "reverse-filesets=" <<<"$st" || fail "status: $st"
pass "rodsgate status shows the reverse direction's watermarks and units"

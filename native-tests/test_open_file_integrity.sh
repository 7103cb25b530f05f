#!/usr/bin/env bash
# Issue 7, the open-file lifecycle: no write is lost or corrupted, nothing incomplete looks complete, and POSIX
# promises hold when another client (python-irodsclient, a second mount) shares the data. One section per failing
# input of the issue, named after it; those where the identity mode matters run in both modes.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_open_file_integrity.sh: /dev/fuse is missing"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_open_file_integrity.sh: needs root (local users, a small tmpfs)"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
chmod 755 "$work"
mnt="$work/mnt"; mnt2="$work/mnt2"; mntu="$work/mntu"; tiny="$work/tiny"
for u in rgtest_alice rgtest_bob; do id "$u" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$u"; done
PIDS=()
cleanup() {
  for m in "$mnt" "$mnt2" "$mntu"; do fusermount -u "$m" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  umount "$tiny" 2>/dev/null || true
  stop_sandbox; rm -rf "$work"
}
trap cleanup EXIT
start_sandbox "$work/sb" --users-file "$(users_file "$work/users" "alice:alice-pw" "bob:bob-pw")"
other() { "$PY" "$ROOT/native-tests/prc_other.py" "$PORT" rods rods "$@"; }
other_as() { local u="$1" p="$2"; shift 2; "$PY" "$ROOT/native-tests/prc_other.py" "$PORT" "$u" "$p" "$@"; }
fault() { echo "$1" >"$work/sb/fault-fail"; for _ in $(seq 1 50); do [ -e "$work/sb/fault-fail" ] || return 0; sleep 0.1; done; fail "fault $1 never armed"; }
mkdir -p "$tiny"; mount -t tmpfs -o size=2m tmpfs "$tiny"
cat >"$work/owner.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
mount:
  spill_dir: $work/spill
YAML
cat >"$work/second.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
mount:
  spill_dir: $tiny
YAML
cat >"$work/peruser.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
mount:
  identity: per-user
  spill_dir: $work/spill-u
  user_map:
    rgtest_alice: alice
    rgtest_bob: bob
YAML
start_mount "$mnt" --config "$work/owner.yaml"; MAIN_PID=$MOUNT_PID; PIDS+=("$MOUNT_PID")
start_mount "$mnt2" --config "$work/second.yaml"; PIDS+=("$MOUNT_PID")
start_mount "$mntu" --config "$work/peruser.yaml"; PIDS+=("$MOUNT_PID")
Z=/tempZone/home/rods
H="$mnt$Z"; H2="$mnt2$Z"; A="$mntu/tempZone/home/alice"
L="$work/local"; mkdir -p "$L"
as() { local u="$1"; shift; runuser -u "$u" -- "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# input 1: a failed upload keeps the previous contents, the staged copy, and no lock
head -c $((20 * 1024 * 1024)) /dev/urandom >"$L/big"
cp "$L/big" "$H/big1"
"$PY" - "$H/big1" "$work" <<'PY' || fail "input 1: close after a failed upload did not report an error"
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
os.pwrite(fd, b"EDIT", 10 * 1024 * 1024)
open(sys.argv[2] + "/sb/fault-fail", "w").write("676=-110000x1")
for _ in range(50):
    if not os.path.exists(sys.argv[2] + "/sb/fault-fail"):
        break
    time.sleep(0.1)
try:
    os.close(fd)
except OSError as e:
    print("close failed as it should:", e)
    sys.exit(0)
sys.exit(1)
PY
sleep 0.5
"$RODSGATE" get -f "$Z/big1" "$L/big1.back" >/dev/null || fail "input 1: previous contents unreadable with rodsgate get"
cmp "$L/big" "$L/big1.back" || fail "input 1: iRODS no longer holds the previous contents"
cmp "$L/big" "$H/big1" || fail "input 1: the mount no longer shows the previous contents"
[ "$(other status "$Z/big1")" = 1 ] || fail "input 1: replica not good: $(other status "$Z/big1")"
other openrw "$Z/big1" || fail "input 1: the object stayed locked (a leaked descriptor)"
kept="$(ls "$work/spill" | head -1)"
[ -n "$kept" ] || fail "input 1: the staged spill copy was deleted"
grep -q "kept in $work/spill/$kept" "$mnt.log" || fail "input 1: the log does not say where the staged copy is"
cmp -n 4 -i 0:$((10 * 1024 * 1024)) <(printf EDIT) "$work/spill/$kept" || fail "input 1: the kept copy lacks the edit"
! other ls "$Z" | grep -q rodsgate-part || fail "input 1: a work object was left in iRODS"
pass "input 1: a failed upload reports the error, keeps the previous contents readable and unlocked, and keeps the staged copy (named in the log)"

# ---------------------------------------------------------------------------------------------------------------
# input 2: two mounts edit disjoint ranges of one file: both edits survive or the loser gets an error
head -c 1000000 /dev/urandom >"$L/two"; cp "$L/two" "$H/two"
sleep 0.3
"$PY" - "$H/two" "$H2/two" <<'PY' || fail "input 2: two writers"
import os, sys
a, b = os.open(sys.argv[1], os.O_RDWR), os.open(sys.argv[2], os.O_RDWR)
os.pwrite(a, b"AAAA", 100)
os.pwrite(b, b"BBBB", 500000)
os.close(a)
try:
    os.close(b)
except OSError as e:
    print("the second close reports the conflict:", e)
    sys.exit(0)
sys.exit("both closes returned 0")
PY
got="$(other cat "$Z/two" | head -c 104 | tail -c 4)"
[ "$got" = AAAA ] || fail "input 2: the first close's edit is not in iRODS"
conflict="$(other ls "$Z" | grep '^two\.conflict-' | head -1)"
[ -n "$conflict" ] || fail "input 2: the loser's version was not kept"
[ "$(other cat "$Z/$conflict" | head -c 500004 | tail -c 4)" = BBBB ] || fail "input 2: the kept version lacks the loser's edit"
grep -q "conflict: $Z/two" "$mnt2.log" || fail "input 2: the loser's mount does not log the conflict"
pass "input 2: two writers through two mounts: the first close wins, the second gets EIO and its version is kept as $conflict"

# ---------------------------------------------------------------------------------------------------------------
# input 3: kill -9 of the mount in the middle of a write: the remnant never looks complete
{ head -c $((30 * 1024 * 1024)) /dev/urandom; sleep 30; } | dd of="$H/crash.bin" bs=1M status=none 2>/dev/null &
writer=$!
for _ in $(seq 1 100); do [ "$(stat -c %s "$H/crash.bin" 2>/dev/null || echo 0)" -ge $((30 * 1024 * 1024)) ] && break; sleep 0.1; done
sleep 1
kill -9 "$MAIN_PID"; wait "$MAIN_PID" 2>/dev/null || true
kill "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true
sleep 0.5
start_mount "$mnt" --config "$work/owner.yaml"; MAIN_PID=$MOUNT_PID; PIDS+=("$MOUNT_PID")
[ "$(other status "$Z/crash.bin")" != 1 ] || fail "input 3: the crashed write left a good replica"
if cat "$H/crash.bin" >/dev/null 2>"$work/cat3.err"; then fail "input 3: cat of an incomplete file exited 0"; fi
if "$RODSGATE" get -f "$Z/crash.bin" "$L/crash.back" >/dev/null 2>"$work/get3.err"; then fail "input 3: rodsgate get accepted an incomplete object"; fi
grep -q "no complete replica" "$work/get3.err" || fail "input 3: rodsgate get does not say why: $(cat "$work/get3.err")"
[ "$(stat -c %A "$H/crash.bin")" = "----------" ] || fail "input 3: ls shows the remnant as a readable file: $(stat -c %A "$H/crash.bin")"
rm -f "$H/crash.bin" || fail "input 3: the remnant cannot be removed"
pass "input 3: after kill -9 mid-write the remnant is stale: cat and rodsgate get fail, ls shows no permissions, rm works"

# ---------------------------------------------------------------------------------------------------------------
# inputs 4 and 11, in both identity modes: rename and unlink of files open for (buffered or streamed) writing
rename_unlink_open() {  # DIR (as seen by the user) IRODS_COLL USER(or empty for root)
  local d="$1" coll="$2" u="$3"
  local run=(); [ -z "$u" ] || run=(runuser -u "$u" --)
  "${run[@]}" "$PY" - "$d" <<'PY' || fail "inputs 4/11 in $d"
import os, sys
d = sys.argv[1]
# input 4: random write (spill), rename, write again: everything ends under the new name
with open(d + "/r4", "wb") as f:
    f.write(b"0" * 10000)
fd = os.open(d + "/r4", os.O_RDWR)
os.pwrite(fd, b"EDIT", 1000)
os.rename(d + "/r4", d + "/r4.new")
os.pwrite(fd, b"MORE", 5000)
os.close(fd)
assert not os.path.exists(d + "/r4"), "input 4: the old name came back"
b = open(d + "/r4.new", "rb").read()
assert len(b) == 10000 and b[1000:1004] == b"EDIT" and b[5000:5004] == b"MORE", "input 4: edits lost"
# input 4: unlink with buffered writes: the name is gone at once and stays gone; the handle still works
with open(d + "/u4", "wb") as f:
    f.write(b"1" * 10000)
fd = os.open(d + "/u4", os.O_RDWR)
os.pwrite(fd, b"EDIT", 100)
os.unlink(d + "/u4")
assert not os.path.exists(d + "/u4"), "input 4: unlinked name still there"
assert "u4" not in os.listdir(d), "input 4: unlinked name still listed"
os.pwrite(fd, b"MORE", 200)
assert os.pread(fd, 4, 100) == b"EDIT" and os.pread(fd, 4, 200) == b"MORE", "input 4: unlinked file unusable"
os.close(fd)
assert not os.path.exists(d + "/u4"), "input 4: the unlinked file came back at close"
# input 11: rename and unlink of a file still open for streaming writes (tempfile-then-rename, tmpfile(3))
fd = os.open(d + "/w11.tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b"hello ")
os.rename(d + "/w11.tmp", d + "/w11")
os.write(fd, b"world")
os.close(fd)
assert open(d + "/w11", "rb").read() == b"hello world", "input 11: rename of a file open for writing"
fd = os.open(d + "/t11", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, b"scratch")
os.unlink(d + "/t11")
os.write(fd, b" data")
assert os.pread(fd, 12, 0) == b"scratch data", "input 11: unlinked scratch file unreadable"
os.close(fd)
assert not os.path.exists(d + "/t11"), "input 11: unlinked scratch file came back"
PY
  local names; names="$("$PY" "$ROOT/native-tests/prc_other.py" "$PORT" rods rods ls "$coll")"
  ! printf '%s\n' "$names" | grep -qx 'r4\|u4\|t11' || fail "inputs 4/11: a removed name is still in iRODS: $names"
  ! printf '%s\n' "$names" | grep -q 'rodsgate-gone\|rodsgate-part' || fail "inputs 4/11: work objects left in iRODS: $names"
}
rename_unlink_open "$H" "$Z" ""
pass "inputs 4 and 11 (mount-owner): rename/unlink of files open for writing work like on a local disk"
rename_unlink_open "$A" /tempZone/home/alice rgtest_alice
pass "inputs 4 and 11 (per-user): the same as alice"
# kill -9 while an unlinked file is still open: nothing that looks like user data is left under any name
"$PY" - "$H/k4" >"$work/k4.out" 2>/dev/null <<'PY' &
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b"x" * 100000)
os.unlink(sys.argv[1])
os.pwrite(fd, b"y", 10)
print("ready", flush=True)
time.sleep(60)
PY
holder=$!
for _ in $(seq 1 100); do grep -q ready "$work/k4.out" && break; sleep 0.1; done
grep -q ready "$work/k4.out" || fail "input 4 (crash): setup"
kill -9 "$MAIN_PID"; wait "$MAIN_PID" 2>/dev/null || true
kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
start_mount "$mnt" --config "$work/owner.yaml"; MAIN_PID=$MOUNT_PID; PIDS+=("$MOUNT_PID")
! ls -a "$H" | grep -q 'k4\|rodsgate' || fail "input 4 (crash): an unlinked file or a work object shows: $(ls -a "$H")"
pass "input 4 (crash): kill -9 with an unlinked file open leaves nothing visible that looks like user data"

# ---------------------------------------------------------------------------------------------------------------
# input 5: O_EXCL is decided by iRODS, not by a cached "does not exist"
excl() {  # DIR IRODS_COLL USER PW RUNAS
  local d="$1" coll="$2" user="$3" pw="$4" u="$5"
  local run=(); [ -z "$u" ] || run=(runuser -u "$u" --)
  "${run[@]}" mkdir -p "$d/x"
  "${run[@]}" "$PY" -c "import os,sys; sys.exit(1 if os.path.exists('$d/x/job.lock') else 0)" || fail "input 5: setup"
  other_as "$user" "$pw" put "$coll/x/job.lock" "theirs"
  "${run[@]}" "$PY" - "$d/x/job.lock" <<'PY' || fail "input 5: O_EXCL create succeeded over another client's file in $d"
import errno, os, sys
try:
    os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
except OSError as e:
    sys.exit(0 if e.errno == errno.EEXIST else 2)
sys.exit(1)
PY
  [ "$(other_as "$user" "$pw" cat "$coll/x/job.lock")" = theirs ] || fail "input 5: the other client's file was changed"
  other_as "$user" "$pw" exists "$coll/x/new.lock" && fail "input 5: setup"
  "${run[@]}" "$PY" -c "import os; os.close(os.open('$d/x/new.lock', os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))" \
    || fail "input 5: O_EXCL create of a free name failed"
}
excl "$H" "$Z" rods rods ""
excl "$A" /tempZone/home/alice alice alice-pw rgtest_alice
pass "input 5: O_EXCL gives EEXIST for a file another client created after a cached lookup (both modes)"

# ---------------------------------------------------------------------------------------------------------------
# input 6: O_APPEND lands at iRODS's end at the time of the write
append() {  # DIR IRODS_COLL USER PW RUNAS
  local d="$1" coll="$2" user="$3" pw="$4" u="$5"
  local run=(); [ -z "$u" ] || run=(runuser -u "$u" --)
  "${run[@]}" sh -c "printf 'A\n' > '$d/app6'; stat '$d/app6' >/dev/null"
  other_as "$user" "$pw" append "$coll/app6" $'B\n'
  [ "$("${run[@]}" cat "$d/app6")" = "$(printf 'A\nB')" ] || fail "close-to-open: a read after another client's append is cut to the cached length"
  "${run[@]}" sh -c "printf 'C\n' >> '$d/app6'"
  [ "$(other_as "$user" "$pw" cat "$coll/app6")" = "$(printf 'A\nB\nC')" ] || fail "input 6: iRODS holds $(other_as "$user" "$pw" cat "$coll/app6" | od -c | head -2)"
}
append "$H" "$Z" rods rods ""
append "$A" /tempZone/home/alice alice alice-pw rgtest_alice
pass "input 6: an append after another client's append lands after it, and reads see all of it (both modes)"

# ---------------------------------------------------------------------------------------------------------------
# input 12: a read-only user gets EACCES at open for writing, not at close
as rgtest_alice sh -c "printf 'alice' > '$A/shared12'"
other_as alice alice-pw grant /tempZone/home/alice/shared12 bob read
other_as alice alice-pw grant /tempZone/home/alice bob read
as rgtest_bob "$PY" - "$A/shared12" <<'PY' || fail "input 12: read-only user"
import errno, os, sys
assert open(sys.argv[1], "rb").read() == b"alice"
for flags in (os.O_RDWR, os.O_WRONLY, os.O_WRONLY | os.O_APPEND):
    try:
        fd = os.open(sys.argv[1], flags)
    except OSError as e:
        assert e.errno == errno.EACCES, e
        continue
    sys.exit("open(%o) for writing succeeded for a read-only user" % flags)
PY
[ "$(other_as alice alice-pw cat /tempZone/home/alice/shared12)" = alice ] || fail "input 12: contents changed"
pass "input 12: a read-only user gets EACCES at open for writing"

# ---------------------------------------------------------------------------------------------------------------
# input 13: a full spill directory is ENOSPC, the partial spill is removed, later writes work
head -c $((8 * 1024 * 1024)) /dev/urandom >"$L/big13"; cp "$L/big13" "$H2/big13"
head -c 100000 /dev/urandom >"$L/small13"; cp "$L/small13" "$H2/small13"
"$PY" - "$H2/big13" "$H2/small13" <<'PY' || fail "input 13"
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    os.pwrite(fd, b"X", 4 * 1024 * 1024)
    os.close(fd)
    sys.exit("a random write with a 2 MiB spill directory succeeded for an 8 MiB file")
except OSError as e:
    assert e.errno == errno.ENOSPC, e
try:
    os.close(fd)
except OSError as e:
    assert e.errno == errno.ENOSPC, e
fd = os.open(sys.argv[2], os.O_RDWR)
os.pwrite(fd, b"Y", 5000)
os.close(fd)
PY
[ -z "$(ls -A "$tiny")" ] || fail "input 13: partial spill left behind: $(ls -A "$tiny")"
cmp "$L/big13" "$H2/big13" || fail "input 13: the failed write changed the file"
printf 'Y' | dd of="$L/small13" bs=1 seek=5000 conv=notrunc status=none
cmp "$L/small13" "$H2/small13" || fail "input 13: a later random write was lost"
pass "input 13: a full spill directory gives ENOSPC, the partial spill is removed, later writes work"

#!/usr/bin/env bash
# break7: `cp` over an existing file is a staged new version (SEMANTICS.md, "Safe replacement"): when its upload
# fails, or the mount is killed while it copies, iRODS still holds the previous contents, good and readable.
# Without atomic O_TRUNC the kernel sent a separate truncate(0) that emptied the object first (old bytes lost).
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_mount_overwrite_keeps_previous.sh: /dev/fuse is missing"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; mnt="$work/mnt"
trap 'fusermount -u "$mnt" 2>/dev/null; [ -n "${MOUNT_PID:-}" ] && kill "$MOUNT_PID" 2>/dev/null; stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb"
other() { "$PY" "$ROOT/native-tests/prc_other.py" "$PORT" rods rods "$@"; }
fault() { echo "$1" >"$work/sb/fault-fail"; for _ in $(seq 1 50); do [ -e "$work/sb/fault-fail" ] || return 0; sleep 0.1; done; fail "fault $1 never armed"; }
start_mount "$mnt"
Z=/tempZone/home/rods; H="$mnt$Z"
head -c 300000 /dev/urandom >"$work/old"; head -c 200000 /dev/urandom >"$work/new"

# a failed upload of `cp` over a file
cp "$work/old" "$H/cp-fails"; sleep 0.3
fault "676=-110000x1"
if cp "$work/new" "$H/cp-fails" 2>"$work/cp.err"; then fail "cp over a file exited 0 although its upload failed"; fi
[ "$(other status "$Z/cp-fails")" = 1 ] || fail "failed cp over a file left replica status $(other status "$Z/cp-fails")"
other cat "$Z/cp-fails" | cmp -s - "$work/old" || fail "failed cp over a file destroyed the previous contents"
cmp -s "$work/old" "$H/cp-fails" || fail "the mount does not show the previous contents after a failed cp"
cp "$work/new" "$H/cp-fails" && cmp -s "$work/new" "$H/cp-fails" || fail "cp over a file after the failure"
pass "a failed upload of cp over a file keeps the previous contents"

# kill -9 of the mount while cp writes over a file
cp "$work/old" "$H/cp-crash"; sleep 0.3
{ head -c $((20 * 1024 * 1024)) /dev/urandom; sleep 30; } | cp /dev/stdin "$H/cp-crash" 2>/dev/null &
writer=$!
for _ in $(seq 1 100); do other ls "$Z" | grep -q rodsgate-part && break; sleep 0.1; done
sleep 2
kill -9 "$MOUNT_PID"; wait "$MOUNT_PID" 2>/dev/null || true; MOUNT_PID=
kill "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true
[ "$(other status "$Z/cp-crash")" = 1 ] || fail "kill -9 during cp over a file left replica status $(other status "$Z/cp-crash")"
other cat "$Z/cp-crash" | cmp -s - "$work/old" || fail "kill -9 during cp over a file destroyed the previous contents"
pass "kill -9 of the mount during cp over a file keeps the previous contents"

# an incomplete (stale) object is not made to look complete by writing into it: `>>` fails, `cp` over it works
start_mount "$mnt"
fault "676=-110000x1"
if cp "$work/new" "$H/stale" 2>/dev/null; then fail "cp of a new file exited 0 although its upload failed"; fi
[ "$(other status "$Z/stale")" = 0 ] || fail "a failed upload of a new file left replica status $(other status "$Z/stale")"
if sh -c "echo more >> '$H/stale'" 2>/dev/null; then fail "appending to an incomplete object succeeded"; fi
[ "$(other status "$Z/stale")" = 0 ] || fail "appending to an incomplete object made it look complete"
cp "$work/new" "$H/stale" && cmp -s "$work/new" "$H/stale" || fail "cp over an incomplete object"
[ "$(other status "$Z/stale")" = 1 ] || fail "cp over an incomplete object left replica status $(other status "$Z/stale")"
pass "writing into an incomplete object fails (EIO) instead of making it look complete; replacing it works"

# `>` and `dd of=` over a file open with O_TRUNC, dup2 the descriptor and close the original before writing: that
# close must not switch in the empty version (before: the writes then went in place and a failure lost everything)
cp "$work/old" "$H/redir"; sleep 0.3
fault "676=-110000x1"
sh -c "cat '$work/new' > '$H/redir'" 2>/dev/null || true   # the shell does not report the close's error
[ "$(other status "$Z/redir")" = 1 ] || fail "a failed upload of > over a file left replica status $(other status "$Z/redir")"
other cat "$Z/redir" | cmp -s - "$work/old" || fail "a failed upload of > over a file destroyed the previous contents"
sh -c "cat '$work/new' > '$H/redir'" && cmp -s "$work/new" "$H/redir" || fail "> over a file"
# nothing written: the empty version is switched in at FUSE's release, which the kernel sends after close(2)
# returned (SEMANTICS.md), so another client may see it a moment later: wait for it (bounded)
other_empty() { [ "$(other cat "$Z/redir" | wc -c)" = 0 ]; }
: > "$H/redir"; [ "$(stat -c %s "$H/redir")" = 0 ] || fail ": > f must empty it (mount shows $(stat -c %s "$H/redir") bytes)"
for _ in $(seq 1 50); do other_empty && break; sleep 0.2; done
other_empty || fail ": > f must empty it (another client still reads $(other cat "$Z/redir" | wc -c) bytes after 10 s)"
pass "> over a file: a failed upload keeps the previous contents; : > f empties it"
cp "$work/old" "$H/dd-crash"; sleep 0.3
{ head -c $((20 * 1024 * 1024)) /dev/urandom; sleep 30; } | dd of="$H/dd-crash" bs=1M status=none 2>/dev/null &
writer=$!
sleep 3
kill -9 "$MOUNT_PID"; wait "$MOUNT_PID" 2>/dev/null || true; MOUNT_PID=
kill "$writer" 2>/dev/null || true; wait "$writer" 2>/dev/null || true
[ "$(other status "$Z/dd-crash")" = 1 ] || fail "kill -9 during dd over a file left replica status $(other status "$Z/dd-crash")"
other cat "$Z/dd-crash" | cmp -s - "$work/old" || fail "kill -9 during dd over a file destroyed the previous contents"
pass "kill -9 of the mount during dd of= over a file keeps the previous contents"

# a full spill directory loses the spill's writes: later writes through that open file must fail too, never land
# in place over the object (before: a rewrite from offset 0 streamed into the object, left stale and destroyed)
[ "$(id -u)" -eq 0 ] || { echo "SKIP the full-spill section: needs root for a small tmpfs"; exit 0; }
tiny="$work/tiny"; mkdir -p "$tiny"; mount -t tmpfs -o size=3m tmpfs "$tiny"
trap 'fusermount -u "$mnt" 2>/dev/null; fusermount -u "$work/mnt2" 2>/dev/null; umount "$tiny" 2>/dev/null; stop_sandbox; rm -rf "$work"' EXIT
printf 'irods:\n  environment: %s\n  authentication: %s\nmount:\n  spill_dir: %s\n' \
  "$work/sb/irods_environment.json" "$work/sb/.irodsA" "$tiny" >"$work/tiny.yaml"
start_mount "$work/mnt2" --config "$work/tiny.yaml"
H2="$work/mnt2$Z"
head -c 1000000 /dev/urandom >"$work/one"; cp "$work/one" "$H2/spill-full"; sleep 0.3
"$PY" - "$H2/spill-full" <<'PY' || fail "full spill directory: a write after the lost spill succeeded"
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
os.pwrite(fd, b"E", 100)                          # a spill of 1 MB fits in 3 MiB
try:
    n = os.pwrite(fd, os.urandom(3 << 20), 1 << 20)   # the spill fills up: a short write or ENOSPC
except OSError as e:
    assert e.errno == errno.ENOSPC, e
try:
    os.pwrite(fd, b"R" * (9 << 20), 0)            # a rewrite from the start must not go anywhere
    sys.exit(1)
except OSError as e:
    assert e.errno == errno.ENOSPC, e
try:
    os.close(fd)
except OSError as e:
    assert e.errno == errno.ENOSPC, e
PY
[ "$(other status "$Z/spill-full")" = 1 ] || fail "full spill directory left replica status $(other status "$Z/spill-full")"
other cat "$Z/spill-full" | cmp -s - "$work/one" || fail "full spill directory: the object changed"
[ -z "$(ls -A "$tiny")" ] || fail "full spill directory: a partial spill is left: $(ls -A "$tiny")"
pass "after a spill directory filled up, later writes of that open file fail and the object stays unchanged"

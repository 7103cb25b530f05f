#!/usr/bin/env bash
# A real FUSE mount of the sandbox (or of the real iRODS named by RODSGATE_TEST_IRODS_ENV), driven by real programs.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_mount.sh: /dev/fuse is missing, no FUSE on this machine"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
mnt="$work/mnt"
trap 'stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
irods_target "$work/sb"
start_mount "$mnt"
IH="/$ZONE/home/$IUSER"
if [ "$REAL" = 1 ]; then IH="$IH/rodsgate-nt-$$"; mkdir "$mnt$IH" || fail "mkdir of the test collection $IH"; fi
H="$mnt$IH"
L="$work/local"; mkdir -p "$L"

# basic tools
ls -la "$H" >/dev/null && stat "$H" >/dev/null && pass "ls, stat"
head -c $((50 * 1024 * 1024 + 777)) /dev/urandom >"$work/big.bin"
cp "$work/big.bin" "$H/big.bin" && cmp "$work/big.bin" "$H/big.bin" || fail "cp + cmp"
pass "cp 50 MB in, cmp through the mount"
dd if="$H/big.bin" of="$work/dd.bin" bs=1M status=none && cmp "$work/big.bin" "$work/dd.bin" || fail "dd out"
dd if="$work/big.bin" of="$H/dd.bin" bs=4M status=none && cmp "$work/big.bin" "$H/dd.bin" || fail "dd in"
pass "dd in and out"
mkdir -p "$H/deep/er/est" && [ -d "$H/deep/er/est" ] || fail "mkdir -p"
pass "mkdir -p"

# a tree with odd names: rsync -a, diff -r, find, tar, mv, rm -r
src="$work/tree"; mkdir -p "$src/sub dir/x" "$src/ünï" 
for n in "it's" "a & b" "<angle>" "q\"uote" "spaces  here" "文字.tif" "plain.txt"; do
  head -c $((RANDOM * 7)) /dev/urandom >"$src/sub dir/$n"
  echo "$n" >"$src/ünï/$n"
done
echo small >"$src/x.txt"
rsync -a "$src/" "$H/tree/" || fail "rsync -a into the mount"
diff -r "$src" "$H/tree" || fail "diff -r after rsync"
pass "rsync -a and diff -r with quotes, &, <, spaces, unicode"
[ "$(find "$H/tree" -type f | wc -l)" -eq "$(find "$src" -type f | wc -l)" ] || fail "find counts differ"
[ "$(find "$H/tree" -name "*.tif" | wc -l)" -eq 2 ] || fail "find -name"
pass "find"
(cd "$H" && tar cf "$work/t.tar" tree) && mkdir "$work/untar" && tar xf "$work/t.tar" -C "$work/untar" || fail "tar from mount"
diff -r "$src" "$work/untar/tree" || fail "tar round trip"
tar xf "$work/t.tar" -C "$H/deep" && diff -r "$src" "$H/deep/tree" || fail "tar into the mount"
pass "tar out of and into the mount"
mv "$H/tree/sub dir" "$H/tree/moved dir" && [ -f "$H/tree/moved dir/it's" ] && [ ! -e "$H/tree/sub dir" ] || fail "mv dir"
echo new >"$work/new.txt"; cp "$work/new.txt" "$H/tree/x.txt.tmp"; mv -f "$H/tree/x.txt.tmp" "$H/tree/x.txt"
[ "$(cat "$H/tree/x.txt")" = new ] || fail "mv over an existing file"
pass "mv of a directory and over a file"
rm -r "$H/tree" "$H/deep" && [ ! -e "$H/tree" ] || fail "rm -r"
pass "rm -r"

# truncate, append, utimes
printf 'hello world' >"$H/t.txt"; truncate -s 5 "$H/t.txt"; [ "$(cat "$H/t.txt")" = hello ] || fail "truncate shrink"
truncate -s 8 "$H/t.txt"; [ "$(stat -c %s "$H/t.txt")" = 8 ] || fail "truncate grow"
printf 'one\n' >"$H/log"; printf 'two\n' >>"$H/log"; [ "$(cat "$H/log")" = "$(printf 'one\ntwo')" ] || fail "append"
touch -d '2001-02-03 04:05:06 UTC' "$H/log"; [ "$(stat -c %Y "$H/log")" = 981173106 ] || fail "touch -d"
pass "truncate, append, touch -d"

# extended attributes = AVUs
setfattr -n user.project -v "P1 & <x>" "$H/log" || fail "setfattr"
[ "$(getfattr --absolute-names --only-values -n user.project "$H/log")" = "P1 & <x>" ] || fail "getfattr"
getfattr --absolute-names -n user.irods.checksum "$H/big.bin" | grep -q 'sha2:' || fail "checksum xattr"
"$RODSGATE" meta ls "$IH/log" | grep -q "^project" || fail "the xattr is not an AVU in iRODS"
setfattr -x user.project "$H/log" && ! getfattr --absolute-names -n user.project "$H/log" 2>/dev/null || fail "setfattr -x"
pass "setfattr/getfattr are AVUs; user.irods.checksum"

# python: random preads and random writes, compared with a local copy
cp "$work/big.bin" "$L/rw.bin"; cp "$work/big.bin" "$H/rw.bin"
/usr/bin/python3 - "$H/rw.bin" "$L/rw.bin" <<'PY' || fail "python random I/O"
import os, random, sys
m, l = sys.argv[1], sys.argv[2]
r = random.Random(7)
size = os.path.getsize(l)
fm, fl = os.open(m, os.O_RDWR), os.open(l, os.O_RDWR)
for i in range(300):
    off, n = r.randrange(0, size), r.choice([1, 100, 4096, 65536, 1 << 20])
    assert os.pread(fm, n, off) == os.pread(fl, n, off), ("pread", off, n)
for i in range(200):
    off = r.randrange(0, size + 10000); b = os.urandom(r.choice([1, 512, 4096, 70000]))
    os.pwrite(fm, b, off); os.pwrite(fl, b, off)
os.close(fm); os.close(fl)
assert open(m, 'rb').read() == open(l, 'rb').read(), "after random writes"
PY
pass "python3 random preads and writes match a local copy"

# fio with verification
fio --name=verify --filename="$H/fio.bin" --size=32M --bs=64k --rw=write --verify=crc32c --do_verify=1 \
  --ioengine=psync --verify_state_save=0 --output="$work/fio.out" || { cat "$work/fio.out"; fail "fio sequential write + verify"; }
fio --name=randverify --filename="$H/fio2.bin" --size=8M --bs=4k --rw=randwrite --verify=crc32c --do_verify=1 \
  --ioengine=psync --verify_state_save=0 --output="$work/fio2.out" || { cat "$work/fio2.out"; fail "fio random write + verify"; }
pass "fio write and random write with crc32c verification"

# hard links and symlinks inside: a clear errno; a symlink outside pointing in (as OMERO makes them) works
ln -s "$H/log" "$H/link" 2>"$work/ln.err" && fail "symlink inside the mount succeeded"
grep -q "Operation not supported" "$work/ln.err" || fail "symlink error: $(cat "$work/ln.err")"
ln "$H/log" "$H/hard" 2>/dev/null && fail "hard link inside the mount succeeded"
ln -s "$H/big.bin" "$work/managed-link" && cmp "$work/managed-link" "$work/big.bin" || fail "symlink from outside"
pass "ln/ln -s inside: Operation not supported; a symlink from outside reads through"

# the other client: python-irodsclient reads what the mount wrote, and the mount sees what it writes
"$PY" "$ROOT/native-tests/prc_tool.py" get "$IHOST" "$PORT" "$IUSER" "$IPASS" "$ZONE" "$IH/big.bin" "$work/prc.bin"
cmp "$work/big.bin" "$work/prc.bin" || fail "python-irodsclient read of a file written through the mount"
head -c 3000000 /dev/urandom >"$work/from-prc.bin"
"$PY" "$ROOT/native-tests/prc_tool.py" put "$IHOST" "$PORT" "$IUSER" "$IPASS" "$ZONE" "$work/from-prc.bin" "$IH/from prc's.bin"
for _ in $(seq 1 24); do [ -f "$H/from prc's.bin" ] && break; sleep 0.5; done
cmp "$work/from-prc.bin" "$H/from prc's.bin" || fail "the mount does not show python-irodsclient's file"
pass "python-irodsclient <-> mount, both ways, byte for byte (seen within the cache TTL)"

# a connection cut in the middle of a cp of a large file: the cp completes with identical bytes
if [ "$REAL" = 1 ]; then
  echo "skip: the connection cut needs the sandbox's fault injection"
else
head -c $((200 * 1024 * 1024)) /dev/urandom >"$work/huge.bin"
cp "$work/huge.bin" "$H/huge.bin"
sleep 6   # let idle pooled connections age, so the cut lands on the read of the cp below
echo 60000000 >"$work/sb/fault-cut-after"   # the reply that crosses 60 MB from now is cut mid-frame
for _ in $(seq 1 50); do [ -e "$work/sb/fault-cut-after" ] || break; sleep 0.1; done
[ ! -e "$work/sb/fault-cut-after" ] || fail "the fault was never armed"
cp "$H/huge.bin" "$work/huge.back" || fail "cp during a connection cut"
cmp "$work/huge.bin" "$work/huge.back" || fail "bytes differ after a connection cut"
grep -q "reopening" "$mnt.log" || fail "the cut did not hit the read (no reconnection in the mount log)"
pass "cp across a cut connection completed with identical bytes"
fi

# a stale mount is cleared, a non-empty mount point refused
kill -9 "$MOUNT_PID"; wait "$MOUNT_PID" 2>/dev/null || true
stale="$(ls "$mnt" 2>&1 || true)"
printf '%s' "$stale" | grep -q "not connected" || fail "expected a stale mount after kill -9, got: $stale"
start_mount "$mnt"
[ -f "$H/log" ] || fail "remount after a crash"
pass "stale mount after kill -9 cleared by the next mount"
[ "$REAL" = 1 ] && { rm -rf "$H" || fail "removing the test collection $IH"; }
stop_mount "$mnt"
touch "$mnt/occupied"
if "$RODSGATE" mount "$mnt" >"$work/ne.log" 2>&1; then fail "mounted over a non-empty directory"; fi
grep -q "not empty" "$work/ne.log" || fail "non-empty refusal: $(cat "$work/ne.log")"
rm "$mnt/occupied"
pass "non-empty mount point refused"

#!/usr/bin/env bash
# Issue 7, failing input 10: copying tools with xattrs work local to mount and mount to mount (rsync -aX exited 23
# because user.irods.checksum was listed but refused by setxattr). The computed checksum stays readable by name.
source "$(dirname "$0")/lib.sh"
mounted_sandbox

src="$work/src"; mkdir -p "$src/d/e"
echo one >"$src/d/one"; echo two >"$src/d/e/two"; echo plain >"$src/plain"
setfattr -n user.project -v P1 "$src/d/one"; setfattr -n user.note -v "a & <b>" "$src/d/e/two"
setfattr -n user.project -v P2 "$src/d"
setfattr -n user.flag "$src/plain"                                   # an empty value
setfattr -n user.bin -v 0x00ff0a62 "$src/d/e/two"                    # bytes that are not UTF-8
xattrs() { (cd "$1" && getfattr -R -d -e hex -m '^user\.' . 2>/dev/null | grep -v '^$' | sort); }
xattrs "$src" >"$work/src.x"
[ -s "$work/src.x" ] || fail "no xattrs in the local source (does $work support user xattrs?)"
check() { xattrs "$1" >"$work/got.x"; diff "$work/src.x" "$work/got.x" || fail "$2: xattrs differ"; diff -r "$src" "$1" || fail "$2: contents differ"; }

rsync -aX "$src/" "$H/rsync/" || fail "rsync -aX local to mount exited $?"; check "$H/rsync" "rsync -aX local to mount"
rsync -aX "$H/rsync/" "$H/rsync2/" || fail "rsync -aX mount to mount exited $?"; check "$H/rsync2" "rsync -aX mount to mount"
rsync -aX "$src/" "$H/rsync/" || fail "rsync -aX again onto the copy exited $?"
rsync -aX "$H/rsync/" "$work/back/" || fail "rsync -aX mount to local exited $?"; check "$work/back" "rsync -aX mount to local"
pass "rsync -aX local to mount, mount to mount, again, mount to local"
cp -a "$src" "$H/cp" 2>"$work/cp.err" && [ ! -s "$work/cp.err" ] || fail "cp -a local to mount: $(cat "$work/cp.err")"
check "$H/cp" "cp -a local to mount"
cp -a "$H/cp" "$H/cp2" 2>"$work/cp.err" && [ ! -s "$work/cp.err" ] || fail "cp -a mount to mount: $(cat "$work/cp.err")"
check "$H/cp2" "cp -a mount to mount"
pass "cp -a local to mount and mount to mount"
(cd "$src" && tar --xattrs -cf "$work/local.tar" .) && mkdir "$H/tar" && tar --xattrs -xf "$work/local.tar" -C "$H/tar" \
  || fail "tar --xattrs local to mount"
check "$H/tar" "tar --xattrs local to mount"
(cd "$H/tar" && tar --xattrs -cf "$work/mount.tar" .) && mkdir "$H/tar2" && tar --xattrs -xf "$work/mount.tar" -C "$H/tar2" \
  || fail "tar --xattrs mount to mount"
check "$H/tar2" "tar --xattrs mount to mount"
pass "tar --xattrs local to mount and mount to mount"
getfattr --absolute-names -n user.irods.checksum "$H/tar2/plain" | grep -q 'sha2:' || fail "checksum by name"
getfattr --absolute-names -d "$H/tar2/plain" | grep -q irods.checksum && fail "the computed checksum is listed"
setfattr -n user.irods.checksum -v x "$H/tar2/plain" 2>/dev/null && fail "the computed checksum was set"
pass "user.irods.checksum: readable by name, not listed, not settable"

# Issue 7, failing input 14: truncation through the mount leaves no stale checksum in the catalog
printf 'twenty-two bytes long\n' >"$H/sum.txt"
old="$(getfattr --absolute-names --only-values -n user.irods.checksum "$H/sum.txt")"
truncate -s 3 "$H/sum.txt" || fail "truncate -s 3"
"$RODSGATE" stat /tempZone/home/rods/sum.txt | grep -q "$old" && fail "the catalog kept the old checksum after truncate"
new="$(getfattr --absolute-names --only-values -n user.irods.checksum "$H/sum.txt")"
[ "$new" = "$("$PY" -c 'import base64, hashlib; print("sha2:" + base64.b64encode(hashlib.sha256(b"twe").digest()).decode())')" ] || fail "checksum after truncate: $new"
pass "truncate -s 3 clears the catalog checksum; the next one is the new contents'"

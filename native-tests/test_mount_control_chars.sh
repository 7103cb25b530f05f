#!/usr/bin/env bash
# Issue 7, failing input 8: control characters in names (\x01ctl) round-trip through listings, stat, open, xattrs,
# rename and removal (iRODS sends them raw in its XML; they were shown as '?').
source "$(dirname "$0")/lib.sh"
mounted_sandbox

for n in $'\001ctl' $'esc\033[1m' $'tab\there' $'del\177' $'\037unit'; do
  printf 'x%sx' "$n" >"$H/$n" || fail "create $(printf %q "$n")"
  ls -A "$H" | grep -qxF -- "$n" || fail "ls does not list $(printf %q "$n"): $(ls -A "$H" | od -c | head)"
  stat "$H/$n" >/dev/null || fail "stat $(printf %q "$n")"
  [ "$(cat "$H/$n")" = "x${n}x" ] || fail "cat $(printf %q "$n")"
  setfattr -n user.k -v v "$H/$n" && [ "$(getfattr --absolute-names --only-values -n user.k "$H/$n")" = v ] \
    || fail "xattrs of $(printf %q "$n")"
  mv "$H/$n" "$H/$n.moved" && [ -f "$H/$n.moved" ] && [ ! -e "$H/$n" ] || fail "mv $(printf %q "$n")"
  rm "$H/$n.moved" || fail "rm $(printf %q "$n")"
done
"$PY" - "$H" <<'PY' || fail "names with newline, carriage return, leading and trailing spaces"
import os, sys
h = sys.argv[1]
for n in ["new\nline", "cr\rhere", " lead and trail ", "\x01\n\x02"]:
    p = os.path.join(h, n)
    with open(p, "wb") as f:
        f.write(n.encode())
    assert n in os.listdir(h), (n, os.listdir(h))
    assert open(p, "rb").read() == n.encode(), n
    os.setxattr(p, "user.k", b"v"); assert os.getxattr(p, "user.k") == b"v", n
    os.rename(p, p + ".2"); assert n + ".2" in os.listdir(h) and n not in os.listdir(h), n
    os.unlink(p + ".2")
PY
mkdir "$H/"$'\001dir' && touch "$H/"$'\001dir/f' && [ "$(ls "$H/"$'\001dir')" = f ] || fail "a directory named \\001dir"
"$RODSGATE" ls /tempZone/home/rods | grep -qF $'\001dir' || fail "rodsgate ls does not show \\001dir"
rm -r "$H/"$'\001dir' || fail "rm -r \\001dir"
pass "names with control characters: ls, stat, cat, xattrs, mv, rm, rodsgate ls"

# names that are not UTF-8 reach the mount with their bytes replaced (U+FFFD), so two of them would meet in one
# iRODS object: they are refused, and nothing is created
( echo a >"$H/"$'\xe9t\xe9' ) 2>"$work/ilseq.err" && fail "a name that is not UTF-8 was created"
grep -q "multibyte" "$work/ilseq.err" || fail "not-UTF-8 name: $(cat "$work/ilseq.err")"
ls -A "$H" | grep -q $'\xef\xbf\xbd' && fail "something was created for a name that is not UTF-8"
pass "a name that is not valid UTF-8 is refused with EILSEQ instead of merging with other names"

# without a UTF-8 locale (LANG is often unset under systemd) names that are not ASCII still work: the launcher
# runs java with -Dfile.encoding=UTF-8, which is how jnr-fuse decodes file names
stop_mount "$mnt"
LC_ALL=C LANG= start_mount "$mnt"
echo x >"$H/é文字" && [ "$(ls "$H" | grep -c 'é文字')" = 1 ] && [ "$(cat "$H/é文字")" = x ] || fail "non-ASCII names under LC_ALL=C"
"$RODSGATE" ls /tempZone/home/rods | grep -q 'é文字' || fail "iRODS does not hold the name é文字"
pass "non-ASCII names through a mount started in the C locale"

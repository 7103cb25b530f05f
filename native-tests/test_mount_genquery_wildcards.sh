#!/usr/bin/env bash
# Issue 7, failing input 7: names are values, never patterns. A collection named `x' || like '%` (which iRODS would
# read as two conditions, the second a wildcard) and names with % _ ' \ list, stat, read and carry xattrs through
# the mount and `rodsgate ls` exactly, with siblings present that such patterns would match.
source "$(dirname "$0")/lib.sh"
mounted_sandbox

mkdir "$H/abc" "$H/other" && echo other >"$H/other/secret.txt" && echo abc >"$H/abc/b.txt" || fail "set-up"
names=("x' || like '%" "it's || fun" "a' && <> 'b" "100%" "a_c" "back\\slash" "o'brien")
for n in "${names[@]}"; do
  mkdir "$H/$n" || fail "mkdir '$n'"
  printf '%s' "$n" >"$H/$n/in $n" || fail "write into '$n'"
  mkdir "$H/$n/sub" || fail "mkdir in '$n'"
done
for n in "${names[@]}"; do
  got="$(ls -A "$H/$n")" || fail "ls of '$n'"
  [ "$got" = "$(printf 'in %s\nsub' "$n")" ] || fail "ls of '$n' lists: $got"
  [ "$(cat "$H/$n/in $n")" = "$n" ] || fail "cat in '$n'"
  setfattr -n user.tag -v "$n" "$H/$n/in $n" && setfattr -n user.tag -v "$n" "$H/$n" || fail "setfattr in '$n'"
  [ "$(getfattr --absolute-names --only-values -n user.tag "$H/$n/in $n")" = "$n" ] || fail "getfattr in '$n'"
  [ "$(getfattr --absolute-names --only-values -n user.tag "$H/$n")" = "$n" ] || fail "getfattr of '$n'"
  cli="$("$RODSGATE" ls "/tempZone/home/rods/$n")" || fail "rodsgate ls of '$n'"
  [ "$(printf '%s\n' "$cli" | sed 1d)" = "$(printf '  in %s\n  C- /tempZone/home/rods/%s/sub' "$n" "$n")" ] \
    || fail "rodsgate ls of '$n' lists: $cli"
done
pass "ls, cat, xattrs and rodsgate ls of names with quotes, || and &&, %, _ and \\ match them literally"
[ "$(ls -A "$H" | wc -l)" -eq $(( ${#names[@]} + 2 )) ] || fail "home lists: $(ls -A "$H")"
find "$H" -type f | sort >"$work/found"
[ "$(wc -l <"$work/found")" -eq $(( ${#names[@]} + 2 )) ] || fail "find: $(cat "$work/found")"
for n in "${names[@]}"; do rm -r "$H/$n" || fail "rm -r '$n'"; done
[ -f "$H/other/secret.txt" ] && [ -f "$H/abc/b.txt" ] || fail "rm -r removed a sibling"
pass "find and rm -r touch exactly the named entries"

#!/usr/bin/env bash
# Bench of the reverse direction's poll (OMERO -> iRODS) against the `omero` double: omero commands, rows and seconds
# per steady-state poll (filesetsAfter(watermark) + deletionsAfter(last event), as ReverseFeed makes them) with one new
# fileset, in an empty double and with 100,000 unrelated filesets (the cost must follow what is new, not the total).
source "$(dirname "$0")/../native-tests/lib.sh"
[ "$(id -u)" -eq 0 ] || fail "needs root (creates the OMERO OS user)"
"$RODSGATE" --version >/dev/null            # the launcher builds when the sources are newer
RG_JAR="$ROOT/.run/$(cat "$ROOT/.run/current")"
work="$(mktemp -d /tmp/rodsgate-rbench-XXXXXX)"; chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
POLLS=20
# a wrapper that counts omero invocations (each one a process, as with the real omero command)
cat >"$work/omero" <<SH
#!/bin/sh
echo "\$2" >>"$work/calls"
exec "$OMERO" "\$@"
SH
chmod 755 "$work/omero"; : >"$work/calls"; chmod 666 "$work/calls"
echo x >"$work/new.tif"; chmod a+r "$work/new.tif"; mkdir -m 1777 "$work/tmp"
measure() {   # DIR: one new fileset, then POLLS polls from just below it
  omero_double_setup "$1"
  [ -z "${2:-}" ] || om _double populate "$2" rods
  local top
  : >"$work/calls"
  top="$(om _double dump | "$PY" -c "import json,sys; print(json.load(sys.stdin)['next_id'])")"
  om import -u rods --sudo root -w omero -q --output=yaml --file "$work/tmp/o.yaml" --errs "$work/tmp/e.txt" "$work/new.tif"
  local out
  # the first 3 polls warm the JVM up; the calls of the measured ones are counted from the second poll line on
  RG_OMERO="$work/omero" RG_OMERO_USER=rgtest_omero OMERO_PASSWORD=omero OMERO_DOUBLE_DIR="$1" \
    RG_OPS="poll $((top - 1)) 0 3
poll $((top - 1)) 0 $POLLS" jshell --class-path "$RG_JAR" "$ROOT/native-tests/omero_reverse.jsh" >"$work/out"
  grep -q '^error' "$work/out" && fail "poll failed: $(cat "$work/out")"
  printf '%s commands_per_poll=%s' "$(grep '^poll' "$work/out" | tail -1)" \
    "$(echo "scale=1; ($(wc -l <"$work/calls") - 3 * 2) / $POLLS" | bc -l)"
  : >"$work/calls"
}
EMPTY="$(measure "$work/empty")"
t0=$(date +%s.%N); omero_double_setup "$work/full"; om _double populate 100000 rods; t1=$(date +%s.%N)
FULL="$(measure "$work/full")"
CATCHUP="$(RG_OMERO="$OMERO" RG_OMERO_USER=rgtest_omero OMERO_PASSWORD=omero OMERO_DOUBLE_DIR="$work/full" \
  RG_OPS="catchup 500" jshell --class-path "$RG_JAR" "$ROOT/native-tests/omero_reverse.jsh" | grep '^catchup')"
echo "rodsgate reverse poll bench, $(date -u +%F), $(nproc) cores, omero double (SQLite), $POLLS polls, page 500:"
printf '  empty double + 1 new fileset:               %s\n' "$EMPTY"
printf '  100,000 unrelated filesets + 1 new fileset: %s\n' "$FULL"
printf '  first poll over the 100,000 (pages of 500):  %s\n' "$CATCHUP"
printf '  (populating 100,000 filesets took %.1f s)\n' "$(echo "$t1 - $t0" | bc -l)"

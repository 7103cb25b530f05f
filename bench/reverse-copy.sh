#!/usr/bin/env bash
# Bench: the reverse direction's COPY placement (org.rodsgate.reverse.place.IrodsPlacement) against `rodsgate put` of
# the same bytes, on one sandbox, in one JVM, alternating, median of 3 each: throughput of both and the ratio.
# Both verify: put computes SHA-256 while sending and compares iRODS's checksum (its default); COPY also computes
# OMERO's SHA-1, writes a hidden work object and renames it into place.
# Usage: bench/reverse-copy.sh [SIZE_MIB]   (default 512)
source "$(dirname "$0")/../native-tests/lib.sh"
size_mib="${1:-512}"
work="$(mktemp -d /tmp/rodsgate-rcbench-XXXXXX)"
trap 'stop_sandbox; rm -rf "$work"' EXIT
"$RODSGATE" --version >/dev/null   # build before timing anything
start_sandbox "$work/sb"
mkdir -p "$work/repo/bench"
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/repo/bench/src.bin"
sha1="$(sha1sum "$work/repo/bench/src.bin" | cut -d' ' -f1)"
out="$(RG_PORT=$PORT RG_REPO="$work/repo" RG_FILE=src.bin RG_SHA1="$sha1" \
  jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/reverse-copy.jsh" 2>&1)"
line="$(printf '%s\n' "$out" | grep '^RESULT' || true)"
[ -n "$line" ] || { printf '%s\n' "$out" >&2; fail "bench did not finish"; }
read -r _ copy_s put_s ratio <<<"$line"
mbs() { echo "scale=0; $size_mib / $1" | bc -l; }
echo "reverse copy of ${size_mib} MiB, median of 3 in one JVM, $(date -u +%F) on $(nproc) cores:"
printf '  %-38s %7.2f s  %6s MiB/s\n' "rodsgate put (checksum on)" "$put_s" "$(mbs "$put_s")"
printf '  %-38s %7.2f s  %6s MiB/s  = %.2f x rodsgate put\n' "IrodsPlacement COPY (verified, renamed)" "$copy_s" \
  "$(mbs "$copy_s")" "$ratio"

#!/usr/bin/env bash
# Bench: `rodsgate put` and `rodsgate get` of a 1 GiB object against the sandbox, side by side in one run with
# copying the same file on the local disk (dd with 8 MiB blocks, the chunk size rodsgate uses). Each is run 3 times; the median is reported, with the ratios.
# Usage: bench/transfer.sh [SIZE_MIB]   (default 1024)
source "$(dirname "$0")/../native-tests/lib.sh"
size_mib="${1:-1024}"
work="$(mktemp -d /tmp/rodsgate-bench-XXXXXX)"
trap 'stop_sandbox; rm -rf "$work"' EXIT
"$RODSGATE" --version >/dev/null   # build before timing anything
start_sandbox "$work/sb"
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/src.bin"

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

cp_t=(); put_t=(); get_t=()
for i in 1 2 3; do
  rm -f "$work/copy.bin" "$work/got.bin"
  cp_t+=("$(secs dd if="$work/src.bin" of="$work/copy.bin" bs=8M status=none)")
  put_t+=("$(secs "$RODSGATE" put -f --checksum off "$work/src.bin" /tempZone/home/rods/bench.bin)")  # transfer alone
  get_t+=("$(secs "$RODSGATE" get -f /tempZone/home/rods/bench.bin "$work/got.bin")")
done
cmp "$work/src.bin" "$work/got.bin" || fail "bench: downloaded bytes differ"
cp_s=$(median3 "${cp_t[@]}"); put_s=$(median3 "${put_t[@]}"); get_s=$(median3 "${get_t[@]}")
mbs() { echo "scale=0; $size_mib / $1" | bc -l; }
echo "transfer of ${size_mib} MiB, median of 3 (whole commands, JVM start included), $(date -u +%F) on $(nproc) cores:"
printf '  %-28s %7.2f s  %6s MiB/s\n' "local dd copy" "$cp_s" "$(mbs "$cp_s")"
printf '  %-28s %7.2f s  %6s MiB/s  = %.2f x local copy\n' "rodsgate put (sandbox)" "$put_s" "$(mbs "$put_s")" "$(echo "$cp_s / $put_s" | bc -l)"
printf '  %-28s %7.2f s  %6s MiB/s  = %.2f x local copy\n' "rodsgate get (sandbox)" "$get_s" "$(mbs "$get_s")" "$(echo "$cp_s / $get_s" | bc -l)"

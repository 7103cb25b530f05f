#!/usr/bin/env bash
# kill -9 in the middle of a large COPY placement, then the placement again (issue 12's "kill -9 in the middle of a
# 2 GB copy"): nothing under the final name after the kill (only the hidden work object), the second run continues
# the work object rather than starting over, the final object is byte-identical (SHA-1 read back through
# python-irodsclient, a second client) and no work object is left. Not in run-all.sh: ~1 min and 2x SIZE of disk.
# Usage: bench/reverse-kill.sh [SIZE_MIB]   (default 2048)
source "$(dirname "$0")/../native-tests/lib.sh"
size_mib="${1:-2048}"
work="$(mktemp -d /tmp/rodsgate-rkill-XXXXXX)"
child=""
trap '{ [ -z "$child" ] || kill -9 -- -"$child" 2>/dev/null || true; }; stop_sandbox; rm -rf "$work"' EXIT
"$RODSGATE" --version >/dev/null   # build first
start_sandbox "$work/sb"
mkdir -p "$work/repo/k"
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$work/repo/k/big.bin"
sha1="$(sha1sum "$work/repo/k/big.bin" | cut -d' ' -f1)"
export RG_PORT=$PORT RG_REPO="$work/repo" RG_FILE=big.bin RG_SHA1="$sha1"
run() { setsid jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/reverse-kill.jsh"; }
list() { "$PY" - "$1" <<'PY'
import os, sys, hashlib
from irods.session import iRODSSession
with iRODSSession(irods_env_file=os.environ['IRODS_ENVIRONMENT_FILE']) as s:
    c = '/tempZone/home/rods/kill/61'
    if not s.collections.exists(c):
        print('none'); sys.exit(0)
    for o in s.collections.get(c).data_objects:
        print(o.name, o.size, o.replicas[0].status)
    if sys.argv[1] == 'sha1':
        h = hashlib.sha1()
        with s.data_objects.open(c + '/big.bin', 'r') as f:
            for b in iter(lambda: f.read(8 << 20), b''):
                h.update(b)
        print('sha1', h.hexdigest())
PY
}
setsid jshell --class-path "$ROOT/target/rodsgate.jar" "$ROOT/bench/reverse-kill.jsh" >"$work/first.log" 2>&1 &
child=$!   # setsid (not a group leader here, so it execs): its own process group, jshell and the JVM running the script
third=$((size_mib * 1024 * 1024 / 3))
for _ in $(seq 1 600); do   # until about a third is in the sandbox's vault
  [ "$(du -sb "$work/sb" | cut -f1)" -gt "$third" ] && break
  kill -0 "$child" 2>/dev/null || { cat "$work/first.log" >&2; fail "the first copy ended before the kill"; }
  sleep 0.2
done
kill -9 -- -"$child"; wait "$child" 2>/dev/null || true; child=""
after="$(list none)"
echo "after kill -9: $after"
grep -q '^big.bin ' <<<"$after" && fail "an object under the final name after kill -9"
grep -q '^\.rodsgate-part-' <<<"$after" || fail "no work object kept for the next attempt"
partial="$(awk '/^\.rodsgate-part-/{print $2}' <<<"$after")"
start=$SECONDS
out="$(run 2>&1)"
line="$(grep '^RESULT' <<<"$out" || true)"
[ -n "$line" ] || { printf '%s\n' "$out" >&2; fail "the second copy did not finish"; }
final="$(list sha1)"
echo "after the second run ($((SECONDS - start)) s, $line): $final"
grep -q "^sha1 $sha1\$" <<<"$final" || fail "final bytes differ from the file's"
grep -q '^\.rodsgate-part-' <<<"$final" && fail "a work object is left"
grep -q "continuing the copy of k/big.bin" <<<"$out" || fail "the second run did not continue the work object"
pass "kill -9 after $partial of $((size_mib * 1024 * 1024)) bytes; continued; final object byte-identical; no work object left"

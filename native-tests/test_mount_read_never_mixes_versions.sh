#!/usr/bin/env bash
# break7: a read that loses its connection reopens the object by path; if another client (here a second mount)
# replaced the object meanwhile, carrying on would return the first part of one version and the rest of another
# with exit 0. The reopen must find the version it started with, or the read fails (EIO). Without a replacement,
# the read still survives a server restart.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_mount_read_never_mixes_versions.sh: /dev/fuse is missing"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; m1="$work/m1"; m2="$work/m2"; PIDS=()
cleanup() { fusermount -u "$m1" 2>/dev/null; fusermount -u "$m2" 2>/dev/null; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; stop_sandbox; rm -rf "$work"; }
trap cleanup EXIT
start_sandbox "$work/sb"
start_mount "$m1"; PIDS+=("$MOUNT_PID"); start_mount "$m2"; PIDS+=("$MOUNT_PID")
Z=/tempZone/home/rods
restart_sandbox() {  # same directory and port: every connection drops, the catalog stays
  stop_sandbox
  for _ in $(seq 1 100); do "$PY" -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',$PORT))" 2>/dev/null && break; sleep 0.1; done
  "$RODSGATE" sandbox --dir "$work/sb" --port "$PORT" --no-mount >"$work/sb/sandbox2.log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 1 300); do grep -q '^ready' "$work/sb/sandbox2.log" 2>/dev/null && return 0; sleep 0.1; done
  fail "sandbox did not restart"
}
head -c 40000000 /dev/zero | tr '\0' A >"$work/a"; head -c 40000000 /dev/zero | tr '\0' B >"$work/b"
cat >"$work/reader.py" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
data = bytearray()
try:
    while True:
        b = os.read(fd, 1 << 20)
        if not b:
            break
        data += b
        if len(data) == 4 << 20:
            print("paused", flush=True)
            while not os.path.exists(sys.argv[2]):  # until the server is back
                time.sleep(0.1)
    print("complete", data.count(b"A"), data.count(b"B"), flush=True)
except OSError as e:
    print("failed", e.errno, flush=True)
PY
read_across_restart() {  # NAME [replace]: reads m1/NAME, pausing at 4 MiB; meanwhile maybe replaces it via m2
  cp "$work/a" "$m1$Z/$1"; sleep 0.5
  "$PY" "$work/reader.py" "$m1$Z/$1" "$work/$1.go" >"$work/$1.out" 2>&1 &
  local r=$!
  for _ in $(seq 1 100); do grep -q paused "$work/$1.out" && break; sleep 0.1; done
  grep -q paused "$work/$1.out" || fail "reader did not start: $(cat "$work/$1.out")"
  [ -z "${2:-}" ] || cp "$work/b" "$m2$Z/$1"
  restart_sandbox
  touch "$work/$1.go"
  for _ in $(seq 1 600); do kill -0 "$r" 2>/dev/null || break; sleep 0.1; done
  kill "$r" 2>/dev/null || true
  got="$(tail -1 "$work/$1.out")"
}
read_across_restart replaced yes   # not in a subshell: the sandbox it restarts must stay this shell's child
case "$got" in
  "failed 5") ;;
  complete*) fail "a read across a reconnect returned a mix of two versions with success: $got" ;;
  *) fail "unexpected reader result: $got" ;;
esac
pass "a read whose object was replaced before its reconnect fails with EIO instead of mixing versions"
read_across_restart unchanged
[ "$got" = "complete 40000000 0" ] || fail "a read across a server restart did not complete: $got"
pass "a read of an unchanged object survives a server restart"

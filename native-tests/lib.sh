# Shared helpers for native tests: a sandbox on a free port in a temporary directory.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RODSGATE="$ROOT/rodsgate"
PY=/usr/bin/python3   # Debian's interpreter: the one that sees python3-irodsclient

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_sandbox DIR [extra sandbox args...]: starts it in the background, waits for "ready", sets SANDBOX_PID/PORT
start_sandbox() {
  local dir="$1"; shift
  PORT="$(free_port)"
  mkdir -p "$dir"
  "$RODSGATE" sandbox --dir "$dir" --port "$PORT" --no-mount "$@" >"$dir/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 1 300); do
    grep -q '^ready' "$dir/sandbox.log" 2>/dev/null && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$dir/sandbox.log" >&2; fail "sandbox did not start"; }
    sleep 0.1
  done
  grep -q '^ready' "$dir/sandbox.log" || fail "sandbox not ready after 30 s"
  export IRODS_ENVIRONMENT_FILE="$dir/irods_environment.json" IRODS_AUTHENTICATION_FILE="$dir/.irodsA"
}

# irods_target DIR [sandbox args...]: the server a test runs against. With RODSGATE_TEST_IRODS_ENV (an iCommands
# environment file; its password file RODSGATE_TEST_IRODS_AUTH, else .irodsA beside it): that real server; else a
# sandbox started in DIR. Sets REAL (1|0), IHOST, PORT, ZONE, IUSER, IPASS and the iCommands variables.
irods_target() {
  local dir="$1"; shift
  if [ -n "${RODSGATE_TEST_IRODS_ENV:-}" ]; then
    REAL=1
    export IRODS_ENVIRONMENT_FILE="$RODSGATE_TEST_IRODS_ENV"
    export IRODS_AUTHENTICATION_FILE="${RODSGATE_TEST_IRODS_AUTH:-$(dirname "$RODSGATE_TEST_IRODS_ENV")/.irodsA}"
    read -r IHOST PORT ZONE IUSER < <("$PY" -c 'import json, sys; j = json.load(open(sys.argv[1]))
print(j["irods_host"], j.get("irods_port", 1247), j["irods_zone_name"], j["irods_user_name"])' "$IRODS_ENVIRONMENT_FILE")
    IPASS="$("$PY" -c 'import sys; from irods.password_obfuscation import decode
print(decode(open(sys.argv[1]).read().rstrip("\0\n")))' "$IRODS_AUTHENTICATION_FILE")"
    echo "against the real iRODS at $IHOST:$PORT (RODSGATE_TEST_IRODS_ENV), zone $ZONE, as $IUSER"
  else
    REAL=0
    start_sandbox "$dir" "$@"
    IHOST=localhost ZONE=tempZone IUSER=rods IPASS=rods
    echo "against the sandbox (set RODSGATE_TEST_IRODS_ENV to run against a real iRODS too)"
  fi
}

# users_file FILE NAME:PASSWORD[:TYPE]...: writes a sandbox --users-file, 0600 from the start; prints FILE
users_file() {
  local f="$1"; shift
  (umask 077; printf '%s\n' "$@" >"$f")
  echo "$f"
}

stop_sandbox() {
  [ -n "${SANDBOX_PID:-}" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null || true
  SANDBOX_PID=
}

# start_mount MNT [mount args...]: mounts with `rodsgate mount` in the background, waits for "ready"; sets MOUNT_PID
start_mount() {
  local mnt="$1"; shift
  mkdir -p "$mnt" 2>/dev/null || true   # a stale mount fails stat; rodsgate mount clears it
  : >"$mnt.log"   # before starting: a 'ready' left from an earlier mount must not be taken for this one's
  "$RODSGATE" mount "$@" "$mnt" >>"$mnt.log" 2>&1 &
  MOUNT_PID=$!
  for _ in $(seq 1 300); do
    grep -q '^ready' "$mnt.log" 2>/dev/null && return 0
    kill -0 "$MOUNT_PID" 2>/dev/null || { cat "$mnt.log" >&2; fail "mount did not start"; }
    sleep 0.1
  done
  cat "$mnt.log" >&2; fail "mount not ready after 30 s"
}

stop_mount() {
  local mnt="$1"
  fusermount -u "$mnt" 2>/dev/null || true
  [ -n "${MOUNT_PID:-}" ] && { wait "$MOUNT_PID" 2>/dev/null || true; }
  MOUNT_PID=
}

# omero_double_setup DIR: the OMERO OS user rgtest_omero, the `omero` double's state in DIR (OMERO_DOUBLE_DIR),
# `om` to run the double as that user, and the OMERO users root (admin, password "omero") and rods.
# The double runs as another OS user, who may not enter the checkout (/root is 0700): it runs from a copy in a
# world-readable directory named after its content, so concurrent test runs share it and no run removes it.
omero_double_copy() {
  local src="$ROOT/native-tests/omero-double/omero" dir tmp
  dir="/tmp/rodsgate-omero-double-$(sha256sum "$src" | cut -c1-16)"
  if [ -e "$dir" ] && [ ! -O "$dir" ]; then echo "FAIL: $dir belongs to another user" >&2; exit 1; fi
  if [ ! -x "$dir/omero" ]; then
    tmp="$(mktemp -d /tmp/rodsgate-omero-double-new-XXXXXX)"
    cp "$src" "$tmp/omero"; chmod 0755 "$tmp" "$tmp/omero"
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"   # another run made it first
  fi
  echo "$dir/omero"
}
OMERO="$(omero_double_copy)"
omero_double_setup() {
  id rgtest_omero >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin rgtest_omero
  export OMERO_DOUBLE_DIR="$1"
  mkdir -p "$OMERO_DOUBLE_DIR"; chown rgtest_omero "$OMERO_DOUBLE_DIR"
  om _double user root omero admin; om _double user rods x
}
om() {
  local extra=()
  [ -z "${OMERO_PASSWORD_FOR_OM:-}" ] || extra=("OMERO_PASSWORD=$OMERO_PASSWORD_FOR_OM")
  setpriv --reuid=rgtest_omero --regid="$(id -g rgtest_omero)" --init-groups \
    env HOME=/tmp OMERO_DOUBLE_DIR="$OMERO_DOUBLE_DIR" "${extra[@]}" "$OMERO" "$@"
}

# mounted_sandbox [mount args...]: a sandbox and a mount of it in a fresh temporary directory, both removed at
# exit; skips the calling test when there is no FUSE. Sets work, mnt, H (rods's home through the mount), IRODS_*.
mounted_sandbox() {
  [ -e /dev/fuse ] || { echo "SKIP $(basename "$0"): /dev/fuse is missing, no FUSE on this machine"; exit 0; }
  work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
  mnt="$work/mnt"
  trap 'stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
  start_sandbox "$work/sb"
  start_mount "$mnt" "$@"
  H="$mnt/tempZone/home/rods"
}

# short_cache_config FILE: a mount config whose caches (rodsgate's and the kernel's) expire after 1 s
short_cache_config() {
  cat >"$1" <<YAML
mount:
  cache: {attr_ttl_seconds: 1, negative_ttl_seconds: 1}
  kernel: {entry_timeout: 1, negative_timeout: 1}
YAML
}

# --- a gateway under test (`rodsgate watch --config $work/gw.yaml`, ledger $work/ledger.db), for the reverse tests
# start_gw: in the background (pid in gw_pid), log in $work/gw.log; returns once it printed "ready"
start_gw() {
  : >"$work/gw.log"
  "$RODSGATE" watch --config "$work/gw.yaml" >"$work/gw.log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 1 300); do grep -q '^ready' "$work/gw.log" && return 0; kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.1; done
  cat "$work/gw.log"; fail "gateway did not start"
}
# wait_for SECONDS CMD...: until CMD succeeds (polled every 0.2 s); status 1 when it never did
wait_for() { local t="$1"; shift; for _ in $(seq 1 $((t * 5))); do "$@" && return 0; sleep 0.2; done; return 1; }
# sql QUERY: the rows of the gateway's SQLite ledger, columns joined by "|"
sql() { "$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
for r in c.execute(sys.argv[2]): print("|".join(map(str, r)))' "$work/ledger.db" "$1"; }
unit_state() { sql "select state from units where ukey = 'Fileset:$1'"; }
is_done() { [ "$(unit_state "$1")" = done ]; }
is_parked() { [ "$(unit_state "$1")" = parked ]; }
# dumpq PYTHON: evaluates PYTHON with s = the omero double's state (`omero _double dump`)
dumpq() { om _double dump | "$PY" -c "import json,sys; s=json.load(sys.stdin); $1"; }

#!/usr/bin/env bash
# Issue 11, "an upgrade breaks running daemons": a rebuild rewrites target/rodsgate.jar in place (`mvn package`,
# `mvn verify`); daemons started by the launcher run from their own versioned copy in .run/ and are not disturbed.
# Also: `--version` names the build, `--help` answers on subcommands.
source "$(dirname "$0")/lib.sh"
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
saved="$work/target-jar.saved"
restore() { if [ -f "$saved" ]; then cp "$saved" "$ROOT/target/rodsgate.jar"; fi; }
trap 'stop_mount "$work/mnt0"; stop_sandbox; restore; rm -rf "$work"' EXIT

"$RODSGATE" --version | grep -Eq '^rodsgate [0-9][^ ]* \(commit [^,]+, built [0-9T:Z-]+\)$' \
  || fail "--version does not name the build: $("$RODSGATE" --version)"
pass "--version: $("$RODSGATE" --version)"
"$RODSGATE" put --help | grep -q '^Usage: rodsgate put' || fail "put --help"
pass "subcommand --help prints usage"

start_sandbox "$work/sb"
jar="$(tr '\0' ' ' </proc/"$(pgrep -P "$SANDBOX_PID" java || echo "$SANDBOX_PID")"/cmdline | grep -o '[^ ]*/\.run/rodsgate-[0-9a-f]*\.jar' || true)"
[ -n "$jar" ] || jar="$(tr '\0' ' ' </proc/"$SANDBOX_PID"/cmdline | grep -o '[^ ]*/\.run/rodsgate-[0-9a-f]*\.jar' || true)"
[ -n "$jar" ] || fail "the sandbox does not run from a versioned jar in .run/: $(tr '\0' ' ' </proc/"$SANDBOX_PID"/cmdline)"
pass "daemon runs from its own build file ${jar##*/}"
start_mount "$work/mnt0"   # a mount too: the issue's mount failed mkdir with EIO (NoClassDefFoundError) after a rebuild

# what a rebuild does to target/rodsgate.jar: the same path rewritten with other bytes
cp "$ROOT/target/rodsgate.jar" "$saved"
head -c 4096 /dev/urandom >"$ROOT/target/rodsgate.jar"
head -c 3000000 /dev/urandom >"$work/a.bin"
M0="$work/mnt0/tempZone/home/rods"
mkdir "$M0/after-rebuild-dir" && cp "$work/a.bin" "$M0/after-rebuild-dir/a.bin" && mv "$M0/after-rebuild-dir/a.bin" "$M0/after-rebuild-dir/b.bin" \
  && cmp "$work/a.bin" "$M0/after-rebuild-dir/b.bin" && setfattr -n user.k -v v "$M0/after-rebuild-dir/b.bin" \
  && rm -r "$M0/after-rebuild-dir" || { cat "$work/mnt0.log" >&2; fail "the mount failed after target/rodsgate.jar was rewritten"; }
! grep -q "NoClassDefFoundError\|ZipException" "$work/mnt0.log" || fail "class loading failed in the running mount"
stop_mount "$work/mnt0"
pass "a rewritten target/rodsgate.jar does not disturb a running mount (mkdir, cp, mv, setfattr, rm -r through it)"
"$PY" "$ROOT/native-tests/prc_tool.py" put localhost "$PORT" rods rods tempZone "$work/a.bin" /tempZone/home/rods/after-rebuild.bin \
  || { cat "$work/sb/sandbox.log" >&2; fail "the sandbox stopped serving after target/rodsgate.jar was rewritten"; }
"$PY" "$ROOT/native-tests/prc_tool.py" get localhost "$PORT" rods rods tempZone /tempZone/home/rods/after-rebuild.bin "$work/b.bin"
cmp "$work/a.bin" "$work/b.bin" || fail "bytes differ after the rebuild"
! grep -q "NoClassDefFoundError\|ZipException" "$work/sb/sandbox.log" || fail "class loading failed in the running sandbox"
pass "a rewritten target/rodsgate.jar does not disturb the running sandbox"

# ---- status of a running sandbox: its owner-only status socket (the sandbox served the put and get above)
st="$("$RODSGATE" status --sandbox "$work/sb")" || fail "status --sandbox: $st"
echo "$st" | grep -q "^listening: *127.0.0.1:$PORT$" && echo "$st" | grep -q "^dir: *$work/sb$" \
  || fail "status --sandbox does not name the running sandbox: $st"
n="$("$RODSGATE" status --sandbox "$work/sb/" --json | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["requests"], d["requests_by_api"].get("602", 0))')"
[ "${n% *}" -gt 0 ] && [ "${n#* }" -gt 0 ] || fail "status --sandbox --json counts no requests (total, DATA_OBJ_OPEN 602): $n"
[ "$(stat -c '%a %U' /run/rodsgate)" = "700 root" ] || fail "status directory /run/rodsgate: $(stat -c '%a %U' /run/rodsgate)"
pass "status --sandbox answers for the running sandbox (${n% *} requests, ${n#* } DATA_OBJ_OPEN), from an owner-only socket"

# ---- rodsgate init (like iinit): login checked before anything is written; .irodsA private
ienv="$work/init/env.json"; iauth="$work/init/auth"
if printf 'wrong\n' | "$RODSGATE" init --env "$ienv" --auth-file "$iauth" --host localhost --port "$PORT" --zone tempZone --user rods \
  >"$work/init.out" 2>&1; then fail "init accepted a wrong password"; fi
grep -q "wrong password" "$work/init.out" && [ ! -e "$ienv" ] && [ ! -e "$iauth" ] \
  || fail "a failed init must say why and write nothing: $(cat "$work/init.out")"
printf 'rods\n' | "$RODSGATE" init --env "$ienv" --auth-file "$iauth" --host localhost --port "$PORT" --zone tempZone --user rods \
  >"$work/init.out" 2>&1 || fail "init: $(cat "$work/init.out")"
[ "$(stat -c %a "$iauth")" = 600 ] || fail ".irodsA mode $(stat -c %a "$iauth")"
"$RODSGATE" ls --env "$ienv" --auth-file "$iauth" /tempZone/home/rods >/dev/null || fail "ls with the files init wrote"
pass "init: $(cat "$work/init.out")"
rm "$iauth"
out="$("$RODSGATE" ls --env "$ienv" --auth-file "$iauth" /tempZone/home/rods 2>&1)" && fail "ls without a password file succeeded"
echo "$out" | grep -q "wrong password" && fail "a missing password file reads as a wrong password: $out"
pass "missing password file -> $out"

# ---- install and upgrade: versioned jars, atomic switch, a running daemon keeps its build
# newcomer2 M8: every directory with a space: the wrapper, the helper and the systemd units still work
opt="$work/opt rodsgate"; bin="$work/bin dir"; sbin="$work/sbin dir"; units="$work/systemd dir"
out="$("$RODSGATE" install --prefix "$work/o\$x" --no-systemd 2>&1)" && fail "install into a prefix holding \$ succeeded"
echo "$out" | grep -q "holds one of" || fail "install into a prefix holding \$: $out"
"$RODSGATE" install --prefix "$opt" --bin-dir "$bin" --sbin-dir "$sbin" --systemd-dir "$units" >"$work/install.log" \
  || { cat "$work/install.log"; fail "rodsgate install"; }
first="$(readlink -f "$opt/lib/current")"
[ -f "$first" ] && [ -x "$bin/rodsgate" ] && [ -x "$sbin/mount.rodsgate" ] && [ -e "$sbin/mount.fuse.rodsgate" ] \
  && [ -f "$units/rodsgate-mount@.service" ] && [ -f "$units/rodsgate-watch.service" ] || fail "install layout: $(find "$work" -maxdepth 3)"
"$bin/rodsgate" --version | grep -q '^rodsgate ' || fail "installed wrapper --version"
pass "install: $(cat "$work/install.log" | head -1)"
stop_sandbox
out="$("$RODSGATE" status --sandbox "$work/sb" 2>&1)" && fail "status of a stopped sandbox succeeded: $out"
echo "$out" | grep -q "status --sandbox $work/sb: no status socket" || fail "status of a stopped sandbox: $out"
pass "status of a stopped sandbox: $out"
PORT="$(free_port)"; mkdir -p "$work/sb2"
"$bin/rodsgate" sandbox --dir "$work/sb2" --port "$PORT" --no-mount >"$work/sb2/sandbox.log" 2>&1 </dev/null &
SANDBOX_PID=$!
for _ in $(seq 1 300); do grep -q '^ready' "$work/sb2/sandbox.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^ready' "$work/sb2/sandbox.log" || fail "installed sandbox did not start"
# an upgrade: another build (same classes, one more file in the jar, so other bytes) installed over it
cp "$first" "$work/next.jar"; (cd "$work" && echo upgrade >marker.txt && zip -q next.jar marker.txt)
bash "$ROOT/scripts/install.sh" "$work/next.jar" --prefix "$opt" --bin-dir "$bin" --sbin-dir "$sbin" --no-systemd >/dev/null \
  || fail "upgrade install"
second="$(readlink -f "$opt/lib/current")"
[ "$second" != "$first" ] && [ -f "$first" ] || fail "upgrade did not switch to a new file, or removed the running one"
"$PY" "$ROOT/native-tests/prc_tool.py" put localhost "$PORT" rods rods tempZone "$work/a.bin" /tempZone/home/rods/after-upgrade.bin \
  || fail "the running sandbox stopped serving after an upgrade"
pass "upgrade switched current to ${second##*/}; the running daemon still serves from ${first##*/}"
stop_sandbox

# ---- systemd units: what systemd itself says of them
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$work/etc"
  out="$(cd "$units" && SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no "$units/rodsgate-watch.service" "$units/rodsgate-mount@.service" 2>&1 \
    | grep -v -e 'Failed to create .* control group' -e 'EnvironmentFile' -e 'Cannot add dependency job' || true)"
  [ -z "$out" ] || fail "systemd-analyze verify: $out"
  pass "systemd-analyze verify accepts the units"
else
  echo "skip: systemd-analyze not installed"
fi

# ---- the mount helper through mount(8), against a server that is not up yet (mount waits for it)
type="rodsgate-nt$$"
helper="/sbin/mount.fuse.$type"
cp "$sbin/mount.rodsgate" "$helper"; chmod 0755 "$helper"
trap 'umount "$work/mnt" 2>/dev/null || true; stop_mount "$work/mnt2"; rm -f "$helper"; stop_sandbox; restore; rm -rf "$work"' EXIT
PORT="$(free_port)"
mkdir -p "$work/sb3" "$work/mnt" "$work/env"
cat >"$work/env/irods_environment.json" <<JSON
{"irods_host": "localhost", "irods_port": $PORT, "irods_zone_name": "tempZone", "irods_user_name": "rods"}
JSON
cfg="$work/env/lab.yaml"
printf 'irods:\n  environment: %s\n  authentication: %s\nmount:\n  identity: mount-owner\n' \
  "$work/env/irods_environment.json" "$work/sb3/.irodsA" >"$cfg"
# the sandbox once, to make its catalog and client files; then stopped: the mount starts while it is down
"$bin/rodsgate" sandbox --dir "$work/sb3" --port "$PORT" --no-mount >"$work/sb3/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 300); do grep -q '^ready' "$work/sb3/sandbox.log" 2>/dev/null && break; sleep 0.1; done
stop_sandbox
( sleep 4; exec "$bin/rodsgate" sandbox --dir "$work/sb3" --port "$PORT" --no-mount >"$work/sb3/sandbox.log" 2>&1 ) &
for bad in "wait=soon" "ro" "colour=blue"; do
  rc=0; out="$(RODSGATE_LOGDIR="$work/log-bad" mount -t "fuse.$type" "$cfg" "$work/mnt" -o "$bad" 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && ! mountpoint -q "$work/mnt" && [ ! -e "$work/log-bad" ] \
    || fail "mount -o $bad: status $rc, '$out' (a wrong option must fail at once, in one line, starting nothing)"
done
pass "mount -o with a wrong option fails at once, starting nothing: $out"
RODSGATE_LOGDIR="$work/log" mount -t "fuse.$type" "$cfg" "$work/mnt" -o _netdev,wait=60 \
  || { cat "$work/log/"* 2>/dev/null; fail "mount -t fuse.$type"; }
SANDBOX_PID="$(pgrep -f -- "--dir $work/sb3" | head -1)"
grep -q "waiting for the server" "$work/log/"* || fail "the helper's log does not say it waited for the server"
ls "$work/mnt/tempZone/home/rods" | grep -q after-upgrade.bin && fail "wrong zone" || true
ls "$work/mnt/tempZone/home" | grep -q rods || fail "listing through the helper's mount"
pass "mount -t fuse.$type waited for iRODS, then mounted; $(grep -c . "$work/log/"*) log lines"
umount "$work/mnt" || fail "umount"
pass "umount"

# ---- metrics: a mount with --metrics-port, requests through the kernel counted by operation and iRODS API
MP="$(free_port)"
"$PY" "$ROOT/native-tests/prc_tool.py" put localhost "$PORT" rods rods tempZone "$work/a.bin" /tempZone/home/rods/read-ahead.bin
start_mount "$work/mnt2" --config "$cfg" --metrics-port "$MP"
ls -l "$work/mnt2/tempZone/home/rods" >/dev/null
stat "$work/mnt2/tempZone/home/rods/no-such-file" 2>/dev/null && fail "stat of a missing file"
cmp "$work/a.bin" "$work/mnt2/tempZone/home/rods/read-ahead.bin" || fail "read through the mount"
scrape="$("$PY" -c "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:$MP/metrics', timeout=10).read().decode())")"
echo "$scrape" | grep -Eq '^rodsgate_fuse_operations_seconds_count\{errno="OK",op="getattr"\} [1-9]' || fail "no getattr count in: $(echo "$scrape" | grep rodsgate_ | head)"
echo "$scrape" | grep -Eq '^rodsgate_fuse_operations_seconds_count\{errno="ENOENT",op="getattr"\} [1-9]' || fail "no ENOENT getattr count"
echo "$scrape" | grep -Eq '^rodsgate_irods_api_seconds_count\{api="[0-9]+",result="OK"\} [1-9]' || fail "no iRODS API count"
echo "$scrape" | grep -Eq '^rodsgate_pool_connections\{kind="metadata",state="in_use"\} [0-9]' || fail "no pool gauge"
echo "$scrape" | grep -Eq '^rodsgate_memory_budget_in_use_bytes [0-9]' || fail "no memory budget gauge"
echo "$scrape" | grep -Eq '^cache_gets_total\{cache="rodsgate.attrs",.*result="(hit|miss)"\} [1-9]' || fail "no cache hit/miss counts"
# a 3 MB file read sequentially: windows of 1 MiB doubling, so at least one of 2 MiB or more
echo "$scrape" | grep -Eq '^rodsgate_readahead_window_bytes_count\{pattern="sequential"\} [1-9]' \
  || fail "no read-ahead windows counted: $(echo "$scrape" | grep readahead)"
seq_small="$(echo "$scrape" | sed -n 's/^rodsgate_readahead_window_bytes_bucket{pattern="sequential",le="1048576.0"} //p')"
seq_all="$(echo "$scrape" | sed -n 's/^rodsgate_readahead_window_bytes_count{pattern="sequential"} //p')"
[ "${seq_small%.*}" -lt "${seq_all%.*}" ] || fail "no read-ahead window above 1 MiB: $(echo "$scrape" | grep 'readahead.*sequential')"
pass "metrics: $(echo "$scrape" | grep -c '^rodsgate_') rodsgate series after ls -l and a missing stat"
st="$("$RODSGATE" status --mount "$work/mnt2")" || fail "status --mount: $st"
echo "$st" | grep -q "^mount_point: *$work/mnt2" && echo "$st" | grep -q '"getattr"' || fail "status of the running mount: $st"
sock="$("$RODSGATE" status --mount "$work/mnt2" --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["mount_point"])')"
[ "$sock" = "$work/mnt2" ] || fail "status --json: $sock"
sockdir=/run/rodsgate
[ "$(stat -c %a "$sockdir")" = 700 ] || fail "status socket directory $sockdir is $(stat -c %a "$sockdir"), not 700"
pass "status --mount answers for the running mount (owner-only socket in $sockdir)"
stop_mount "$work/mnt2"
out="$("$RODSGATE" status --mount "$work/mnt2" 2>&1)" && fail "status of a stopped mount succeeded"
pass "status of a stopped mount: $out"

# ---- the watcher's metrics: units by state in the ledger
WP="$(free_port)"
printf 'omero\n' >"$work/env/omero.pw"; chmod 600 "$work/env/omero.pw"
cat >"$work/env/watch.yaml" <<YAML
irods:
  environment: $work/env/irods_environment.json
  authentication: $work/sb3/.irodsA
watch:
  collections: [/tempZone/home/rods]
  mount: $work/mnt2
  ledger: {sqlite: $work/env/ledger.db}
omero:
  cli: /bin/false
  password_file: omero.pw
YAML
"$RODSGATE" watch --config "$work/env/watch.yaml" --metrics-port "$WP" >"$work/watch.log" 2>&1 &
wpid=$!
for _ in $(seq 1 300); do grep -q '^ready' "$work/watch.log" && break; sleep 0.1; done
grep -q '^ready' "$work/watch.log" || { cat "$work/watch.log"; fail "watch did not start"; }
# a backlog as the ledger holds it: a unit queued 2 minutes ago, not due before an hour from now
"$PY" - "$work/env/ledger.db" <<'PY'
import sqlite3, sys, time
now = int(time.time() * 1000)
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO units(ukey, kind, paths, owner, state, next_attempt, created, updated)"
          " VALUES ('/tempZone/home/rods/backlog.tif', 'FILE', '/tempZone/home/rods/backlog.tif', 'rods', 'pending', ?, ?, ?)",
          (now + 3600000, now - 120000, now - 120000))
c.commit()
PY
scrape="$("$PY" -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$WP/metrics', timeout=10).read().decode())")"
kill "$wpid"; wait "$wpid" 2>/dev/null || true
echo "$scrape" | grep -Eq '^rodsgate_watch_units\{state="pending"\} [1-9]' || fail "no pending unit in the watcher units gauge: $(echo "$scrape" | grep rodsgate_watch)"
age="$(echo "$scrape" | sed -n 's/^rodsgate_watch_oldest_pending_age_seconds //p')"
[ -n "$age" ] && [ "${age%.*}" -ge 120 ] && [ "${age%.*}" -lt 600 ] || fail "oldest pending age '$age', not about 120 s: $(echo "$scrape" | grep rodsgate_watch)"
pass "watch --metrics-port: units by state, rodsgate_watch_oldest_pending_age_seconds $age"

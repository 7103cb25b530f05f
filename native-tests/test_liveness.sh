#!/usr/bin/env bash
# Liveness of the mount (issue 8): open files do not starve metadata calls; a stalled server (SIGSTOP) gives
# errors within the configured reply timeout and fails fast afterwards; a server that is down reads "Host is
# down", not "Transport endpoint is not connected"; the mount recovers by itself when the server is back.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_liveness.sh: no /dev/fuse"; exit 0; }
work="$(mktemp -d "/tmp/rodsgate nt-XXXXXX")"
mnt="$work/mnt"
holder=
trap '[ -z "$holder" ] || kill "$holder" 2>/dev/null; [ -z "${SANDBOX_PID:-}" ] || kill -CONT "$SANDBOX_PID" 2>/dev/null;
      stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb"
for i in $(seq 1 17); do echo "file $i" >"$work/f$i"; "$RODSGATE" put "$work/f$i" "f$i.txt" >/dev/null; done
cat >"$work/rodsgate.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
mount:
  cache: {attr_ttl_seconds: 0, negative_ttl_seconds: 0}
  kernel: {entry_timeout: 0, negative_timeout: 0}
  timeouts: {reply_seconds: 3, connect_seconds: 2, connection_wait_seconds: 2, down_retry_max_seconds: 1}
YAML
start_mount "$mnt" --config "$work/rodsgate.yaml"
H="$mnt/tempZone/home/rods"
ms() { date +%s%3N; }

# --- 16 open files (the default pool size) do not starve stat and readdir of the same identity, and idle readers
# give their connections back to a 17th open (reopening at their offset when read again)
"$PY" - "$H" "$work" <<'PY' &
import os, sys, time
h, work = sys.argv[1], sys.argv[2]
fds = [os.open(os.path.join(h, "f%d.txt" % i), os.O_RDONLY) for i in range(1, 17)]
for fd in fds:
    assert os.read(fd, 4) == b"file"
open(os.path.join(work, "held"), "w").close()
while not os.path.exists(os.path.join(work, "go")):
    time.sleep(0.1)
for i, fd in enumerate(fds, 1):
    rest = os.read(fd, 100)
    assert rest == (" %d\n" % i).encode(), (i, rest)
open(os.path.join(work, "verified"), "w").close()
time.sleep(600)
PY
holder=$!
for _ in $(seq 1 200); do [ -e "$work/held" ] && break; sleep 0.1; done
[ -e "$work/held" ] || fail "could not open 16 files"
t0=$(ms)
stat "$H/f17.txt" >/dev/null || fail "stat while 16 files are open"
ls "$H" | grep -q f17.txt || fail "readdir while 16 files are open"
t1=$(ms)
[ $((t1 - t0)) -lt 2000 ] || fail "stat+readdir took $((t1 - t0)) ms while 16 files were open"
pass "test_16_open_files_do_not_starve_metadata: stat and readdir in $((t1 - t0)) ms"
t0=$(ms)
[ "$(cat "$H/f17.txt")" = "file 17" ] || fail "a 17th open while 16 idle readers hold every I/O connection"
t1=$(ms)
[ $((t1 - t0)) -lt 2000 ] || fail "the 17th open took $((t1 - t0)) ms"
touch "$work/go"
for _ in $(seq 1 100); do [ -e "$work/verified" ] && break; sleep 0.1; done
[ -e "$work/verified" ] || fail "the 16 readers did not read on correctly after giving their connections back"
kill "$holder"; wait "$holder" 2>/dev/null || true; holder=
pass "test_17th_open_takes_an_idle_readers_connection: $((t1 - t0)) ms; the readers reopen at their offsets"

# --- truly exhausted (16 files open for writing, which cannot give theirs back): EAGAIN in bounded time, logged once
"$PY" - "$H" "$work" <<'PY' &
import os, sys, time
h, work = sys.argv[1], sys.argv[2]
fds = [os.open(os.path.join(h, "w%d.txt" % i), os.O_WRONLY | os.O_CREAT | os.O_TRUNC) for i in range(1, 17)]
for fd in fds:
    os.write(fd, b"x")
open(os.path.join(work, "wheld"), "w").close()
time.sleep(600)
PY
holder=$!
for _ in $(seq 1 200); do [ -e "$work/wheld" ] && break; sleep 0.1; done
[ -e "$work/wheld" ] || fail "could not open 16 files for writing"
t0=$(ms)
err="$(cat "$H/f17.txt" 2>&1 >/dev/null)" && fail "an open with all 16 I/O connections held by writers succeeded?"
t1=$(ms)
printf '%s' "$err" | grep -q "Resource temporarily unavailable" || fail "17th open: expected EAGAIN, got: $err"
[ $((t1 - t0)) -lt 5000 ] || fail "17th open took $((t1 - t0)) ms to fail (connection_wait_seconds: 2)"
stat "$H/f17.txt" >/dev/null || fail "stat while 16 writers hold every I/O connection"
[ "$(grep -c "WARNING.*no I/O connection to iRODS free" "$mnt.log")" = 1 ] || fail "exhaustion not logged once: $(cat "$mnt.log")"
kill "$holder"; wait "$holder" 2>/dev/null || true; holder=
sleep 0.5
[ "$(cat "$H/f17.txt")" = "file 17" ] || fail "17th file readable once the writers are closed"
pass "test_17th_open_fails_with_eagain_when_writers_hold_all: $((t1 - t0)) ms, logged once"

# --- a stalled server (SIGSTOP): errors within the reply timeout, then fast; recovery after SIGCONT
cat "$H/f1.txt" >/dev/null
kill -STOP "$SANDBOX_PID"
t0=$(ms)
err="$(stat "$H/f2.txt" 2>&1)" && fail "stat succeeded against a stopped server?"
t1=$(ms)
[ $((t1 - t0)) -lt 7000 ] || fail "stat against a stopped server took $((t1 - t0)) ms (reply 3 s + connect 2 s): $err $(grep -v "ReadStream\|Prefetch" "$mnt.log" | tail -25)"
printf '%s' "$err" | grep -q "not connected" && fail "stalled server reported as a crashed daemon: $err"
# while it stays stopped: every call fails within the connect timeout (a probe) or at once ("Host is down")
down=0
for i in 1 2 3 4 5; do
  t2=$(ms)
  err2="$(ls "$H" 2>&1)" && fail "ls succeeded against a stopped server?"
  t3=$(ms)
  [ $((t3 - t2)) -lt 4500 ] || fail "ls against a server known down took $((t3 - t2)) ms: $err2"
  printf '%s' "$err2" | grep -q "not connected" && fail "stalled server reported as a crashed daemon: $err2"
  printf '%s' "$err2" | grep -q "Host is down" && down=$((down + 1))
done
[ "$down" -ge 1 ] || fail "no call failed fast with 'Host is down' while the server was known down: $err2 $(grep "FuseAdapter\|Health" "$mnt.log" | tail -30)"
kill -0 "$MOUNT_PID" || fail "mount daemon died"
pass "test_sigstop_stat_bounded: first error after $((t1 - t0)) ms ($err), then $down of 5 calls 'Host is down' at once"
kill -CONT "$SANDBOX_PID"
ok=
for _ in $(seq 1 50); do
  if [ "$(cat "$H/f3.txt" 2>/dev/null)" = "file 3" ]; then ok=1; break; fi
  sleep 0.2
done
[ -n "$ok" ] || fail "mount did not recover after SIGCONT: $(tail -5 "$mnt.log")"
[ "$(grep -c "WARNING.*does not answer" "$mnt.log")" = 1 ] || fail "outage start not logged once: $(grep -c "WARNING.*does not answer" "$mnt.log")"
grep -q "answers again" "$mnt.log" || fail "outage end not logged"
pass "test_sigstop_recovers_after_sigcont: one log line at the start, one at the end, no remount"

# --- server down (stopped process): a clear errno, quickly; recovery when it is back on the same port
stop_sandbox
t0=$(ms)
err="$(cat "$H/f4.txt" 2>&1 >/dev/null)" && fail "cat succeeded with the server down?"
t1=$(ms)
printf '%s' "$err" | grep -q "Host is down" || fail "server down: expected 'Host is down', got: $err"
[ $((t1 - t0)) -lt 5000 ] || fail "cat with the server down took $((t1 - t0)) ms"
"$RODSGATE" sandbox --dir "$work/sb" --port "$PORT" --no-mount >"$work/sb/sandbox2.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 300); do grep -q '^ready' "$work/sb/sandbox2.log" 2>/dev/null && break; sleep 0.1; done
ok=
for _ in $(seq 1 50); do
  if [ "$(cat "$H/f4.txt" 2>/dev/null)" = "file 4" ]; then ok=1; break; fi
  sleep 0.2
done
[ -n "$ok" ] || fail "mount did not recover after the server restarted: $(tail -5 "$mnt.log")"
pass "test_server_down_host_is_down_then_recovers: '$err' in $((t1 - t0)) ms, recovered without remount"

# --- remount right after a crash (kill -9, no wait): works at once
for round in 1 2 3; do
  cat "$H/f5.txt" >/dev/null
  ( cd "$H" && exec sleep 30 ) &   # a process using the mount when it crashes keeps the old one busy
  busy=$!
  sleep 0.3
  kill -9 "$MOUNT_PID"
  t0=$(ms)
  start_mount "$mnt" --config "$work/rodsgate.yaml"
  t1=$(ms)
  [ "$(cat "$H/f5.txt")" = "file 5" ] || fail "remount after kill -9 (round $round): $(cat "$mnt.log")"
  [ $((t1 - t0)) -lt 10000 ] || fail "remount after kill -9 took $((t1 - t0)) ms"
  kill "$busy" 2>/dev/null || true
done
pass "test_remount_right_after_kill_9: ready $((t1 - t0)) ms after the crash (3 rounds)"

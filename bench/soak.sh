#!/usr/bin/env bash
# Soak of the mount (issue 8): 8 local users in per-user mode write, read back, list and stat in a loop while
# objects change remotely and faults are injected (the server stalled with SIGSTOP, connections cut mid-reply).
# Reports the daemon's RSS over time, latency percentiles per operation and error counts; fails if a file read back
# differs from what was written, if the daemon dies or stops answering, or if RSS exceeds the bound.
# Usage: bench/soak.sh [SECONDS] [MAX_RSS_MIB]   (default 1800 s, 512 MiB; CI runs 120 s)
source "$(dirname "$0")/../native-tests/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP soak: no /dev/fuse"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP soak: needs root to create local users"; exit 0; }
secs="${1:-1800}"; max_rss="${2:-512}"
work="$(mktemp -d /tmp/rodsgate-soak-XXXXXX)"; chmod 755 "$work"
mnt="$work/mnt"
users=(); for i in 1 2 3 4 5 6 7 8; do users+=("rgsoak$i"); done
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -z "${SANDBOX_PID:-}" ] || kill -CONT "$SANDBOX_PID" 2>/dev/null || true
  stop_mount "$mnt"; stop_sandbox; rm -rf "$work"
}
trap cleanup EXIT
( umask 077; : >"$work/users" )   # passwords go in a 0600 file, never on a command line
for u in "${users[@]}"; do
  id "$u" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$u"
  echo "$u:pw-$u" >>"$work/users"
done
start_sandbox "$work/sb" --users-file "$work/users"
cat >"$work/rodsgate.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
mount:
  identity: per-user
  timeouts: {reply_seconds: 5, connect_seconds: 3, connection_wait_seconds: 5, down_retry_max_seconds: 2}
YAML
start_mount "$mnt" --config "$work/rodsgate.yaml"
mpid=$MOUNT_PID
end=$(( $(date +%s) + secs ))
mkdir -p "$work/lat"; chmod 777 "$work/lat"

# each user: write a file (1-4 MiB), read it back and compare, list the directory, stat the file
worker() {
  local u="$1" H="$mnt/tempZone/home/$1" n=0 last_write=err
  local src="$work/lat/$u.src" back="$work/lat/$u.back" lat="$work/lat/$u.lat"
  while [ "$(date +%s)" -lt "$end" ]; do
    n=$((n + 1))
    head -c $(( (RANDOM % 4 + 1) * 1048576 )) /dev/urandom >"$src"; chmod 644 "$src"
    for op in write read ls stat; do
      t0=$(date +%s%N); ok=ok
      case $op in
        write) runuser -u "$u" -- cp "$src" "$H/f$((n % 5))" 2>/dev/null || ok=err ;;
        read)  runuser -u "$u" -- cat "$H/f$((n % 5))" >"$back" 2>/dev/null || ok=err
               if [ "$ok" = ok ] && [ "$last_write" = ok ] && ! cmp -s "$src" "$back"; then ok=CORRUPT; fi ;;
        ls)    runuser -u "$u" -- ls -l "$H" >/dev/null 2>&1 || ok=err ;;
        stat)  runuser -u "$u" -- stat "$H/f$((n % 5))" >/dev/null 2>&1 || ok=err ;;
      esac
      [ $op = write ] && last_write=$ok
      echo "$op $ok $(( ($(date +%s%N) - t0) / 1000000 ))" >>"$lat"
    done
  done
}
for u in "${users[@]}"; do worker "$u" & pids+=($!); done

# remote changes: objects created and removed outside the mount, in every user's home
"$PY" - "$PORT" "$end" "${users[@]}" <<'PY' >"$work/remote.log" 2>&1 &
import sys, time
from irods.session import iRODSSession
port, end, users = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
i = 0
while time.time() < end:
    try:
        with iRODSSession(host="localhost", port=port, user="rods", password="rods", zone="tempZone") as s:
            u = users[i % len(users)]
            p = "/tempZone/home/%s/remote%d" % (u, i % 3)
            o = s.data_objects.create(p, force=True)
            with o.open("w") as f:
                f.write(b"remote %d" % i)
            print("remote ok", i)
    except Exception as e:
        print("remote error", i, type(e).__name__)
    i += 1
    time.sleep(0.5)
PY
pids+=($!)

# faults: every 20 s, alternately a stall of 3 s (SIGSTOP) and a connection cut in the middle of a reply
fault=0
echo "t_s rss_mib" >"$work/rss"
t_start=$(date +%s)
while [ "$(date +%s)" -lt "$end" ]; do
  kill -0 "$mpid" 2>/dev/null || fail "the mount daemon died"
  echo "$(( $(date +%s) - t_start )) $(( $(awk '/VmRSS/ {print $2}' "/proc/$mpid/status") / 1024 ))" >>"$work/rss"
  el=$(( $(date +%s) - t_start ))
  if [ $((el % 20)) -eq 10 ] && [ "$el" -ne "$fault" ]; then
    fault=$el
    if [ $(( (el / 20) % 2 )) -eq 0 ]; then
      kill -STOP "$SANDBOX_PID"; sleep 3; kill -CONT "$SANDBOX_PID"; echo "fault stall at $el s" >>"$work/faults"
    else
      echo 300000 >"$work/sb/fault-cut-after"; echo "fault cut at $el s" >>"$work/faults"
    fi
  fi
  sleep 1
done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
answers=
for _ in $(seq 1 50); do   # the server answers again; the mount must too, without remount
  runuser -u rgsoak1 -- ls "$mnt/tempZone/home/rgsoak1" >/dev/null 2>&1 && { answers=1; break; }
  sleep 0.2
done
kill -0 "$mpid" || fail "the mount daemon died"

cat "$work/lat"/*.lat >"$work/all.lat"
echo "rodsgate soak, $(date -u +%F), $(nproc) cores, ${secs} s, 8 users, faults: $(wc -l <"$work/faults" 2>/dev/null || echo 0)"
"$PY" - "$work/all.lat" "$work/rss" "$max_rss" <<'PY'
import sys, collections
ops = collections.defaultdict(list); res = collections.Counter()
for line in open(sys.argv[1]):
    op, ok, ms = line.split()
    res[(op, ok)] += 1
    if ok == "ok":
        ops[op].append(int(ms))
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(len(v) * p))] if v else 0
for op in ("write", "read", "ls", "stat"):
    v = ops[op]
    print("  %-6s ok %5d  err %4d  p50 %6d ms  p95 %6d ms  p99 %6d ms  max %6d ms" % (op, res[(op, "ok")],
          res[(op, "err")], pct(v, .5), pct(v, .95), pct(v, .99), max(v) if v else 0))
rss = [tuple(map(int, l.split())) for l in list(open(sys.argv[2]))[1:]]
print("  RSS MiB over time (every 10th sample): " + " ".join("%d@%ds" % (r, t) for t, r in rss[::10]))
print("  RSS MiB: min %d, max %d, last %d" % (min(r for _, r in rss), max(r for _, r in rss), rss[-1][1]))
if res[("read", "CORRUPT")]:
    print("FAIL: %d reads differed from what was written" % res[("read", "CORRUPT")]); sys.exit(1)
if max(r for _, r in rss) > int(sys.argv[3]):
    print("FAIL: RSS above %s MiB" % sys.argv[3]); sys.exit(1)
if res[("write", "ok")] == 0 or res[("read", "ok")] == 0:
    print("FAIL: nothing succeeded"); sys.exit(1)
PY
[ -n "$answers" ] || fail "the mount does not answer after the soak: $(tail -5 "$mnt.log")"
echo "  errors: $(grep -c WARNING "$mnt.log") warnings in the mount log; the mount answers after the soak"

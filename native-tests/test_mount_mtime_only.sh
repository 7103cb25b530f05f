#!/usr/bin/env bash
# Issue 7, failing input 9: every utimens reaches iRODS, mtime-only included (touch -m), for files and directories;
# a directory's time never changes by itself when a cache entry expires (after rsync -a, directory times are the
# source's). Caches expire after 1 s here so that the test sees what an expired entry shows.
source "$(dirname "$0")/lib.sh"
cfg="$(mktemp /tmp/rodsgate-cfg-XXXXXX.yaml)"; short_cache_config "$cfg"
mounted_sandbox --config "$cfg"
rm -f "$cfg"
want=$(date -d '2019-05-05 05:05:05 UTC' +%s)

echo f >"$H/f"; mkdir "$H/d"
touch -m -d '2019-05-05 05:05:05 UTC' "$H/f" "$H/d" || fail "touch -m"
for p in f d; do
  [ "$(stat -c %Y "$H/$p")" = "$want" ] || fail "touch -m of $p: mtime $(stat -c %Y "$H/$p")"
  "$RODSGATE" stat "/tempZone/home/rods/$p" | grep -q "2019-05-05T05:05:05Z" || fail "iRODS did not get the mtime of $p"
done
"$PY" - "$H/f" "$H/d" <<'PY' || fail "utimensat with UTIME_OMIT for the access time"
import os, sys
for p in sys.argv[1:]:
    os.utime(p, ns=(1_000_000_000, 1_234_567_890_000_000_000))   # both set
    st = os.stat(p); assert int(st.st_mtime) == 1234567890, (p, st.st_mtime)
    os.utime(p, times=None)                                      # both now
    assert abs(os.stat(p).st_mtime - __import__('time').time()) < 5
PY
pass "touch -m and utimensat reach iRODS for files and directories"

src="$work/tree"; mkdir -p "$src/a/b/c" "$src/e"
for d in a a/b a/b/c e; do for i in 1 2; do echo "$d$i" >"$src/$d/f$i"; done; done
touch -d '2015-01-01 01:01:01 UTC' "$src/a/f1" "$src/a/b/c" "$src/a/b" "$src/a" "$src/e" "$src"
rsync -a "$src/" "$H/tree/" || fail "rsync -a"
sleep 3   # every cache entry has expired
(cd "$src" && find . -printf '%p %Ts\n' | sort) >"$work/src.times"
(cd "$H/tree" && find . -printf '%p %Ts\n' | sort) >"$work/mnt.times"
diff "$work/src.times" "$work/mnt.times" || fail "times after rsync -a differ (left: source, right: mount)"
rsync -a "$H/tree/" "$H/tree2/" || fail "rsync -a mount to mount"
sleep 3
(cd "$H/tree2" && find . -printf '%p %Ts\n' | sort) >"$work/mnt2.times"
diff "$work/src.times" "$work/mnt2.times" || fail "times after rsync -a mount to mount differ"
pass "rsync -a keeps file and directory times, local to mount and mount to mount, after the caches expired"

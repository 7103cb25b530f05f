#!/usr/bin/env bash
# Bench of the reverse direction (OMERO -> iRODS) with the `omero` double: filesets described per second when they
# were imported in place from the mount (rule in_place: nothing copied, AVUs + ACLs in iRODS, tag + map annotation in
# OMERO), and filesets placed per second with the copy rule (small files: the per-fileset cost, not the bytes).
# Usage: bash bench/reverse-describe.sh [N]   (N filesets of each kind, default 200)
source "$(dirname "$0")/../native-tests/lib.sh"
[ "$(id -u)" -eq 0 ] || fail "needs root (creates the OMERO OS user)"
[ -e /dev/fuse ] || fail "needs /dev/fuse (the in-place filesets are read through the mount)"
N="${1:-200}"
work="$(mktemp -d /tmp/rodsgate-rbench-XXXXXX)"; chmod 755 "$work"
mnt="$work/mnt"
gw=
trap '[ -n "$gw" ] && { kill "$gw" 2>/dev/null; wait "$gw" 2>/dev/null; }; stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
omero_double_setup "$work/omero"
start_sandbox "$work/sb"
start_mount "$mnt" --allow-other
(umask 077; echo omero >"$work/omero.pw")
mkdir -p "$work/tmp" "$work/up"; chown rgtest_omero "$work/tmp"
for i in $(seq 1 "$N"); do head -c 2000 /dev/urandom >"$work/up/c$i.tif"; done; chmod -R a+rX "$work/up"
"$PY" - "$PORT" "$work/up" "$N" <<'PY'
import sys
from irods.session import iRODSSession
port, up, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with iRODSSession(host="localhost", port=int(port), user="rods", password="rods", zone="tempZone") as s:
    s.collections.create("/tempZone/home/rods/inplace")
    for i in range(1, n + 1):
        s.data_objects.put("%s/c%d.tif" % (up, i), "/tempZone/home/rods/inplace/i%d.tif" % i)
PY
imp() { OMERO_PASSWORD_FOR_OM=omero om import -u rods --sudo root -q --output=yaml --file "$work/tmp/o.yaml" \
  --errs "$work/tmp/e.txt" "$@" >/dev/null; }
imp --transfer=ln_s "$mnt"/tempZone/home/rods/inplace/i*.tif
imp "$work"/up/c*.tif
cat >"$work/gw.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
reverse:
  repository: $OMERO_DOUBLE_DIR/ManagedRepository
  mount: $mnt
  poll_seconds: 1
  page_size: 500
  ledger: {sqlite: $work/ledger.db}
  rules:
    - {match: "*", kind: copy, template: "/tempZone/home/%user%/from-omero/%fileset%/%name%"}
omero:
  cli: $OMERO
  os_user: rgtest_omero
  password_file: omero.pw
  env: {OMERO_DOUBLE_DIR: "$OMERO_DOUBLE_DIR"}
YAML
done_by() { grep -c "Fileset:[0-9]* -> .*{$1=1} (" "$work/gw.log" || true; }
t0=$(date +%s.%N)
"$RODSGATE" watch --config "$work/gw.yaml" >"$work/gw.log" 2>&1 &
gw=$!
t_in=; t_copy=
while [ -z "$t_copy" ] || [ -z "$t_in" ]; do
  [ -z "$t_in" ] && [ "$(done_by found)" -ge "$N" ] && t_in=$(date +%s.%N)
  [ -z "$t_copy" ] && [ "$(done_by copied)" -ge "$N" ] && t_copy=$(date +%s.%N)
  kill -0 "$gw" 2>/dev/null || { tail "$work/gw.log"; fail "the gateway stopped"; }
  sleep 0.5
done
# the worker takes filesets in id order: the in-place ones (imported first) are done first
echo "rodsgate reverse bench, $(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), omero double, poll 1 s:"
printf '  %d in-place filesets described (AVUs, ACLs, tag, map annotation): %.1f s, %.2f filesets/s\n' "$N" \
  "$(echo "$t_in - $t0" | bc -l)" "$(echo "$N / ($t_in - $t0)" | bc -l)"
printf '  %d uploaded filesets of 2 KB copied, verified and described:     %.1f s, %.2f filesets/s\n' "$N" \
  "$(echo "$t_copy - $t_in" | bc -l)" "$(echo "$N / ($t_copy - $t_in)" | bc -l)"

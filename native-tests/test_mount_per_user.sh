#!/usr/bin/env bash
# per-user mode: two local users, each acting with their own iRODS identity through one mount, on a zone whose ACLs
# are a fresh real zone's (the sandbox's). With RODSGATE_TEST_IRODS_ENV (a rodsadmin's environment) the same runs
# against that real iRODS; it then needs RODSGATE_TEST_IRODS_USERS_FILE: a 0600 file naming two rodsusers,
# NAME:PASSWORD a line, whose homes it writes test files into (removed at the end).
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_mount_per_user.sh: no /dev/fuse"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_mount_per_user.sh: needs root to create local test users"; exit 0; }
if [ -n "${RODSGATE_TEST_IRODS_ENV:-}" ] && [ -z "${RODSGATE_TEST_IRODS_USERS_FILE:-}" ]; then
  echo "SKIP test_mount_per_user.sh: RODSGATE_TEST_IRODS_ENV is set but RODSGATE_TEST_IRODS_USERS_FILE (two rodsusers) is not"
  exit 0
fi
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
chmod 755 "$work"
mnt="$work/mnt"
for u in rgtest_alice rgtest_bob; do id "$u" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$u"; done
trap 'stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
if [ -n "${RODSGATE_TEST_IRODS_ENV:-}" ]; then
  IFS=: read -r IA PA < <(sed -n 1p "$RODSGATE_TEST_IRODS_USERS_FILE")
  IFS=: read -r IB PB < <(sed -n 2p "$RODSGATE_TEST_IRODS_USERS_FILE")
  irods_target "$work/sb"
else
  IA=alice PA=alice-pw IB=bob PB=bob-pw
  irods_target "$work/sb" --users-file "$(users_file "$work/users" "$IA:$PA" "$IB:$PB")"
fi
cat >"$work/rodsgate.yaml" <<YAML
irods:
  environment: $IRODS_ENVIRONMENT_FILE
  authentication: $IRODS_AUTHENTICATION_FILE
mount:
  identity: per-user
  user_map:
    rgtest_alice: $IA
    rgtest_bob: $IB
YAML
start_mount "$mnt" --config "$work/rodsgate.yaml"
grep -q "per-user, allow_other" "$mnt.log" || fail "per-user mode not announced: $(cat "$mnt.log")"
as() { local u="$1"; shift; runuser -u "$u" -- "$@"; }
prc() { "$PY" - "$IHOST" "$PORT" "$ZONE" "$@"; }   # python-irodsclient as a given user, script on stdin
HA="/$ZONE/home/$IA"; HB="/$ZONE/home/$IB"; A="$mnt$HA"; B="$mnt$HB"
T="rodsgate-nt-$$"   # test files carry this in their names

# a fresh zone's ACLs: alice may not even stat /$ZONE/home, and the mount still walks her there
prc "$IA" "$PA" <<'PY' || fail "iRODS hides /zone/home from alice, as a fresh iRODS zone does"
import sys
from irods.session import iRODSSession
from irods.exception import CollectionDoesNotExist
host, port, zone, user, pw = sys.argv[1:6]
with iRODSSession(host=host, port=int(port), user=user, password=pw, zone=zone) as s:
    try:
        s.collections.get("/%s/home" % zone)
        sys.exit(1)
    except CollectionDoesNotExist:
        pass
PY
as rgtest_alice ls "$mnt" | grep -qx "$ZONE" || fail "alice lists the mount root: $(as rgtest_alice ls "$mnt" 2>&1)"
as rgtest_alice ls "$mnt/$ZONE" | grep -qx home || fail "alice lists /$ZONE"
home_ls="$(as rgtest_alice ls "$mnt/$ZONE/home" | tr '\n' ' ')"
printf ' %s' "$home_ls" | grep -q " $IA " || fail "alice's listing of /$ZONE/home lacks her home: '$home_ls'"
printf ' %s' "$home_ls" | grep -q " $IUSER " && fail "alice sees the proxy's home: '$home_ls'"
if [ "$REAL" = 0 ]; then
  [ "$(as rgtest_alice ls "$mnt/$ZONE" | tr '\n' ' ')" = "home trash " ] || fail "alice lists /$ZONE"
  [ "$home_ls" = "alice public " ] || fail "alice lists /$ZONE/home as '$home_ls' (rods and bob are hidden from her)"
fi
as rgtest_alice sh -c "cd '$A' && touch '$T-walked-in'" || fail "alice walks from the mount root into her home"
if as rgtest_alice ls "$mnt/$ZONE/home/$IUSER" >/dev/null 2>&1; then fail "alice sees the proxy's home"; fi
if as rgtest_alice mkdir "$mnt/$ZONE/home/$T-intruder" 2>/dev/null; then fail "a passage gave alice write rights"; fi
pass "per-user traversal on fresh-zone ACLs: /, /$ZONE, /$ZONE/home listed with what alice may enter"
proxy="$IUSER"; id "$proxy" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$proxy"
if as "$proxy" ls "$mnt/$ZONE/home" >/dev/null 2>&1; then fail "a local user named like the proxy acts as it"; fi
pass "a local account named like the proxy rodsadmin ($proxy) gets no iRODS identity"

as rgtest_alice sh -c "echo 'alice secret' > '$A/$T-secret.txt'" || fail "alice writes in her home"
as rgtest_bob sh -c "echo 'bob secret' > '$B/$T-secret.txt'" || fail "bob writes in his home"
[ "$(as rgtest_alice cat "$A/$T-secret.txt")" = "alice secret" ] || fail "alice reads her file"
if as rgtest_bob cat "$A/$T-secret.txt" >/dev/null 2>&1; then fail "bob read alice's file"; fi
if as rgtest_alice cat "$B/$T-secret.txt" >/dev/null 2>&1; then fail "alice read bob's file"; fi
if as rgtest_bob sh -c "echo x > '$A/$T-intruder.txt'" 2>/dev/null; then fail "bob wrote into alice's home"; fi
if cat "$A/$T-secret.txt" >/dev/null 2>&1; then fail "root (no iRODS identity) read alice's file"; fi
pass "two local users cannot read or write each other's data; root gets no admin rights"
[ "$(as rgtest_alice stat -c %U "$A/$T-secret.txt")" = rgtest_alice ] || fail "owner shown to alice"
"$RODSGATE" stat "$HA/$T-secret.txt" | grep -q "owner:    $IA" || fail "iRODS owner is alice"
pass "objects created through the mount belong to the user's iRODS identity"
prc "$IA" "$PA" "$IB" "$HA/$T-secret.txt" "$HA" <<'PY' || fail "alice shares her file with bob"
import sys
from irods.session import iRODSSession
from irods.access import iRODSAccess
host, port, zone, user, pw, other, path, home = sys.argv[1:9]
with iRODSSession(host=host, port=int(port), user=user, password=pw, zone=zone) as s:
    s.permissions.set(iRODSAccess("read", path, other, zone))
    s.permissions.set(iRODSAccess("read", home, other, zone))
PY
sleep 6   # a change made outside the mount shows within the cache TTL (5 s)
[ "$(as rgtest_bob cat "$A/$T-secret.txt")" = "alice secret" ] || fail "bob reads after alice granted read"
if as rgtest_bob sh -c "echo x >> '$A/$T-secret.txt'" 2>/dev/null; then fail "read access let bob write"; fi
pass "an iRODS grant opens the file to bob, read-only"
as rgtest_bob ls "$mnt/$ZONE/home" | grep -qx "$IA" || fail "bob's listing of /$ZONE/home shows alice's shared home"
pass "what is shared with bob appears in his listing of /$ZONE/home"
prc "$IA" "$PA" "$IB" "$HA" <<'PY' || fail "alice takes her home's grant back"
import sys
from irods.session import iRODSSession
from irods.access import iRODSAccess
host, port, zone, user, pw, other, home = sys.argv[1:8]
with iRODSSession(host=host, port=int(port), user=user, password=pw, zone=zone) as s:
    s.permissions.set(iRODSAccess("null", home, other, zone))
PY
for u in rgtest_alice:"$A" rgtest_bob:"$B"; do as "${u%%:*}" sh -c "rm -f '${u#*:}/$T'-*"; done

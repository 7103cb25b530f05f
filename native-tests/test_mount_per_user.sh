#!/usr/bin/env bash
# per-user mode: two local users, each acting with their own iRODS identity through one mount.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_mount_per_user.sh: no /dev/fuse"; exit 0; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP test_mount_per_user.sh: needs root to create local test users"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
chmod 755 "$work"
mnt="$work/mnt"
for u in rgtest_alice rgtest_bob; do id "$u" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$u"; done
trap 'stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb" --users-file "$(users_file "$work/users" alice:alice-pw bob:bob-pw)"
cat >"$work/rodsgate.yaml" <<YAML
irods:
  environment: $work/sb/irods_environment.json
  authentication: $work/sb/.irodsA
mount:
  identity: per-user
  user_map:
    rgtest_alice: alice
    rgtest_bob: bob
YAML
start_mount "$mnt" --config "$work/rodsgate.yaml"
grep -q "per-user, allow_other" "$mnt.log" || fail "per-user mode not announced: $(cat "$mnt.log")"
as() { local u="$1"; shift; runuser -u "$u" -- "$@"; }
A="$mnt/tempZone/home/alice"; B="$mnt/tempZone/home/bob"

# the sandbox's zone ACLs are a fresh real zone's: alice may not even stat /, /tempZone or /tempZone/home
"$PY" - "$PORT" <<'PY' || fail "the sandbox hides /tempZone/home from alice, as a fresh iRODS zone does"
import sys
from irods.session import iRODSSession
from irods.exception import CollectionDoesNotExist
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="alice", password="alice-pw", zone="tempZone") as s:
    try:
        s.collections.get("/tempZone/home")
        sys.exit(1)
    except CollectionDoesNotExist:
        pass
PY
[ "$(as rgtest_alice ls "$mnt")" = "tempZone" ] || fail "alice lists the mount root: $(as rgtest_alice ls "$mnt" 2>&1)"
[ "$(as rgtest_alice ls "$mnt/tempZone" | tr '\n' ' ')" = "home trash " ] || fail "alice lists /tempZone"
home_ls="$(as rgtest_alice ls "$mnt/tempZone/home" | tr '\n' ' ')"
[ "$home_ls" = "alice public " ] || fail "alice lists /tempZone/home as '$home_ls' (rods and bob are hidden from her)"
as rgtest_alice sh -c "cd '$A' && touch walked-in" || fail "alice walks from the mount root into her home"
if as rgtest_alice ls "$mnt/tempZone/home/rods" >/dev/null 2>&1; then fail "alice sees rods's home"; fi
if as rgtest_alice mkdir "$mnt/tempZone/home/intruder" 2>/dev/null; then fail "a passage gave alice write rights"; fi
pass "per-user traversal on fresh-zone ACLs: /, /tempZone, /tempZone/home listed with what alice may enter"
id rods >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin rods
if as rods ls "$mnt/tempZone/home" >/dev/null 2>&1; then fail "a local user named like the proxy acts as it"; fi
pass "a local account named like the proxy rodsadmin gets no iRODS identity"

as rgtest_alice sh -c "echo 'alice secret' > '$A/secret.txt'" || fail "alice writes in her home"
as rgtest_bob sh -c "echo 'bob secret' > '$B/secret.txt'" || fail "bob writes in his home"
[ "$(as rgtest_alice cat "$A/secret.txt")" = "alice secret" ] || fail "alice reads her file"
if as rgtest_bob cat "$A/secret.txt" >/dev/null 2>&1; then fail "bob read alice's file"; fi
if as rgtest_alice cat "$B/secret.txt" >/dev/null 2>&1; then fail "alice read bob's file"; fi
if as rgtest_bob sh -c "echo x > '$A/intruder.txt'" 2>/dev/null; then fail "bob wrote into alice's home"; fi
if cat "$A/secret.txt" >/dev/null 2>&1; then fail "root (no iRODS identity) read alice's file"; fi
pass "two local users cannot read or write each other's data; root gets no admin rights"
[ "$(as rgtest_alice stat -c %U "$A/secret.txt")" = rgtest_alice ] || fail "owner shown to alice"
"$RODSGATE" stat /tempZone/home/alice/secret.txt | grep -q "owner:    alice" || fail "iRODS owner is alice"
pass "objects created through the mount belong to the user's iRODS identity"
"$RODSGATE" meta add /tempZone/home/alice/secret.txt note n1 >/dev/null 2>&1 || true
env IRODS_ENVIRONMENT_FILE="$IRODS_ENVIRONMENT_FILE" "$PY" - "$PORT" <<'PY' || fail "alice shares her file with bob"
import sys
from irods.session import iRODSSession
from irods.access import iRODSAccess
with iRODSSession(host="localhost", port=int(sys.argv[1]), user="alice", password="alice-pw", zone="tempZone") as s:
    s.permissions.set(iRODSAccess("read", "/tempZone/home/alice/secret.txt", "bob", "tempZone"))
    s.permissions.set(iRODSAccess("read", "/tempZone/home/alice", "bob", "tempZone"))
PY
sleep 6   # a change made outside the mount shows within the cache TTL (5 s)
[ "$(as rgtest_bob cat "$A/secret.txt")" = "alice secret" ] || fail "bob reads after alice granted read"
if as rgtest_bob sh -c "echo x >> '$A/secret.txt'" 2>/dev/null; then fail "read access let bob write"; fi
pass "an iRODS grant opens the file to bob, read-only"
as rgtest_bob ls "$mnt/tempZone/home" | grep -qx alice || fail "bob's listing of /tempZone/home shows alice's shared home"

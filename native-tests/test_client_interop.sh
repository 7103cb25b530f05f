#!/usr/bin/env bash
# python-irodsclient against the sandbox, and bytes crossing between it and rodsgate's client both ways;
# then the CLI's one-line errors, and no password in any output or log.
source "$(dirname "$0")/lib.sh"
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
trap 'stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb" --users-file "$(users_file "$work/users" "alice:Secr3t-Alice")"

"$PY" "$ROOT/native-tests/prc_interop.py" localhost "$PORT" rods rods tempZone || fail "python-irodsclient interop"
pass "python-irodsclient everyday operations"

head -c $((20 * 1024 * 1024 + 12345)) /dev/urandom >"$work/src.bin"
"$RODSGATE" put "$work/src.bin" /tempZone/home/rods/by-rodsgate.bin
"$PY" "$ROOT/native-tests/prc_tool.py" get localhost "$PORT" rods rods tempZone /tempZone/home/rods/by-rodsgate.bin "$work/via-prc.bin"
cmp "$work/src.bin" "$work/via-prc.bin" || fail "rodsgate put -> python-irodsclient get differs"
pass "written by rodsgate, read by python-irodsclient, identical"
"$PY" "$ROOT/native-tests/prc_tool.py" put localhost "$PORT" rods rods tempZone "$work/src.bin" "/tempZone/home/rods/by-prc it's & <x>.bin"
"$RODSGATE" get "/tempZone/home/rods/by-prc it's & <x>.bin" "$work/via-rodsgate.bin"
cmp "$work/src.bin" "$work/via-rodsgate.bin" || fail "python-irodsclient put -> rodsgate get differs"
pass "written by python-irodsclient, read by rodsgate, identical (odd name)"
"$RODSGATE" ls -l | grep -q "by-prc it's & <x>.bin" || fail "ls does not show the odd name"

expect_one_line_error() { # expect_one_line_error WHAT PATTERN CMD...
  local what="$1" pattern="$2"; shift 2
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  [ "$rc" -ne 0 ] || fail "$what: exit status 0"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$what: more than one line: $out"
  printf '%s' "$out" | grep -q "$pattern" || fail "$what: '$out' does not match '$pattern'"
  pass "$what -> $out"
}
"$PY" -c "from irods.password_obfuscation import encode; import os; open('$work/bad.irodsA','w').write(encode('not-the-password'))"
chmod 600 "$work/bad.irodsA"
expect_one_line_error "wrong password" "wrong password" env IRODS_AUTHENTICATION_FILE="$work/bad.irodsA" "$RODSGATE" ls
dead_port="$(free_port)"
sed "s/\"irods_port\" : $PORT/\"irods_port\" : $dead_port/" "$IRODS_ENVIRONMENT_FILE" >"$work/dead.json"
expect_one_line_error "unreachable server" "cannot connect" "$RODSGATE" ls --env "$work/dead.json" --auth-file "$IRODS_AUTHENTICATION_FILE"
sed 's/CS_NEG_REFUSE/CS_NEG_REQUIRE/' "$IRODS_ENVIRONMENT_FILE" >"$work/tls.json"
expect_one_line_error "TLS mismatch" "TLS mismatch" "$RODSGATE" ls --env "$work/tls.json" --auth-file "$IRODS_AUTHENTICATION_FILE"
expect_one_line_error "missing path" "stat /tempZone/home/rods/no-such-thing: USER_FILE_DOES_NOT_EXIST" \
  "$RODSGATE" ls /tempZone/home/rods/no-such-thing
expect_one_line_error "meta rm of a missing AVU" "meta rm /tempZone/home/rods: no AVU no-such-attribute=no-such-value there, nothing removed (CAT_SUCCESS_BUT_WITH_NO_INFO)" \
  "$RODSGATE" meta rm /tempZone/home/rods no-such-attribute no-such-value
cp "$IRODS_AUTHENTICATION_FILE" "$work/open.irodsA"; chmod 644 "$work/open.irodsA"
expect_one_line_error "world-readable .irodsA refused" "chmod 600 $work/open.irodsA" \
  env IRODS_AUTHENTICATION_FILE="$work/open.irodsA" "$RODSGATE" ls
RODSGATE_ALLOW_OPEN_SECRET_FILES=1 IRODS_AUTHENTICATION_FILE="$work/open.irodsA" "$RODSGATE" ls >/dev/null \
  || fail "RODSGATE_ALLOW_OPEN_SECRET_FILES=1 did not override the refusal"
pass "RODSGATE_ALLOW_OPEN_SECRET_FILES=1 uses an open .irodsA anyway"
expect_one_line_error "password on the command line refused" "not taken on the command line" \
  "$RODSGATE" sandbox --dir "$work/sb2" --no-mount --user alice:pw
perms="$(stat -c %a "$work/sb/catalog.db") $(stat -c %a "$work/sb/vault") $(stat -c %a "$work/sb/.irodsA")"
[ "$perms" = "600 700 600" ] || fail "catalog.db, vault, .irodsA modes: $perms"
"$PY" -c "
import os, sys
from irods.session import iRODSSession
s = iRODSSession(host='localhost', port=$PORT, user='rods', password='rods', zone='tempZone')
s.data_objects.create('/tempZone/home/rods/mode-probe').open('w').write(b'x')
" && for f in "$work/sb/vault"/*; do [ "$(stat -c %a "$f")" = 600 ] || fail "vault file $f mode $(stat -c %a "$f")"; done
pass "catalog.db 0600, vault 0700 and its files 0600, .irodsA 0600"
printf '{"irods_host": "localhost",' >"$work/broken.json"
expect_one_line_error "malformed environment file" "broken.json" "$RODSGATE" ls --env "$work/broken.json"

RODSGATE_LOG=FINEST "$RODSGATE" ls >"$work/verbose.log" 2>&1 || true
stop_sandbox
for pw in Secr3t-Alice not-the-password; do
  if grep -rq -- "$pw" "$work/sb/sandbox.log" "$work/verbose.log"; then fail "password '$pw' appears in a log"; fi
done
pass "no password in the sandbox log or a FINEST client log"

# restart on the same directory continues where it stopped
start_sandbox "$work/sb"
"$RODSGATE" get -f /tempZone/home/rods/by-rodsgate.bin "$work/after-restart.bin"
cmp "$work/src.bin" "$work/after-restart.bin" || fail "data changed across a restart"
pass "sandbox restart on the same DIR keeps catalog and data"

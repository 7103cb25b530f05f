#!/usr/bin/env bash
# Issue 11, "an upgrade breaks running daemons": a rebuild rewrites target/rodsgate.jar in place (`mvn package`,
# `mvn verify`); daemons started by the launcher run from their own versioned copy in .run/ and are not disturbed.
# Also: `--version` names the build, `--help` answers on subcommands.
source "$(dirname "$0")/lib.sh"
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
saved="$work/target-jar.saved"
restore() { [ -f "$saved" ] && cp "$saved" "$ROOT/target/rodsgate.jar"; }
trap 'stop_sandbox; restore; rm -rf "$work"' EXIT

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

# what a rebuild does to target/rodsgate.jar: the same path rewritten with other bytes
cp "$ROOT/target/rodsgate.jar" "$saved"
head -c 4096 /dev/urandom >"$ROOT/target/rodsgate.jar"
head -c 3000000 /dev/urandom >"$work/a.bin"
"$PY" "$ROOT/native-tests/prc_tool.py" put localhost "$PORT" rods rods tempZone "$work/a.bin" /tempZone/home/rods/after-rebuild.bin \
  || { cat "$work/sb/sandbox.log" >&2; fail "the sandbox stopped serving after target/rodsgate.jar was rewritten"; }
"$PY" "$ROOT/native-tests/prc_tool.py" get localhost "$PORT" rods rods tempZone /tempZone/home/rods/after-rebuild.bin "$work/b.bin"
cmp "$work/a.bin" "$work/b.bin" || fail "bytes differ after the rebuild"
! grep -q "NoClassDefFoundError\|ZipException" "$work/sb/sandbox.log" || fail "class loading failed in the running sandbox"
pass "a rewritten target/rodsgate.jar does not disturb the running sandbox"

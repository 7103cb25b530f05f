#!/usr/bin/env bash
# python-irodsclient's own test suite (shipped by Debian's python3-irodsclient) against the sandbox: every test
# passes but those native-tests/prc_suite.py lists with the reason the sandbox cannot pass them.
source "$(dirname "$0")/lib.sh"
[ -d /usr/lib/python3/dist-packages/irods/test ] || { echo "SKIP test_prc_suite.sh: python3-irodsclient ships no tests here"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
trap 'stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb"
out="$(cd "$work" && "$PY" "$ROOT/native-tests/prc_suite.py" 2>&1)" || { printf '%s\n' "$out" >&2; fail "python-irodsclient's suite"; }
pass "$(printf '%s\n' "$out" | tail -1)"

#!/usr/bin/env bash
# Runs every native test (real processes, real sockets, python-irodsclient, FUSE), each in its own bash; a failing
# test does not stop the others. Ends with one summary line and a non-zero status when any test failed.
set -uo pipefail
cd "$(dirname "$0")"
failed=()
for t in test_*.sh; do
  echo "== native-tests/$t"
  start=$SECONDS
  if bash "$t"; then
    echo "   $t passed in $((SECONDS - start)) s"
  else
    rc=$?
    echo "FAIL: native-tests/$t exited $rc after $((SECONDS - start)) s"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -eq 0 ]; then
  echo "native tests: all passed"
else
  echo "native tests: ${#failed[@]} failed: ${failed[*]}"
  exit 1
fi

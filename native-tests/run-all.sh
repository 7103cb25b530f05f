#!/usr/bin/env bash
# Runs every native test (real processes, real sockets, python-irodsclient); stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")"
for t in test_*.sh; do
  echo "== native-tests/$t"
  bash "$t"
done
echo "native tests: all passed"

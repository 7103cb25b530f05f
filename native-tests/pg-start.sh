#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server (Debian's packages) for the ledger tests and prints the JDBC URL.
# Usage: eval "$(native-tests/pg-start.sh DIR)"  ->  RODSGATE_TEST_PG_URL, RODSGATE_TEST_PG_USER, run_pg_stop
set -euo pipefail
dir="$1"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$bin" ] || { echo "echo 'no PostgreSQL server installed' >&2"; exit 0; }
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$dir"; chown postgres "$dir" 2>/dev/null || true
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
run "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
run "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null
echo "export RODSGATE_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$port/postgres RODSGATE_TEST_PG_USER=postgres"
echo "run_pg_restart() { $( [ "$(id -u)" -eq 0 ] && echo "runuser -u postgres --" ) $bin/pg_ctl -D $dir/data -m fast -w restart >/dev/null 2>&1; }"
echo "run_pg_stop() { $( [ "$(id -u)" -eq 0 ] && echo "runuser -u postgres --" ) $bin/pg_ctl -D $dir/data -m fast stop >/dev/null 2>&1 || true; }"

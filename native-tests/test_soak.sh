#!/usr/bin/env bash
# The 2-minute version of bench/soak.sh (issue 8): 8 users, mixed reads/writes/listings, remote changes, stalls
# and cuts injected; fails on a corrupted read, a dead or unanswering daemon, or RSS above 512 MiB.
set -euo pipefail
exec bash "$(dirname "$0")/../bench/soak.sh" 120 512

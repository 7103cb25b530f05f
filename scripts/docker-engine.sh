#!/usr/bin/env bash
# A Docker engine for the container tests, on a machine without an image registry: prints `export DOCKER_HOST=...`
# (and RODSGATE_DOCKERD_PIDFILE when it started dockerd; eval the output) once an engine answers and the local base image rodsgate-base:bookworm exists; prints nothing and exits
# 1 (saying why on stderr) when none can run here.
# - DOCKER_HOST already answering: used as it is.
# - else Debian's docker.io is installed if missing, and dockerd started with its own data root and socket under
#   $RODSGATE_DOCKER_DIR (default /var/tmp/rodsgate-docker), no bridge and no iptables (containers use --network host).
# - the base image: debootstrap --variant=minbase bookworm + docker import (once; kept in the data root).
set -uo pipefail
dir="${RODSGATE_DOCKER_DIR:-/var/tmp/rodsgate-docker}"
say() { echo "docker-engine: $*" >&2; }
[ "$(id -u)" -eq 0 ] || { say "needs root to start dockerd"; exit 1; }
answers() { DOCKER_HOST="$1" timeout 20 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then host="$DOCKER_HOST"; else
  host="unix://$dir/docker.sock"
  if ! answers "$host"; then
    need=()
    command -v dockerd >/dev/null || need+=(docker.io)
    command -v debootstrap >/dev/null || need+=(debootstrap)
    command -v docker-compose >/dev/null || need+=(docker-compose)
    if [ ${#need[@]} -gt 0 ]; then
      say "installing ${need[*]}"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/dev/null 2>&1 \
        || { say "cannot install ${need[*]}"; exit 1; }
    fi
    mkdir -p "$dir"; chmod 0700 "$dir"
    started=1
    setsid dockerd --bridge=none --iptables=false --ip-masq=false --data-root "$dir/data" --exec-root "$dir/exec" \
      -H "$host" --pidfile "$dir/docker.pid" >"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do answers "$host" && break; sleep 1; done
    answers "$host" || { say "dockerd did not answer within 60 s: $(tail -n 3 "$dir/dockerd.log" | tr '\n' ' ')"; exit 1; }
  fi
fi
if ! DOCKER_HOST="$host" docker image inspect rodsgate-base:bookworm >/dev/null 2>&1; then
  say "making the base image rodsgate-base:bookworm (debootstrap, about 2 minutes)"
  root="$(mktemp -d /var/tmp/rodsgate-rootfs-XXXXXX)"
  mirror="${RODSGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$dir/debootstrap.log" 2>&1; then
    say "debootstrap failed: $(tail -n 2 "$dir/debootstrap.log" | tr '\n' ' ')"; rm -rf "$root"; exit 1
  fi
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" >"$root/etc/apt/sources.list"
  tar -C "$root" -c . | DOCKER_HOST="$host" docker import - rodsgate-base:bookworm >/dev/null \
    || { say "docker import failed"; rm -rf "$root"; exit 1; }
  rm -rf "$root"
fi
echo "export DOCKER_HOST=$host"
[ -z "${started:-}" ] || echo "export RODSGATE_DOCKERD_PIDFILE=$dir/docker.pid"

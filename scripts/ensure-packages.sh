#!/usr/bin/env bash
# Installs missing Debian packages, each named with a check: ensure-packages.sh WHAT...
# WHAT: build (java + maven), fuse (libfuse2 + fusermount), test (everything the test suite uses).
set -euo pipefail
need=()
want() { case "$1" in
  build) command -v java >/dev/null || need+=(openjdk-17-jdk-headless); command -v mvn >/dev/null || need+=(maven) ;;
  fuse) { [ -e /usr/lib/x86_64-linux-gnu/libfuse.so.2 ] || [ -e /lib/x86_64-linux-gnu/libfuse.so.2 ] \
          || ldconfig -p 2>/dev/null | grep -q 'libfuse.so.2 '; } || need+=(libfuse2)
        command -v fusermount >/dev/null || need+=(fuse) ;;
  test) want build; want fuse
        /usr/bin/python3 -c 'import irods' 2>/dev/null || need+=(python3-irodsclient)
        command -v bindfs >/dev/null || need+=(bindfs)
        command -v rsync >/dev/null || need+=(rsync)
        command -v getfattr >/dev/null || need+=(attr)
        command -v fio >/dev/null || need+=(fio)
        command -v bc >/dev/null || need+=(bc)
        command -v zip >/dev/null || need+=(zip)
        command -v setpriv >/dev/null || need+=(util-linux)
        ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql) ;;
esac; }
for w in "$@"; do want "$w"; done
[ ${#need[@]} -eq 0 ] && exit 0
echo "rodsgate: installing ${need[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null

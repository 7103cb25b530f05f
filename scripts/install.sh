#!/usr/bin/env bash
# Usage: rodsgate install [--prefix DIR] [--bin-dir DIR] [--sbin-dir DIR] [--systemd-dir DIR] [--no-systemd]
# Installs (or upgrades) the build the launcher just made (it passes the jar as this script's first argument).
# Layout (defaults):  /opt/rodsgate/lib/rodsgate-<version>-<sha>.jar   one file per build, never rewritten
#                     /opt/rodsgate/lib/current -> rodsgate-...jar      switched atomically (rename of a symlink)
#                     /opt/rodsgate/bin/rodsgate                        wrapper: resolves `current` once, at start
#                     /usr/local/bin/rodsgate -> /opt/rodsgate/bin/rodsgate
#                     /sbin/mount.rodsgate, /sbin/mount.fuse.rodsgate   mount(8) helper (fstab, mount -t)
#                     /etc/systemd/system/rodsgate-mount@.service, rodsgate-watch.service
#                     /opt/rodsgate/share/README.md, SEMANTICS.md
# A daemon keeps the jar it resolved when it started: an upgrade only changes what the next start uses; restart
# units to move them (`systemctl restart 'rodsgate-mount@*'`). Builds neither current nor in use are removed after
# three newer ones exist.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$1"; shift
prefix=/opt/rodsgate bindir=/usr/local/bin sbindir=/sbin systemddir=/etc/systemd/system systemd=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --bin-dir) bindir="$2"; shift 2 ;;
    --sbin-dir) sbindir="$2"; shift 2 ;;
    --systemd-dir) systemddir="$2"; shift 2 ;;
    --no-systemd) systemd=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "rodsgate install: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$prefix" in /*) ;; *) echo "rodsgate install: --prefix must be an absolute path" >&2; exit 2 ;; esac
# spaces are fine (quoted in the wrapper and helper, quoted/escaped in the systemd units); these characters are not:
# the wrapper, the mount helper and systemd would each read them as syntax (systemd: % specifiers, $ variables)
for d in "$prefix" "$bindir" "$sbindir" "$systemddir"; do
  case "$d" in
    *[\"\$\`\\%#\&\']*|*$'\n'*)
      echo "rodsgate install: '$d' holds one of \" \$ \` \\ % # & ' or a line break, which the wrapper, the mount helper or the systemd units cannot carry; choose another directory" >&2
      exit 2 ;;
  esac
done
umask 022
version="$(java -jar "$jar" --version | awk '{print $2}')"
sum="$(sha256sum "$jar" | cut -c1-12)"
name="rodsgate-$version-$sum.jar"
mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share" "$bindir"
if [ ! -f "$prefix/lib/$name" ]; then
  tmp="$(mktemp "$prefix/lib/.new-XXXXXX")"
  cp "$jar" "$tmp"; chmod 0644 "$tmp"; mv -f "$tmp" "$prefix/lib/$name"
fi
# atomic switch: a new symlink under a temporary name renamed over `current`
ln -sfn "$name" "$prefix/lib/.current-new"; mv -T -f "$prefix/lib/.current-new" "$prefix/lib/current"

write() { # write DEST MODE < content: through a temporary file and a rename, never in place
  local tmp; tmp="$(mktemp "$(dirname "$1")/.rodsgate-XXXXXX")"; cat >"$tmp"; chmod "$2" "$tmp"; mv -f "$tmp" "$1"
}
write "$prefix/bin/rodsgate" 0755 <<WRAP
#!/bin/sh
# rodsgate, installed: runs the build that $prefix/lib/current names at the time of the start.
jar="\$(readlink -f "$prefix/lib/current")" || { echo "rodsgate: no current build in $prefix/lib" >&2; exit 1; }
# the mount's heap is smaller: its live data stays small, a larger heap only lets RSS grow (README, bench)
heap=-Xmx1g; [ "\${1:-}" = mount ] && heap=-Xmx320m
exec java -Dfile.encoding=UTF-8 \${RODSGATE_JAVA_OPTS:-\$heap -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30} -jar "\$jar" "\$@"
WRAP
if [ "$(cd "$bindir" && pwd -P)" != "$(cd "$prefix/bin" && pwd -P)" ]; then
  ln -sfn "$prefix/bin/rodsgate" "$bindir/.rodsgate-new"; mv -T -f "$bindir/.rodsgate-new" "$bindir/rodsgate"
fi
mkdir -p "$sbindir"
sed "s#@BINDIR@#$bindir#" "$src/packaging/mount.rodsgate" | write "$sbindir/mount.rodsgate" 0755
ln -sfn mount.rodsgate "$sbindir/.mount.fuse.rodsgate-new"; mv -T -f "$sbindir/.mount.fuse.rodsgate-new" "$sbindir/mount.fuse.rodsgate"
for f in README.md SEMANTICS.md; do write "$prefix/share/$f" 0644 <"$src/$f"; done
if [ "$systemd" = 1 ]; then
  mkdir -p "$systemddir"
  # systemd: the executable as one double-quoted word (a bin dir with spaces), the documentation as a file: URL
  # (spaces as %20); the characters systemd would take as syntax were refused above
  exe="\"$bindir/rodsgate\""; doc="file://${prefix// /%20}/share"
  for u in rodsgate-mount@.service rodsgate-watch.service; do
    while IFS= read -r line; do
      line="${line//\/usr\/local\/bin\/rodsgate/$exe}"; printf '%s\n' "${line//file:\/\/\/opt\/rodsgate\/share/$doc}"
    done <"$src/packaging/systemd/$u" | write "$systemddir/$u" 0644
  done
  [ -d /run/systemd/system ] && systemctl daemon-reload 2>/dev/null || true
fi
# forget builds that are not current, not among the three newest, and not named by a running process
ls -1t "$prefix"/lib/rodsgate-*.jar | tail -n +4 | while IFS= read -r old; do
  [ "$(readlink -f "$prefix/lib/current")" = "$old" ] && continue
  grep -qsF -- "$old" /proc/[0-9]*/cmdline || rm -f -- "$old"
done
echo "installed $name in $prefix (current); wrapper $bindir/rodsgate; mount helper $sbindir/mount.rodsgate"
[ "$systemd" = 1 ] && echo "systemd units in $systemddir: rodsgate-mount@NAME (needs /etc/rodsgate/NAME.yaml and NAME.env), rodsgate-watch"
exit 0

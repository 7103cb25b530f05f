#!/usr/bin/env bash
# break7 finding 2: a replacement (the upload of a spilled file) switches in a new data object; its inode number
# must stay the file's, or SQLite refuses every write transaction after the first (SQLITE_READONLY_DBMOVED) and
# git, tail -F and backup tools take the file for a new one. Real programs: sqlite3 (CLI and python) and git.
source "$(dirname "$0")/lib.sh"
[ -e /dev/fuse ] || { echo "SKIP test_mount_sqlite_git.sh: /dev/fuse is missing"; exit 0; }
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"; mnt="$work/mnt"
trap 'stop_mount "$mnt"; stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb"
start_mount "$mnt"
H="$mnt/tempZone/home/rods"

cd "$H"
sqlite3 q.db "create table t(a); insert into t values(1);" || fail "sqlite3 create"
ino1="$(stat -c %i q.db)"
sqlite3 q.db "insert into t values(2); insert into t values(3); insert into t values(4);" \
  || fail "sqlite3 refused a second session's write transactions"
[ "$(stat -c %i q.db)" = "$ino1" ] || fail "q.db changed inode from $ino1 to $(stat -c %i q.db) when it was written"
[ "$(sqlite3 q.db 'select group_concat(a) from t')" = "1,2,3,4" ] || fail "rows: $(sqlite3 q.db 'select group_concat(a) from t')"
pass "sqlite3: several write transactions in one session, inode $ino1 stable"

"$PY" - "$H/p.db" <<'PY' || fail "python sqlite3 with many commits on one connection"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("create table t(a integer, b text)")
for i in range(20):
    c.execute("insert into t values(?, ?)", (i, "x" * 5000))
    c.commit()
assert c.execute("select count(*), sum(a) from t").fetchone() == (20, 190)
c.close()
c = sqlite3.connect(sys.argv[1])
assert c.execute("pragma integrity_check").fetchone()[0] == "ok"
PY
pass "python sqlite3: 20 commits on one connection, integrity ok"

mkdir -p repo && cd repo
git init -q . && git config user.email t@example.org && git config user.name t
for i in 1 2 3; do echo "line $i" >>file.txt; git add file.txt; git commit -qm "commit $i" || fail "git commit $i"; done
[ "$(git rev-list --count HEAD)" = 3 ] || fail "git history: $(git log --oneline)"
git status --porcelain | grep -q . && fail "git status not clean: $(git status --porcelain)"
git fsck -q 2>&1 | grep -q . && fail "git fsck: $(git fsck 2>&1 | head -3)"
cd "$work"
pass "git: init, three commits, clean status, fsck"

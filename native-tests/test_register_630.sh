#!/usr/bin/env bash
# PHY_PATH_REG (API 630) through python-irodsclient's data_objects.register, against the sandbox (or a real iRODS
# with RODSGATE_TEST_IRODS_ENV, when it runs on this host): a rodsadmin registers a file in place (checksum computed
# by the server, the object reads the file, unregistering leaves it); a rodsuser is refused with
# PATH_REG_NOT_ALLOWED; a missing physical path fails with UNIX_FILE_STAT_ERR and registers nothing.
source "$(dirname "$0")/lib.sh"
work="$(mktemp -d /tmp/rodsgate-nt-XXXXXX)"
trap 'stop_sandbox; rm -rf "$work"' EXIT
start_sandbox "$work/sb" --users-file "$(users_file "$work/users" "alice:alice-pw")"
mkdir -p "$work/disk"
head -c 100000 /dev/urandom >"$work/disk/omero file's.tif"
chmod 755 "$work"
out="$("$PY" - "$PORT" "$work/disk" <<'PY'
import hashlib, base64, os, sys
from irods.session import iRODSSession
import irods.exception as ex
import irods.keywords as kw
port, disk = int(sys.argv[1]), sys.argv[2]
f = os.path.join(disk, "omero file's.tif")
with iRODSSession(host="localhost", port=port, user="rods", password="rods", zone="tempZone") as s:
    obj = "/tempZone/home/rods/registered it's.tif"
    s.data_objects.register(f, obj, **{kw.VERIFY_CHKSUM_KW: ""})
    o = s.data_objects.get(obj)
    want = "sha2:" + base64.b64encode(hashlib.sha256(open(f, "rb").read()).digest()).decode()
    assert o.size == os.path.getsize(f), o.size
    assert o.checksum == want, (o.checksum, want)
    assert o.replicas[0].path == f, o.replicas[0].path
    with o.open("r") as r:
        assert r.read() == open(f, "rb").read()
    try:
        s.data_objects.register(os.path.join(disk, "nothing here"), "/tempZone/home/rods/missing.tif")
        raise SystemExit("registered a missing file")
    except (ex.iRODSException, KeyError) as e:
        # UNIX_FILE_STAT_ERR - ENOENT; python-irodsclient 0.8.1 knows no exception for -516002 (KeyError)
        assert "UNIX_FILE_STAT_ERR" in type(e).__name__ or "-516002" in repr(e), repr(e)
    assert not s.data_objects.exists("/tempZone/home/rods/missing.tif")
    s.data_objects.unregister(obj)
    assert os.path.exists(f) and not s.data_objects.exists(obj)
with iRODSSession(host="localhost", port=port, user="alice", password="alice-pw", zone="tempZone") as s:
    try:
        s.data_objects.register(f, "/tempZone/home/alice/a.tif")
        raise SystemExit("a rodsuser registered a path")
    except (ex.iRODSException, KeyError) as e:
        # PATH_REG_NOT_ALLOWED (-129000): python-irodsclient 0.8.1 knows no exception for it (KeyError)
        assert "PATH_REG_NOT_ALLOWED" in type(e).__name__ or "-129000" in repr(e), repr(e)
    assert not s.data_objects.exists("/tempZone/home/alice/a.tif")
print("ok")
PY
)" || fail "python-irodsclient register: $out"
[ "$out" = ok ] || fail "python-irodsclient register: $out"
pass "PHY_PATH_REG: admin registers in place (checksum, reads, unregister keeps the file); rodsuser refused with PATH_REG_NOT_ALLOWED; missing path UNIX_FILE_STAT_ERR"

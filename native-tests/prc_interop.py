#!/usr/bin/python3
"""python-irodsclient (Debian's python3-irodsclient) against an iRODS server: the everyday operations.

Usage: prc_interop.py HOST PORT USER PASSWORD ZONE
Exits non-zero on the first mismatch. Written against real servers' behaviour; the sandbox must pass it too.
"""
import hashlib
import io
import os
import sys

from irods.session import iRODSSession
from irods.exception import CollectionDoesNotExist, DataObjectDoesNotExist, CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME
from irods.meta import iRODSMeta
from irods.access import iRODSAccess

host, port, user, password, zone = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)


with iRODSSession(host=host, port=port, user=user, password=password, zone=zone) as s:
    home = "/%s/home/%s" % (zone, user)
    base = home + "/prc-interop"
    if s.collections.exists(base) if hasattr(s.collections, "exists") else False:
        s.collections.remove(base, recurse=True, force=True)
    try:
        s.collections.get(base).remove(recurse=True, force=True)
    except CollectionDoesNotExist:
        pass

    # collections
    c = s.collections.create(base + "/sub dir's")
    check(c.name == "sub dir's", "collection name %r" % c.name)
    check(s.collections.get(base).subcollections[0].name == "sub dir's", "subcollections")

    # put/get 20 MB and compare
    payload = os.urandom(20 * 1024 * 1024)
    path = base + "/big.bin"
    obj = s.data_objects.create(path)
    with obj.open("w") as f:
        for i in range(0, len(payload), 8 * 1024 * 1024):
            f.write(payload[i:i + 8 * 1024 * 1024])
    obj = s.data_objects.get(path)
    check(obj.size == len(payload), "size after write: %d" % obj.size)
    with obj.open("r") as f:
        back = f.read()
    check(hashlib.sha256(back).digest() == hashlib.sha256(payload).digest(), "20 MB read back")
    with obj.open("r") as f:
        f.seek(1000)
        check(f.read(10) == payload[1000:1010], "seek + read")

    # odd names
    odd = base + "/it's & <x> \"q\" ünï.txt"
    o = s.data_objects.create(odd)
    with o.open("w") as f:
        f.write(b"odd name")
    names = sorted(d.name for d in s.collections.get(base).data_objects)
    check(names == sorted(["big.bin", "it's & <x> \"q\" ünï.txt"]), "listing %r" % names)
    with s.data_objects.get(odd).open("r") as f:
        check(f.read() == b"odd name", "odd name content")

    # AVUs
    o = s.data_objects.get(odd)
    o.metadata.add("k1", "v'1 & <v>", "u1")
    o.metadata.add("k2", "v2")
    try:
        o.metadata.add("k2", "v2")
        check(False, "duplicate AVU accepted")
    except CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME:
        pass
    avus = sorted((m.name, m.value, m.units) for m in s.data_objects.get(odd).metadata.items())
    check(avus == [("k1", "v'1 & <v>", "u1"), ("k2", "v2", None)] or
          avus == [("k1", "v'1 & <v>", "u1"), ("k2", "v2", "")], "AVUs %r" % avus)
    o.metadata.remove("k2", "v2")
    check(len(s.data_objects.get(odd).metadata.items()) == 1, "AVU removed")
    coll = s.collections.get(base)
    coll.metadata.add("ck", "cv")
    check([(m.name, m.value) for m in s.collections.get(base).metadata.items()] == [("ck", "cv")], "coll AVU")

    # permissions
    acl = s.permissions.get(s.data_objects.get(odd))
    check(any(a.user_name == user and a.access_name == "own" for a in acl), "ACL %r" % acl)

    # rename (object and collection)
    moved = base + "/moved.txt"
    s.data_objects.move(odd, moved)
    check(s.data_objects.get(moved).size == 8, "moved object")
    try:
        s.data_objects.get(odd)
        check(False, "old name still there")
    except DataObjectDoesNotExist:
        pass
    s.collections.move(base + "/sub dir's", base + "/renamed dir")
    check(s.collections.get(base + "/renamed dir").name == "renamed dir", "renamed collection")

    # truncate via open('w') and write
    with s.data_objects.open(moved, "w") as f:
        f.write(b"xyz")
    check(s.data_objects.get(moved).size == 3, "overwritten size")

    # delete
    s.data_objects.unlink(moved, force=True)
    try:
        s.data_objects.get(moved)
        check(False, "deleted object still there")
    except DataObjectDoesNotExist:
        pass
    s.collections.remove(base, recurse=True, force=True)
    try:
        s.collections.get(base)
        check(False, "removed collection still there")
    except CollectionDoesNotExist:
        pass

print("prc_interop: %d checks passed" % checks)

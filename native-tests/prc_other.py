#!/usr/bin/python3
"""The other client (python-irodsclient) for the open-file integrity tests.
prc_other.py PORT USER PW OP PATH [ARG]: OP is one of
  put PATH TEXT       create or overwrite PATH with TEXT
  append PATH TEXT    append TEXT at the end of PATH
  cat PATH            print PATH's bytes to stdout
  status PATH         print the replica status of PATH's replicas (1 good, 0 stale, 2 intermediate)
  openrw PATH         open PATH for writing and close it again (fails while a replica is locked)
  exists PATH         exit 0 if PATH exists as a data object, 1 if not
  ls COLL             print the data object names in COLL
  grant PATH USER LVL set USER's access LVL (read, write, own) on PATH
"""
import sys
from irods.session import iRODSSession
from irods.access import iRODSAccess
from irods.models import Collection, DataObject

port, user, pw, op, path = sys.argv[1:6]
arg = sys.argv[6] if len(sys.argv) > 6 else None
with iRODSSession(host="localhost", port=int(port), user=user, password=pw, zone="tempZone") as s:
    if op == "put":
        if not s.data_objects.exists(path):
            s.data_objects.create(path)
        with s.data_objects.open(path, "w") as f:
            f.write(arg.encode())
    elif op == "append":
        with s.data_objects.open(path, "r+") as f:  # seek to the end explicitly: iRODS has no O_APPEND
            f.seek(0, 2)
            f.write(arg.encode())
    elif op == "cat":
        with s.data_objects.open(path, "r") as f:
            sys.stdout.buffer.write(f.read())
    elif op == "status":
        print(" ".join(str(r.status) for r in s.data_objects.get(path).replicas))
    elif op == "openrw":
        with s.data_objects.open(path, "r+") as f:
            pass
    elif op == "exists":
        sys.exit(0 if s.data_objects.exists(path) else 1)
    elif op == "ls":
        for row in s.query(DataObject.name).filter(Collection.name == path):
            print(row[DataObject.name])
    elif op == "grant":
        s.permissions.set(iRODSAccess(sys.argv[7], path, arg, "tempZone"))
    else:
        sys.exit("unknown op " + op)

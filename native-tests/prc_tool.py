#!/usr/bin/python3
"""Moves bytes with python-irodsclient, for cross-client checks:
prc_tool.py put|get|overwrite|rm HOST PORT USER PW ZONE SRC DST (overwrite: rewrite an existing object in place,
same DATA_ID; rm: remove DST, SRC ignored)"""
import sys
from irods.session import iRODSSession

op, host, port, user, pw, zone, src, dst = sys.argv[1:9]
CHUNK = 8 * 1024 * 1024
with iRODSSession(host=host, port=int(port), user=user, password=pw, zone=zone) as s:
    if op == "put":
        obj = s.data_objects.create(dst)
        with open(src, "rb") as f, obj.open("w") as out:
            while True:
                b = f.read(CHUNK)
                if not b:
                    break
                out.write(b)
    elif op == "overwrite":
        with open(src, "rb") as f, s.data_objects.open(dst, "w") as out:
            out.write(f.read())
    elif op == "rm":
        s.data_objects.unlink(dst, force=True)
    elif op == "get":
        with s.data_objects.open(src, "r") as f, open(dst, "wb") as out:
            while True:
                b = f.read(CHUNK)
                if not b:
                    break
                out.write(b)
    else:
        sys.exit("unknown op " + op)

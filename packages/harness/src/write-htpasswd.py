"""Writes an Apache htpasswd file (apr1 hashes) with passlib, as pypiserver reads it.

Run by pypi-server.ts as `python write-htpasswd.py FILE` with the users and their passwords as a
JSON object on stdin: passwords never travel on a command line other processes can read.
"""

import json
import sys

from passlib.apache import HtpasswdFile

htpasswd = HtpasswdFile(sys.argv[1], new=True)
for user, password in json.load(sys.stdin).items():
    htpasswd.set_password(user, password)
htpasswd.save()

"""Zips, wheels and tarballs written and read by Python's own zipfile and tarfile, for the tests.

The tests check ferrowheel's readers and writers against the archives the Python tools write and
read. Run by python-archives.ts as `python archives.py COMMAND ARGS...`, with what to write as JSON
on stdin (a spec can list tens of thousands of entries, more than a command line holds):

- `write-zip OUT`: a zip from a spec {"compression": "stored" | "deflated" (the archive's
  default, "stored" unless given), "comment": text, "record": name, "entries": [...]}; each entry
  {"name", "text" | "file" (a path whose bytes it holds), "compression", "mode" (Unix permission
  bits), "date" ([year, month, day, hour, minute, second]), "zip64": true}. An entry with a mode
  or a date is written from a ZipInfo (the date defaults to 1980-01-01); with "record", a wheel
  RECORD of that name listing every entry's hash and size is written last.
- `rewrite-wheel SOURCE DESTINATION`: a copy of a wheel with edits {"drop": [name suffixes],
  "replace": {name: text}, "add": {name: text}, "substitute": [{"in": part of the entry names,
  "pattern": regex (multi-line), "repl": text}]}; its RECORD is rewritten to match (as a broken
  build would leave it), every other entry keeps its ZipInfo.
- `view-zip FILE`: after checking every CRC, prints a JSON list with each entry's name, date, mode
  (the external attributes' upper 16 bits), stored or not and its first 40 characters.
- `write-tar-gz OUT FORMAT`: a gzipped tarball in tarfile's FORMAT ("PAX_FORMAT", "GNU_FORMAT")
  holding a JSON object {name: text}.
"""

import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import zipfile

COMPRESSION = {"stored": zipfile.ZIP_STORED, "deflated": zipfile.ZIP_DEFLATED}


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def record_text(lines, record):
    """RECORD's text: the entries' lines, then RECORD's own, which has no hash."""
    return "".join(f"{line}\n" for line in [*lines, f"{record},,"])


def entry_data(entry):
    if "file" in entry:
        with open(entry["file"], "rb") as f:
            return f.read()
    return entry.get("text", "").encode()


def write_entry(z, entry, data, default):
    compression = COMPRESSION[entry.get("compression", default)]
    if entry.get("zip64"):
        with z.open(entry["name"], "w", force_zip64=True) as f:
            f.write(data)
    elif "mode" in entry or "date" in entry:
        info = zipfile.ZipInfo(entry["name"], tuple(entry.get("date", (1980, 1, 1, 0, 0, 0))))
        if "mode" in entry:
            info.external_attr = (0o100000 | entry["mode"]) << 16
            info.create_system = 3
        z.writestr(info, data, compress_type=compression)
    else:
        z.writestr(entry["name"], data, compress_type=compression)


def write_zip(out, spec):
    default = spec.get("compression", "stored")
    lines = []
    with zipfile.ZipFile(out, "w", COMPRESSION[default]) as z:
        if "comment" in spec:
            z.comment = spec["comment"].encode()
        for entry in spec["entries"]:
            data = entry_data(entry)
            write_entry(z, entry, data, default)
            lines.append(record_line(entry["name"], data))
        if "record" in spec:
            z.writestr(spec["record"], record_text(lines, spec["record"]))


def edited(name, data, edits):
    if name in edits.get("replace", {}):
        data = edits["replace"][name].encode()
    for sub in edits.get("substitute", []):
        if sub["in"] in name:
            data = re.sub(sub["pattern"], sub["repl"], data.decode(), flags=re.M).encode()
    return data


def rewrite_wheel(source, destination, edits):
    drop = tuple(edits.get("drop", []))
    deflated = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(destination, "w", deflated) as new:
        record = next(n for n in old.namelist() if n.endswith(".dist-info/RECORD"))
        lines = []
        for info in old.infolist():
            if info.filename == record or (drop and info.filename.endswith(drop)):
                continue
            data = edited(info.filename, old.read(info), edits)
            new.writestr(info, data)
            lines.append(record_line(info.filename, data))
        for name, text in edits.get("add", {}).items():
            new.writestr(name, text)
            lines.append(record_line(name, text.encode()))
        new.writestr(record, record_text(lines, record))


def view_zip(file):
    with zipfile.ZipFile(file) as z:
        assert z.testzip() is None, f"{file} has an entry whose CRC does not check"
        return [
            {
                "name": i.filename,
                "date": list(i.date_time),
                "mode": i.external_attr >> 16,
                "stored": i.compress_type == zipfile.ZIP_STORED,
                "text": z.read(i).decode("utf-8", "replace")[:40],
            }
            for i in z.infolist()
        ]


def write_tar_gz(out, format_name, members):
    with tarfile.open(out, "w:gz", format=getattr(tarfile, format_name)) as t:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


def main(command, *args):
    if command == "write-zip":
        write_zip(args[0], json.load(sys.stdin))
    elif command == "rewrite-wheel":
        rewrite_wheel(args[0], args[1], json.load(sys.stdin))
    elif command == "view-zip":
        print(json.dumps(view_zip(args[0])))
    elif command == "write-tar-gz":
        write_tar_gz(args[0], args[1], json.load(sys.stdin))
    else:
        sys.exit(f"archives.py: unknown command {command!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])

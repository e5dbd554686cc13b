#!/usr/bin/env python3
"""golden.py -- reduce gluetop --json output to the findings a golden file
holds: one line per finding (the last line for each finding wins), with its
severity, kind and subject fields, and its fix last, then the kind of the
root cause it is linked to (caused_by), sorted.  Also checks the JSON's shape."""
import json
import sys

KEYS = ("zone", "parent", "ns", "cycle", "server", "servers", "owner",
        "qname", "qtype", "reason", "outcome", "partial", "fix")


def field(v):
    if isinstance(v, list):
        return ",".join(str(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def main():
    last = {}
    byid = {}
    summary = None
    for n, line in enumerate(sys.stdin, 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            sys.exit("line %d is not JSON: %s" % (n, e))
        t = obj.get("type")
        if t == "summary":
            summary = obj
        if t != "finding":
            continue
        ident = tuple([obj["kind"]] + [field(obj.get(k, "")) for k in KEYS
                                       if k not in ("reason", "outcome", "fix")])
        last[ident] = obj
        byid[obj["id"]] = obj
    if summary is None:
        sys.exit("no summary line")
    out = []
    for obj in last.values():
        parts = [obj["severity"], obj["kind"]]
        parts += ["%s=%s" % (k, field(obj[k])) for k in KEYS if k in obj]
        if "caused_by" in obj:
            if (not isinstance(obj["caused_by"], list) or
                    len(obj["caused_by"]) != 1):
                sys.exit("finding %d: caused_by %r is not a list of one id" %
                         (obj["id"], obj["caused_by"][0]))
            cause = byid.get(obj["caused_by"][0])
            if cause is None:
                sys.exit("finding %d: caused_by %d is no finding" %
                         (obj["id"], obj["caused_by"]))
            parts.append("caused_by=%s" % cause["kind"])
        out.append(" ".join(parts))
    for line in sorted(out):
        print(line)


main()

#!/usr/bin/env python3
"""responder.py MODE ADDR -- a misbehaving authoritative server on ADDR:53.

MODE tcpsilent: reads every UDP query and drops it; accepts TCP
  connections, reads the query and never replies (holds the connection
  until the client closes it).
MODE tcptc: answers every UDP query at once with an empty response with
  TC=1 (the ID and question echoed, QR=1, AA=0, no records; an EDNS OPT
  record kept if the query had one, without its options); accepts TCP
  connections, reads the query and never replies (holds the connection
  until the client closes it).
MODE servfail: answers every query, UDP or TCP, with SERVFAIL (RA=0,
  AA=0, the question echoed, no records).
Stdlib only; loopback addresses only (the lab's 127.53.0.0/16).
"""
import select
import socket
import struct
import sys


def servfail(q):
    if len(q) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    if flags & 0x8000:
        return None
    # QR=1, opcode and RD echoed, RCODE=2; the question section kept.
    flags = 0x8000 | (flags & 0x7900) | 2
    end = 12
    if qd:
        while end < len(q) and q[end] != 0:
            end += q[end] + 1
        end += 5
    return struct.pack("!HHHHHH", qid, flags, 1 if qd else 0, 0, 0, 0) + \
        q[12:end]


def qend(q):
    """The offset just past the question section, or None."""
    qd = struct.unpack("!H", q[4:6])[0]
    end = 12
    for _ in range(qd):
        while end < len(q) and q[end] != 0:
            if q[end] & 0xC0:
                end += 1
                break
            end += q[end] + 1
        end += 5
    return end if end <= len(q) else None


def skip_name(q, i):
    while i < len(q):
        if q[i] == 0:
            return i + 1
        if q[i] & 0xC0 == 0xC0:
            return i + 2
        i += q[i] + 1
    return None


def truncated(q):
    """An empty response with TC=1; the query's OPT kept (no options)."""
    if len(q) < 12:
        return None
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", q[:12])
    if flags & 0x8000:
        return None
    end = qend(q)
    if end is None:
        return None
    opt = b""
    i = end
    for _ in range(an + ns + ar):
        j = skip_name(q, i)
        if j is None or j + 10 > len(q):
            break
        rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", q[j:j + 10])
        if rtype == 41 and q[i] == 0 and not opt:
            # 1232 octets, RCODE extension 0, version 0, DO as asked, no options
            opt = b"\x00" + struct.pack("!HHIH", 41, 1232,
                                         ttl & 0x8000, 0)
        i = j + 10 + rdlen
    # QR=1, TC=1, opcode and RD echoed, AA=0, RCODE=0
    flags = 0x8000 | 0x0200 | (flags & 0x7900)
    return struct.pack("!HHHHHH", qid, flags, qd, 0, 0, 1 if opt else 0) + \
        q[12:end] + opt


def main():
    mode, addr = sys.argv[1], sys.argv[2]
    if mode not in ("tcpsilent", "tcptc", "servfail") or \
            not addr.startswith("127."):
        sys.exit("usage: responder.py tcpsilent|tcptc|servfail 127.x.y.z")
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, 53))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, 53))
    t.listen(16)
    conns = {}
    while True:
        r, _, _ = select.select([u, t] + list(conns), [], [])
        for s in r:
            if s is u:
                q, peer = u.recvfrom(65535)
                a = servfail(q) if mode == "servfail" else \
                    truncated(q) if mode == "tcptc" else None
                if a:
                    u.sendto(a, peer)
            elif s is t:
                c, _ = t.accept()
                conns[c] = b""
            else:
                try:
                    d = s.recv(65535)
                except OSError:
                    d = b""
                if not d:
                    s.close()
                    del conns[s]
                    continue
                buf = conns[s] + d
                while len(buf) >= 2 and len(buf) >= 2 + (buf[0] << 8 | buf[1]):
                    n = buf[0] << 8 | buf[1]
                    q, buf = buf[2:2 + n], buf[2 + n:]
                    a = servfail(q) if mode == "servfail" else None
                    if a:
                        s.sendall(struct.pack("!H", len(a)) + a)
                conns[s] = buf


if __name__ == "__main__":
    main()

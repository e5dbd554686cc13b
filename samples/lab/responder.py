#!/usr/bin/env python3
"""responder.py MODE ADDR -- a misbehaving authoritative server on ADDR:53.

MODE tcpsilent: reads every UDP query and drops it; accepts TCP
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


def main():
    mode, addr = sys.argv[1], sys.argv[2]
    if mode not in ("tcpsilent", "servfail") or not addr.startswith("127."):
        sys.exit("usage: responder.py tcpsilent|servfail 127.x.y.z")
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
                a = servfail(q) if mode == "servfail" else None
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

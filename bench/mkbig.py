#!/usr/bin/env python3
"""mkbig.py IN OUT COPIES -- write a large pcap by repeating IN's packets
COPIES times, each copy shifted in time to start after the previous one
ends, so every copy is analysed as fresh traffic."""
import struct
import sys


def main():
    src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    data = open(src, "rb").read()
    magic = data[:4]
    if magic not in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        sys.exit("mkbig.py: %s: need a little-endian pcap" % src)
    hdr, body = data[:24], data[24:]
    pkts, off = [], 0
    while off + 16 <= len(body):
        sec, frac, incl, orig = struct.unpack("<IIII", body[off:off + 16])
        pkts.append((sec, frac, incl, orig, body[off + 16:off + 16 + incl]))
        off += 16 + incl
    span = (pkts[-1][0] - pkts[0][0] + 2) if pkts else 1
    with open(dst, "wb") as out:
        out.write(hdr)
        for c in range(copies):
            for sec, frac, incl, orig, b in pkts:
                out.write(struct.pack("<IIII", sec + c * span, frac, incl,
                                      orig))
                out.write(b)


main()

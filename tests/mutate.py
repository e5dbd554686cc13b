#!/usr/bin/env python3
"""mutate.py -- write mutants of pcap files for test_mutate.sh.

Usage: mutate.py SEED COUNT OUTDIR FILE...

With a fixed seed the same mutants come out every time.  Each mutant is
one of the kinds in MUTATORS applied to one of the files (or to its pcapng
rewrite), named NNN-KIND.pcap so that a failure says what was done.
"""
import random
import struct
import sys

PCAP_US = 0xA1B2C3D4


def records(data):
    """Offsets of the pcap record headers of a classic little-endian pcap."""
    offs, pos = [], 24
    while pos + 16 <= len(data):
        offs.append(pos)
        incl = struct.unpack_from('<I', data, pos + 8)[0]
        pos += 16 + incl
    return offs


def to_pcapng(data):
    """Rewrite a classic pcap as pcapng: SHB, IDB, one EPB a packet."""
    snap, dlt = struct.unpack_from('<II', data, 16)
    out = bytearray(block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1,
                                                   0, -1)))
    out += block(1, struct.pack('<HHI', dlt & 0xFFFF, 0, snap))
    for off in records(data):
        sec, usec, incl, orig = struct.unpack_from('<IIII', data, off)
        pkt = data[off + 16:off + 16 + incl]
        ts = sec * 1000000 + usec
        body = struct.pack('<IIIII', 0, ts >> 32, ts & 0xFFFFFFFF, len(pkt),
                           orig) + pkt + b'\0' * (-len(pkt) % 4)
        out += block(6, body)
    return out


def block(btype, body):
    """A pcapng block: type, total length, body, total length again."""
    n = 12 + len(body)
    return struct.pack('<II', btype, n) + body + struct.pack('<I', n)


def bit_flips(rng, d):
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(d))
        d[i] ^= 1 << rng.randrange(8)
    return d


def truncate(rng, d):
    return d[:rng.randrange(len(d))]


def caplen_over_len(rng, d):
    offs = records(d)
    if offs:
        off = rng.choice(offs)
        orig = struct.unpack_from('<I', d, off + 12)[0]
        incl = rng.choice([orig + 1, orig + 4096, 0xFFFFFFFF, 262145])
        struct.pack_into('<I', d, off + 8, incl)
    return d


def wire_len_small(rng, d):
    offs = records(d)
    if offs:
        struct.pack_into('<I', d, rng.choice(offs) + 12, rng.randrange(4))
    return d


def snaplen(rng, d):
    struct.pack_into('<I', d, 16, rng.choice([0, 0xFFFFFFFF, 1, 65536]))
    return d


def linktype(rng, d):
    struct.pack_into('<I', d, 20, rng.choice([0, 1, 12, 101, 105, 108, 113,
                                              228, 229, 276, 0xFFFF]))
    return d


def random_span(rng, d):
    i = rng.randrange(24, len(d)) if len(d) > 24 else 0
    n = rng.randint(1, 64)
    d[i:i + n] = bytes(rng.randrange(256) for _ in range(n))
    return d


def random_file(rng, d):
    body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 600)))
    return bytearray(d[:24] + body)


def pcapng_bogus_block(rng, d):
    ng = to_pcapng(d)
    pos = 28 + 20                       # after the SHB and the IDB
    how = rng.randrange(5)
    if how == 0:                        # a length that is no multiple of 4
        bad = struct.pack('<II', 6, 13) + b'\0' * 5
    elif how == 1:                      # a huge length
        bad = struct.pack('<II', 6, 0x7FFFFFF0) + b'\0' * 20
    elif how == 2:                      # shorter than a block can be
        bad = struct.pack('<II', 6, 8)
    elif how == 3:                      # an unknown type, then a bad IDB id
        bad = block(0x0BAD0BAD, b'abcd') + block(6, struct.pack(
            '<IIIII', 7, 0, 0, 4, 4) + b'wxyz')
    else:                               # trailing lengths that disagree
        bad = block(6, struct.pack('<IIIII', 0, 0, 0, 0, 0))[:-4] + \
            struct.pack('<I', 64)
    return bytearray(ng[:pos] + bad + ng[pos:])


def pcapng_flips(rng, d):
    return bit_flips(rng, bytearray(to_pcapng(d)))


def pcapng_truncate(rng, d):
    return truncate(rng, bytearray(to_pcapng(d)))


MUTATORS = [bit_flips, truncate, caplen_over_len, wire_len_small, snaplen,
            linktype, random_span, random_file, pcapng_bogus_block,
            pcapng_flips, pcapng_truncate]


def main():
    seed, count, outdir, files = (int(sys.argv[1]), int(sys.argv[2]),
                                  sys.argv[3], sys.argv[4:])
    rng = random.Random(seed)
    inputs = []
    for f in files:
        with open(f, 'rb') as fp:
            data = fp.read()
        if struct.unpack_from('<I', data)[0] == PCAP_US:
            inputs.append(data)
    for i in range(count):
        mut = MUTATORS[i % len(MUTATORS)]
        out = mut(rng, bytearray(rng.choice(inputs)))
        with open('%s/%03d-%s.pcap' % (outdir, i, mut.__name__), 'wb') as fp:
            fp.write(out)


if __name__ == '__main__':
    main()

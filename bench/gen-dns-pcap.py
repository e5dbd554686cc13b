#!/usr/bin/env python3
"""gen-dns-pcap.py -- synthetic upstream DNS traffic of a recursive resolver.

Writes a classic little-endian pcap (Ethernet, microsecond stamps).  The
output depends only on the arguments, so a file can be cached by them.

  gen-dns-pcap.py --pairs N [--seed S] [--unique-names] --out FILE
      N query/response pairs.  IPv4 for 90% of them, IPv6 for 10%; UDP for
      97%, TCP (one segment, two-byte length prefix) for 3%.  Each response
      is a referral with glue (45%), an answer (40%) or an NXDOMAIN with an
      SOA (15%).  Every message carries an OPT RR and names are compressed.
      --unique-names gives every query a fresh label (a random-subdomain
      flood); without it the names repeat as real traffic does.

  gen-dns-pcap.py --zones N [--seed S] --out FILE
      N query/referral pairs, each from its own server address and for its
      own zone, delegated to two in-zone NS names without glue: a flood of
      distinct delegations.
"""
import argparse
import random
import struct

LABELS = ("amber birch cedar dune ember fjord grove heron iris juniper kelp "
          "lotus maple nectar olive pine quartz reed sage thistle "
          "umber vine willow yarrow zinnia").split()
SUFFIXES = ("com", "net", "org", "test", "example", "io", "de", "nl")
HOSTS = LABELS + ["www", "mail", "api", "cdn"]
QTYPES = (1, 1, 1, 28, 28, 15, 16, 2)	# A-heavy, like a resolver's mix
T_A, T_NS, T_SOA, T_AAAA, T_OPT = 1, 2, 6, 28, 41


class Message:
    """A DNS message under construction, with a compression dictionary."""

    def __init__(self, ident, flags):
        self.wire = bytearray(12)
        self.ident, self.flags = ident, flags
        self.count = [0, 0, 0, 0]
        self.seen = {}

    def put_name(self, name):
        """Append name, pointing at an earlier copy of any suffix (RFC 1035 4.1.4)."""
        labels = name.split(".")
        for i in range(len(labels)):
            tail = ".".join(labels[i:])
            at = self.seen.get(tail)
            if at is not None:
                self.wire += struct.pack("!H", 0xC000 | at)
                return
            if len(self.wire) < 0x4000:
                self.seen[tail] = len(self.wire)
            raw = labels[i].encode("ascii")
            self.wire.append(len(raw))
            self.wire += raw
        self.wire.append(0)

    def question(self, name, qtype):
        """Append the question."""
        self.put_name(name)
        self.wire += struct.pack("!HH", qtype, 1)
        self.count[0] += 1

    def record(self, section, owner, rtype, ttl, rdata):
        """Append an RR; rdata is bytes, or a name (str) to compress."""
        self.put_name(owner)
        self.wire += struct.pack("!HHI", rtype, 1, ttl)
        mark = len(self.wire)
        self.wire += b"\0\0"
        for part in rdata if isinstance(rdata, tuple) else (rdata,):
            if isinstance(part, str):
                self.put_name(part)
            else:
                self.wire += part
        struct.pack_into("!H", self.wire, mark, len(self.wire) - mark - 2)
        self.count[section] += 1

    def edns(self, dobit):
        """Append an OPT pseudo-RR (RFC 6891 6.1.2) advertising 1232 bytes."""
        self.wire += b"\0" + struct.pack("!HHIH", T_OPT, 1232,
                                        0x8000 if dobit else 0, 0)
        self.count[3] += 1

    def finish(self):
        """Return the wire bytes with the header filled in."""
        struct.pack_into("!6H", self.wire, 0, self.ident, self.flags,
                         *self.count)
        return bytes(self.wire)


def checksum(hdr):
    """The IPv4 header checksum (RFC 791)."""
    total = sum(struct.unpack("!10H", hdr))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def packet(src, dst, sport, dport, dns, tcp):
    """Wrap dns in TCP or UDP, IPv4 or IPv6 (by address size), Ethernet."""
    if tcp:
        body = struct.pack("!H", len(dns)) + dns
        l4 = struct.pack("!HHIIBBHHH", sport, dport, 1000, 1, 0x50, 0x18,
                         65535, 0, 0) + body
        proto = 6
    else:
        l4 = struct.pack("!HHHH", sport, dport, 8 + len(dns), 0) + dns
        proto = 17
    if len(src) == 16:
        net = struct.pack("!IHBB", 0x60000000, len(l4), proto, 64) + src + dst
        ethertype = 0x86DD
    else:
        hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4),
                                    0, 0x4000, 64, proto, 0, src, dst))
        struct.pack_into("!H", hdr, 10, checksum(bytes(hdr)))
        net = bytes(hdr)
        ethertype = 0x0800
    eth = bytes.fromhex("020000000001020000000002") + struct.pack("!H",
                                                                   ethertype)
    return eth + net + l4


class Capture:
    """A pcap file being written, with its own clock in microseconds."""

    def __init__(self, path):
        self.out = open(path, "wb")
        self.out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0,
                                   65535, 1))
        self.usec = 1700000000 * 1000000

    def write(self, frame, gap):
        """Write one frame stamped now, then advance the clock by gap us."""
        sec, usec = divmod(self.usec, 1000000)
        self.out.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
        self.out.write(frame)
        self.usec += gap

    def close(self):
        """Flush and close the file."""
        self.out.close()


def response(rng, ident, qname, qtype, zone, v4pool, v6pool):
    """A referral with glue, an answer or an NXDOMAIN for qname."""
    pick = rng.random()
    if pick < 0.45:
        msg = Message(ident, 0x8000)
        msg.question(qname, qtype)
        ns = ["ns1." + zone, "ns2." + zone]
        if rng.random() < 0.3:
            ns.append("ns." + rng.choice(LABELS) + ".net")
        for name in ns:
            msg.record(2, zone, T_NS, 172800, name)
        for name in ns[:2]:
            msg.record(3, name, T_A, 172800, rng.choice(v4pool))
            if rng.random() < 0.4:
                msg.record(3, name, T_AAAA, 172800, rng.choice(v6pool))
    elif pick < 0.85:
        msg = Message(ident, 0x8400)
        msg.question(qname, qtype)
        rtype, pool = (T_AAAA, v6pool) if qtype == T_AAAA else (T_A, v4pool)
        for _ in range(rng.choice((1, 1, 2, 4))):
            msg.record(1, qname, rtype, 300, rng.choice(pool))
        msg.record(2, zone, T_NS, 3600, "ns1." + zone)
    else:
        msg = Message(ident, 0x8403)
        msg.question(qname, qtype)
        msg.record(2, zone, T_SOA, 900, ("ns1." + zone, "hostmaster." + zone,
                   struct.pack("!5I", 2026010101, 7200, 3600, 1209600, 900)))
    msg.edns(False)
    return msg.finish()


def mixed(cap, pairs, seed, unique):
    """Write pairs of resolver traffic (see the module comment)."""
    rng = random.Random(seed)
    zones = ["%s%d.%s" % (rng.choice(LABELS), i, rng.choice(SUFFIXES))
             for i in range(5000)]
    v4pool = [bytes((192, 0, rng.randrange(256), rng.randrange(1, 255)))
              for _ in range(2000)]
    v6pool = [bytes.fromhex("20010db8") + rng.randbytes(12)
              for _ in range(200)]
    me4, me6 = bytes((10, 0, 0, 53)), bytes(15) + b"\x53"
    for _ in range(pairs):
        zone = zones[int(rng.paretovariate(1.2)) % len(zones)]
        host = "%010x" % rng.getrandbits(40) if unique else rng.choice(HOSTS)
        qname = host + "." + zone
        qtype = rng.choice(QTYPES)
        six = rng.random() < 0.10
        tcp = rng.random() < 0.03
        me, srv = (me6, rng.choice(v6pool)) if six else (me4, rng.choice(v4pool))
        port, ident = rng.randrange(1024, 65536), rng.getrandbits(16)
        query = Message(ident, 0)
        query.question(qname, qtype)
        query.edns(rng.random() < 0.5)
        cap.write(packet(me, srv, port, 53, query.finish(), tcp),
                  int(rng.expovariate(1 / 50.0)))
        cap.write(packet(srv, me, 53, port, response(rng, ident, qname, qtype,
                  zone, v4pool, v6pool), tcp), int(rng.expovariate(1 / 50.0)))


def delegations(cap, pairs, seed):
    """Write pairs of query and glueless referral, one zone and server each."""
    rng = random.Random(seed)
    me = bytes((10, 0, 0, 53))
    for i in range(pairs):
        srv = struct.pack("!I", 0x0B000000 + i)
        zone = "z%07d.test" % i
        qname = "www." + zone
        port, ident = rng.randrange(1024, 65536), rng.getrandbits(16)
        query = Message(ident, 0)
        query.question(qname, T_A)
        cap.write(packet(me, srv, port, 53, query.finish(), False), 100)
        ref = Message(ident, 0x8000)
        ref.question(qname, T_A)
        ref.record(2, zone, T_NS, 3600, "ns1." + zone)
        ref.record(2, zone, T_NS, 3600, "ns2." + zone)
        cap.write(packet(srv, me, 53, port, ref.finish(), False), 100)


def main():
    """Parse the arguments and write the capture."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=100000)
    ap.add_argument("--zones", type=int, default=0,
                    help="write a flood of this many distinct delegations")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--unique-names", action="store_true")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    cap = Capture(args.out)
    if args.zones:
        delegations(cap, args.zones, args.seed)
    else:
        mixed(cap, args.pairs, args.seed, args.unique_names)
    cap.close()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Throw random and mutated generic-netlink messages at the bitsec family.

  genl_fuzz.py COUNT SEED

Half the messages are random (command, flags, attribute types, lengths,
nesting); half are valid SA requests with bytes flipped, truncated or
extended.  Every request must be answered (an ack or an error) and the
module must stay up; the caller checks the kernel log and the tables.
Prints a summary: how many were accepted and refused.
"""
import random
import socket
import struct
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from genl import Genl, attr  # noqa: E402

ESP, AH = 50, 51
NLA_F_NESTED = 0x8000


def nest(t, payload):
    return attr(t | NLA_F_NESTED, payload)


def valid_sa(rng):
    spi = rng.randrange(256, 1 << 32)
    sa = (attr(2, struct.pack("=H", socket.AF_INET)) +
          attr(3, bytes([10, 9, 0, 1])) + attr(4, bytes([10, 9, 0, rng.randrange(2, 250)])) +
          attr(5, bytes([rng.choice([ESP, AH])])) + attr(6, struct.pack("=I", spi)) +
          attr(8, bytes([rng.randrange(3)])))
    key = attr(1, b"hmac-sha1\0") + attr(2, bytes(20))
    if rng.random() < 0.5:
        sa += nest(14, key)
    else:
        sa += nest(13, attr(1, b"aes-cbc\0") + attr(2, bytes(16))) + nest(14, key)
    return nest(5, sa)


def random_attrs(rng, depth=0):
    out = b""
    for _ in range(rng.randrange(0, 6)):
        t = rng.randrange(0, 24) | (NLA_F_NESTED if rng.random() < 0.1 else 0)
        if depth < 3 and rng.random() < 0.3:
            payload = random_attrs(rng, depth + 1)
            t |= NLA_F_NESTED
        else:
            payload = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 4, 8, 16, 33])))
        out += attr(t, payload)
    return out


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randrange(1, 6)):
        op = rng.randrange(3)
        if op == 0 and data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif op == 1 and data:
            del data[rng.randrange(len(data)):]
        else:
            data += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
    return bytes(data)


def main(argv):
    count, seed = int(argv[0]), int(argv[1])
    rng = random.Random(seed)
    g = Genl()
    fam = g.resolve("bitsec")
    if fam is None:
        print("bitsec family not found")
        return 2
    ok = refused = 0
    for i in range(count):
        cmd = rng.randrange(0, 12)
        if i % 2:
            payload = random_attrs(rng)
        else:
            payload = mutate(rng, valid_sa(rng)) if rng.random() < 0.8 else valid_sa(rng)
            cmd = rng.choice([2, 3, 4, 5, 6, 8, cmd])
        err, _, _ = g.request(fam, cmd, payload, version=rng.choice([1, 1, 1, 0, 2]))
        if err:
            refused += 1
        else:
            ok += 1
    print("sent %d: %d accepted, %d refused" % (count, ok, refused))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

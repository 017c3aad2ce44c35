#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-made ESP packets for the netns tests: good ones, broken ones and
random mutations, sent through a raw socket.  The SA is ESP in transport
mode with null encryption and HMAC-SHA-256-128 (RFC 4868), which the
standard library can compute, so every packet is exactly what the test
says it is: a valid ICV over a wrong padding tests the padding check, not
the ICV.

  espgen.py SRC DST SPI KEYHEX send SEQ [KIND]   one packet
  espgen.py SRC DST SPI KEYHEX fuzz N SEED      N mutated packets

KIND: good (default), auth (ICV flipped), spi (unknown SPI), trunc (ESP
header cut), align (ciphertext not a multiple of 4), padding (pad bytes
not 1, 2, 3 ...), padlen (pad length longer than the payload), dummy
(next header 59).  Every packet but "good" must be dropped.
"""
import hashlib
import hmac
import random
import socket
import struct
import sys


def inner_udp(src, dst, seq):
    """A UDP datagram to the discard port, its checksum left zero."""
    data = b"bitsec espgen %08d " % seq + bytes(range(32))
    return struct.pack("!HHHH", 40000, 9, 8 + len(data), 0) + data


def esp(spi, seq, key, payload, nh=17, kind="good"):
    pad = (-(len(payload) + 2)) % 4
    pad_bytes = bytes(range(1, pad + 1))
    pad_len = pad
    if kind == "align":
        # One byte more than the alignment allows, the bytes still 1, 2 ...
        pad_bytes = bytes(range(1, pad + 2))
        pad_len = pad + 1
    elif kind == "padding":
        # Aligned, but zeros where RFC 4303 puts 1, 2, 3 ...
        pad = pad or 4
        pad_bytes = bytes(pad)
        pad_len = pad
    elif kind == "padlen":
        pad_len = 250                  # more than the whole payload
    if kind == "dummy":
        nh = 59
    body = struct.pack("!II", spi, seq) + payload + pad_bytes + bytes([pad_len, nh])
    icv = hmac.new(key, body, hashlib.sha256).digest()[:16]
    if kind == "auth":
        icv = bytes([icv[0] ^ 1]) + icv[1:]
    if kind == "spi":
        body = struct.pack("!I", spi ^ 0x5a5a0000) + body[4:]
        icv = hmac.new(key, body, hashlib.sha256).digest()[:16]
    pkt = body + icv
    if kind == "trunc":
        pkt = pkt[:6]
    return pkt


def ip4(src, dst, payload, proto=50):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr + payload


def main():
    if len(sys.argv) < 7:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst, spi, key, cmd = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), \
        bytes.fromhex(sys.argv[4].removeprefix("0x")), sys.argv[5]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    if cmd == "send":
        seq = int(sys.argv[6], 0)
        kind = sys.argv[7] if len(sys.argv) > 7 else "good"
        pkt = esp(spi, seq, key, inner_udp(src, dst, seq), kind=kind)
        s.sendto(ip4(src, dst, pkt), (dst, 0))
        return 0
    if cmd == "fuzz":
        n, rnd = int(sys.argv[6]), random.Random(int(sys.argv[7]))
        for i in range(n):
            seq = rnd.randrange(1, 1 << 32)
            pkt = bytearray(esp(spi, seq, key, inner_udp(src, dst, seq)))
            how = rnd.randrange(4)
            if how == 0:               # flip bits past the SPI
                for _ in range(rnd.randrange(1, 8)):
                    pkt[rnd.randrange(4, len(pkt))] ^= 1 << rnd.randrange(8)
            elif how == 1:             # cut it anywhere
                pkt = pkt[:rnd.randrange(0, len(pkt))]
            elif how == 2:             # random bytes after a valid SPI
                pkt = pkt[:4] + bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 200)))
            else:                      # grow it with junk
                pkt += bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64)))
            s.sendto(ip4(src, dst, bytes(pkt)), (dst, 0))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

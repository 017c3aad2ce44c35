#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-made AH packets for the netns tests: good ones, broken ones and
random mutations, sent through a raw socket.  The SA is AH in transport
mode with HMAC-SHA-256-128 (RFC 4868), which the standard library can
compute, so every packet is exactly what the test says it is: a valid ICV
over a header length the SA's algorithm cannot have tests the length
check, not the ICV.

The ICV is computed as RFC 4302 3.3.3 says: over the IPv4 header with its
mutable fields zeroed (TOS, flags and fragment offset, TTL, checksum, and
every option appendix A1 does not call immutable), the AH header with a
zero ICV (its padding as sent), the payload and, with ESN, the high half
of the sequence number.

  ahgen.py SRC DST SPI KEYHEX send SEQ [KIND...]   one packet
  ahgen.py SRC DST SPI KEYHEX fuzz N SEED          N mutated packets
  ahgen.py SRC DST SPI KEYHEX mutable N SEED SEQ   N good packets, SEQ on,
                                                   mutable fields random

SEQ may be 64 bits wide; the packet carries its low half.  KINDs combine:
good (default), esn (the high half goes into the ICV), align4 (a 28-byte
AH header, no padding), padded (8-byte aligned, the padding not zero),
auth (ICV flipped), spi (unknown SPI), trunc (AH cut to 10 bytes, the
sequence number incomplete), short (AH cut inside the ICV), long (the
length field says 32 bytes, the packet holds 28 and nothing after),
huge (the length field says 1028 bytes), icv12 (a 12-byte ICV, as
HMAC-SHA-1-96 has), icv32 (the untruncated 32-byte HMAC-SHA-256),
inflight (TOS, TTL and DF changed after the ICV was computed), ident (the
IP ID changed after), rr (a record route option the receiver fills in),
ra (a router alert option, immutable), sec (a security option,
immutable), ra-changed and sec-changed (the option's value changed after
an ICV that counted the option as zero, as if it were mutable: a receiver
that hashes it as RFC 4302 says refuses the packet, one that zeroes it
takes it).
"""
import hashlib
import hmac
import random
import socket
import struct
import sys

AH_PROTO = 51
# RFC 4302 appendix A1: the IPv4 options counted as they are sent; all
# others are zeroed.  EOL and NOP have no length and are kept too.
IMMUTABLE_OPTS = (0, 1, 130, 133, 134, 148, 149)


def inner_udp(src, dst, seq):
    """A UDP datagram to the discard port, its checksum left zero."""
    data = b"bitsec ahgen %08d " % (seq & 0xffffffff) + bytes(range(32))
    return struct.pack("!HHHH", 40000, 9, 8 + len(data), 0) + data


def ip4(src, dst, payload, opts=b"", tos=0, ident=1, frag=0, ttl=64, proto=AH_PROTO):
    """The IPv4 packet, its checksum left zero (the raw socket fills it)."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | (5 + len(opts) // 4), tos,
                      20 + len(opts) + len(payload), ident, frag, ttl, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr + opts + payload


def mute_opts(opts):
    """The options as the ICV sees them (RFC 4302 appendix A1)."""
    out, i = bytearray(opts), 0
    while i < len(out):
        if out[i] == 0:
            break
        if out[i] == 1:
            i += 1
            continue
        n = out[i + 1]
        if out[i] not in IMMUTABLE_OPTS:
            out[i:i + n] = bytes(n)
        i += n
    return bytes(out)


def ident_of(seq):
    """A non-zero IP ID: with zero the raw socket would pick one itself."""
    return 0x1000 | (seq & 0xfff)


def ah_packet(src, dst, spi, seq, key, kinds=("good",), tos=0, ttl=64, frag=0):
    """The whole IPv4 packet carrying AH for @seq, broken as @kinds say."""
    payload = inner_udp(src, dst, seq)
    icvlen, hlen, pad = 16, 32, bytes(4)
    if "align4" in kinds:
        hlen, pad = 28, b""
    elif "padded" in kinds:
        pad = b"\xa5\x5a\xff\x01"
    elif "icv12" in kinds:
        icvlen, hlen, pad = 12, 24, b""
    elif "icv32" in kinds:
        icvlen, hlen, pad = 32, 48, bytes(4)
    elif "long" in kinds:
        hlen, pad, payload = 32, b"", b""   # the bytes hold 28
    if "spi" in kinds:
        spi ^= 0x5a5a0000
    opts = b""
    if "rr" in kinds:
        # Record route with room for two addresses, none recorded yet.
        opts = bytes([7, 11, 4]) + bytes(8) + b"\x00"
    elif "ra" in kinds or "ra-changed" in kinds:
        opts = bytes([148, 4, 0, 0])
    elif "sec" in kinds or "sec-changed" in kinds:
        opts = bytes([130, 4, 0x12, 0x34])
    ident = ident_of(seq)
    ahlen_field = 255 if "huge" in kinds else hlen // 4 - 2
    hdr = struct.pack("!BBHII", 17, ahlen_field, 0, spi, seq & 0xffffffff)
    body = hdr + bytes(icvlen) + pad + payload
    tail = struct.pack("!I", seq >> 32) if "esn" in kinds else b""
    if "ra-changed" in kinds or "sec-changed" in kinds:
        muted = ip4(src, dst, body, bytes(len(opts)), 0, ident, 0, 0)
    else:
        muted = ip4(src, dst, body, mute_opts(opts), 0, ident, 0, 0)
    icv = hmac.new(key, muted + tail, hashlib.sha256).digest()[:icvlen]
    if "auth" in kinds:
        icv = bytes([icv[0] ^ 1]) + icv[1:]
    pkt = hdr + icv + pad + payload
    if "trunc" in kinds:
        pkt = pkt[:10]
    elif "short" in kinds:
        pkt = pkt[:20]
    if "inflight" in kinds:
        tos, ttl, frag = 0xb9, 1, 0x4000
    if "ident" in kinds:
        ident ^= 0x0100
    if "ra-changed" in kinds:
        opts = bytes([148, 4, 0, 1])
    elif "sec-changed" in kinds:
        opts = bytes([130, 4, 0x12, 0x35])
    return ip4(src, dst, pkt, opts, tos, ident, frag, ttl)


def main():
    if len(sys.argv) < 7:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst, spi, key, cmd = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), \
        bytes.fromhex(sys.argv[4].removeprefix("0x")), sys.argv[5]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    if cmd == "send":
        seq = int(sys.argv[6], 0)
        kinds = sys.argv[7:] or ["good"]
        s.sendto(ah_packet(src, dst, spi, seq, key, kinds), (dst, 0))
        return 0
    if cmd == "mutable":
        n, rnd, seq = int(sys.argv[6]), random.Random(int(sys.argv[7])), int(sys.argv[8], 0)
        for i in range(n):
            pkt = ah_packet(src, dst, spi, seq + i, key, tos=rnd.randrange(256),
                            ttl=rnd.randrange(1, 256), frag=rnd.choice((0, 0x4000)))
            s.sendto(pkt, (dst, 0))
        return 0
    if cmd == "fuzz":
        n, rnd = int(sys.argv[6]), random.Random(int(sys.argv[7]))
        for i in range(n):
            seq = rnd.randrange(1, 1 << 32)
            whole = ah_packet(src, dst, spi, seq, key)
            hdr, pkt = bytearray(whole[:20]), bytearray(whole[20:])
            how = rnd.randrange(6)
            if how == 0:               # flip bits anywhere in AH or payload
                for _ in range(rnd.randrange(1, 8)):
                    pkt[rnd.randrange(len(pkt))] ^= 1 << rnd.randrange(8)
            elif how == 1:             # cut it anywhere
                pkt = pkt[:rnd.randrange(0, len(pkt))]
            elif how == 2:             # random bytes after a valid SPI
                pkt = pkt[:8] + bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 200)))
            elif how == 3:             # grow it with junk
                pkt += bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64)))
            elif how == 4:             # any value in the length field
                pkt[1] = rnd.choice([v for v in range(256) if v != pkt[1]])
            else:                      # flip bits of the IP ID, which is immutable
                hdr[4 + rnd.randrange(2)] ^= 1 << rnd.randrange(8)
                if hdr[4] == 0 and hdr[5] == 0:
                    hdr[4] = 0x80      # zero would let the kernel choose one
            s.sendto(bytes(hdr) + bytes(pkt), (dst, 0))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

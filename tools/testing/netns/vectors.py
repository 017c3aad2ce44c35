#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Published ESP known-answer packets for the netns tests.

Parses the vector files in $BITSEC_VECTORS (default tools/testing/vectors,
a copy of the published vectors):
RFC 3602 (AES-CBC), draft-mcgrew-gcm-test-01 (AES-GCM, RFC 4106) and
RFC 7634 (ChaCha20-Poly1305).  A usable case is a complete IPv4 ESP packet
whose inner packet the file states; every other entry is skipped with its
reason on stderr (by "list").

  vectors.py list                      NAME|MODE|SRC|DST|SPI|ESN|ALG|KEYHEX
                                       per usable case
  vectors.py show NAME                 the case's fields, one "key value" a line
  vectors.py inject NAME [--flip]      send its packet (outer IPv4 header + ESP)
                                       through a raw socket to its outer dst;
                                       --flip: one ciphertext byte flipped
  vectors.py expect NAME TIMEOUT       print "ready", then wait up to TIMEOUT s
                                       for exactly its inner packet: 0 if it
                                       came, 1 (with a hex diff) if not
  vectors.py expect NAME TIMEOUT --absent
                                       the opposite: 1 as soon as a packet with
                                       the inner packet's protocol, source and
                                       destination arrives, 0 at TIMEOUT or on
                                       SIGTERM

The parser is strict: a line it does not expect where it is, a byte count
that does not match, or two copies of a field that disagree is an error
(exit 2), never a guess.  The standard library has no AES or ChaCha20, so
decryption is left to bitsec; what can be checked without it is checked:
headers, checksums, lengths, padding, and that each layer is the
concatenation the file says it is.
"""
import os
import re
import select
import signal
import socket
import sys
import time
from dataclasses import dataclass

VECTORS = os.environ.get("BITSEC_VECTORS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors"))
RFC3602 = "rfc3602-esp-aes-cbc.txt"
MCGREW = "rfc4106-esp-aes-gcm-draft-mcgrew.txt"
RFC7634 = "rfc7634-esp-chacha20-poly1305.txt"

HEX = r"([0-9a-f]+)"
IP = r"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})"
HEXLINE = re.compile(r"(?:[0-9a-f]{2})+")
IPPROTO_IPIP = 4
IPPROTO_ESP = 50
IPPROTO_NONE = 59


class VectorError(Exception):
    pass


@dataclass
class Case:
    name: str
    mode: str           # transport | tunnel
    src: str            # outer addresses
    dst: str
    spi: int
    seq: int            # the 32 bits on the wire
    esn: bool
    alg: str            # bitskey's name
    key: bytes          # for the AEADs key || salt, as bitskey takes it
    packet: bytes       # outer IPv4 header + ESP, as injected
    inner: bytes        # the IPv4 packet that must come out
    ct_offset: int      # where the ciphertext starts in packet (after the IV)
    where: str          # file:line of the case, for messages


class Reader:
    """The lines of one file, read strictly in order; blank lines carry nothing."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="ascii") as f:
            self.lines = f.read().splitlines()
        self.i = 0

    def where(self, lineno=None):
        return f"{os.path.basename(self.path)}:{lineno or self.i + 1}"

    def error(self, msg, lineno=None):
        raise VectorError(f"{self.path}:{lineno or self.i + 1}: {msg}")

    def peek(self):
        while self.i < len(self.lines) and not self.lines[self.i].strip():
            self.i += 1
        return self.lines[self.i].strip() if self.i < len(self.lines) else None

    def at(self, pattern):
        line = self.peek()
        return line is not None and re.fullmatch(pattern, line) is not None

    def take(self, pattern, what):
        """The next line, which must be exactly PATTERN."""
        line = self.peek()
        if line is None:
            self.error(f"end of file where {what} was expected")
        m = re.fullmatch(pattern, line)
        if not m:
            self.error(f"expected {what}, found: {line}")
        self.i += 1
        return m

    def hexblock(self, pattern, what):
        """A line "PATTERN (N bytes):" and the N bytes, as hex lines, under it."""
        m = self.take(pattern + r" \((\d+) bytes\):", what)
        n = int(m.groups()[-1])
        data = b""
        start = self.i
        while len(data) < n:
            line = self.peek()
            if line is None or not HEXLINE.fullmatch(line):
                self.error(f"{what}: {len(data)} of {n} bytes, then: {line}")
            data += bytes.fromhex(line)
            self.i += 1
        if len(data) != n:
            self.error(f"{what}: {len(data)} bytes where {n} were announced", start)
        return m, data

    def comments(self):
        """The '#' lines at the head of the file, as they are."""
        out = []
        while self.at(r"#.*"):
            out.append(self.take(r"#.*", "a comment").group(0))
        return out

    def end(self):
        """The closing line every file has, and nothing after it."""
        self.take(r"# ALL VERIFICATIONS PASSED: True", "# ALL VERIFICATIONS PASSED: True")
        if self.peek() is not None:
            self.error(f"text after the end: {self.peek()}")


def unhex(r, s, nbytes, what):
    """Hex S of exactly NBYTES bytes (any length if None)."""
    b = bytes.fromhex(s)
    if nbytes is not None and len(b) != nbytes:
        r.error(f"{what}: {len(b)} bytes, not {nbytes}", r.i)
    return b


def same(r, a, b, what):
    if a != b:
        r.error(f"{what} disagree: {a.hex() if isinstance(a, bytes) else a} "
                f"vs {b.hex() if isinstance(b, bytes) else b}", r.i)


def ipv4(r, pkt, what, proto=None):
    """Check that PKT is a whole IPv4 packet (tot_len = its length, header
    checksum right, no options are needed by anything here but allowed);
    return (header length, protocol, source, destination)."""
    if len(pkt) < 20 or pkt[0] >> 4 != 4:
        r.error(f"{what} is not IPv4", r.i)
    ihl = (pkt[0] & 15) * 4
    if ihl < 20 or len(pkt) < ihl:
        r.error(f"{what}: header length {ihl}", r.i)
    if int.from_bytes(pkt[2:4], "big") != len(pkt):
        r.error(f"{what}: total length {int.from_bytes(pkt[2:4], 'big')}, "
                f"but {len(pkt)} bytes", r.i)
    if checksum(pkt[:ihl]) != 0:
        r.error(f"{what}: bad header checksum", r.i)
    if proto is not None and pkt[9] != proto:
        r.error(f"{what}: protocol {pkt[9]}, not {proto}", r.i)
    return ihl, pkt[9], socket.inet_ntoa(pkt[12:16]), socket.inet_ntoa(pkt[16:20])


def checksum(b):
    s = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b) - 1, 2))
    if len(b) % 2:
        s += b[-1] << 8
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def trailer(r, padlen, nh):
    """RFC 4303 2.4's default padding 1, 2, 3 ... then Pad Length, Next Header."""
    return bytes(range(1, padlen + 1)) + bytes([padlen, nh])


def verify_flags(r, text, what):
    """The file's own "check: True; check: True" summary: all must be True."""
    for part in text.split(";"):
        m = re.fullmatch(r"\s*(.+?)\s*:\s*(True|False)\s*", part)
        if not m:
            r.error(f"{what}: cannot read '{part.strip()}'", r.i)
        if m.group(2) != "True":
            r.error(f"{what}: the file's own check failed: {m.group(1)}", r.i)


def ip(r, s):
    try:
        return socket.inet_ntoa(socket.inet_aton(s))
    except OSError:
        r.error(f"not an IPv4 address: {s}", r.i)


# RFC 3602 section 4, cases 5-8: AES-128-CBC, no integrity.

def parse_rfc3602(path, skips):
    r = Reader(path)
    head = r.comments()
    # The file says which algorithm this is; bitskey's name follows from it.
    if not any(re.search(r"Algorithm: ESP, AES-128-CBC .*NO integrity \(ICV length 0\)", c)
               for c in head):
        r.error("the header no longer says 'AES-128-CBC ... NO integrity (ICV length 0)'")
    cases = []
    while r.at(r"=+"):
        r.take(r"=+", "a separator")
        if r.at(r"Extra: .*"):
            line = r.i + 1
            title = r.take(r"Extra: (.*)", "Extra").group(1)
            # Not RFC 3602's: HMAC-SHA1-96 from Linux's testmgr.h, appended to
            # case 5 by the file's author; one algorithm and key per case in
            # the list format, so it cannot be carried.  Not used: read past.
            while r.peek() is not None and not r.at(r"=+|# ALL VERIFICATIONS PASSED: .*"):
                r.i += 1
            skips.append((f"{os.path.basename(path)}:{line}", "rfc3602-case5-hmac-sha1",
                          "not RFC 3602's packet (the file's author computed it, HMAC-SHA1-96 "
                          "from Linux's testmgr.h) and it needs an integrity algorithm and key "
                          "besides aes-cbc, which the case list has no field for"))
            continue
        cases.append(parse_rfc3602_case(r))
    r.end()
    return cases


def parse_rfc3602_case(r):
    line = r.i + 1
    m = r.take(r"Case #(\d+): .*\[mode: (transport|tunnel)\]", "'Case #N: ... [mode: M]'")
    num, mode = int(m.group(1)), m.group(2)
    m = r.take(r"Key \(AES-(128|192|256)\)\s*: " + HEX, "Key (AES-N)")
    key = unhex(r, m.group(2), int(m.group(1)) // 8, "key")
    m = r.take(r"SPI\s*: 0x([0-9a-f]{8})\s+\(RFC text: SPI ([0-9a-f]+)\)", "SPI")
    spi = int(m.group(1), 16)
    same(r, spi, int(m.group(2), 16), "SPI and the RFC's SPI")
    src = ip(r, r.take(r"Source address\s*: " + IP, "Source address").group(1))
    dst = ip(r, r.take(r"Destination address\s*: " + IP, "Destination address").group(1))
    seq = int(r.take(r"Sequence number\s*: (\d+)", "Sequence number").group(1))
    iv = unhex(r, r.take(r"IV\s*: " + HEX, "IV").group(1), 16, "IV")

    r.take(r"-- Original packet --", "-- Original packet --")
    _, ohdr = r.hexblock(r"Original IP header", "Original IP header")
    _, odata = r.hexblock(r"Original data \(after IP header\)", "Original data")
    m = r.take(r"-- Augment data with: Padding ([0-9a-f]*)\s+Pad length ([0-9a-f]{2})\s+"
               r"Next header ([0-9a-f]{2}) --", "-- Augment data with: ... --")
    padding, padlen, nh = bytes.fromhex(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)
    same(r, padding + bytes([padlen, nh]), trailer(r, padlen, nh), "padding and RFC 4303's 1, 2, 3 ...")
    _, pre = r.hexblock(r"Pre-encryption data \(ESP payload incl\. padding, pad length, "
                        r"next header\)", "Pre-encryption data")

    r.take(r"-- Post-encryption packet --", "-- Post-encryption packet --")
    _, outer = r.hexblock(r"Outer IP header", "Outer IP header")
    spiseq = unhex(r, r.take(r"SPI/Seq #: " + HEX, "SPI/Seq #").group(1), 8, "SPI/Seq")
    same(r, spiseq, spi.to_bytes(4, "big") + seq.to_bytes(4, "big"), "SPI/Seq # and SPI, Sequence number")
    same(r, unhex(r, r.take(r"IV: " + HEX, "IV").group(1), 16, "IV"), iv, "the two IVs")
    _, enc = r.hexblock(r"Encrypted data", "Encrypted data")
    _, packet = r.hexblock(r"COMPLETE ESP PACKET \(outer IPv4 header \+ ESP\)", "COMPLETE ESP PACKET")
    verify_flags(r, r.take(r"verify: (.*)", "verify:").group(1), "verify")

    # The layers, each the concatenation the file describes.
    same(r, packet, outer + spiseq + iv + enc, "COMPLETE ESP PACKET and header|SPI/Seq|IV|data")
    same(r, len(enc), len(pre), "lengths of ciphertext and pre-encryption data")
    if len(enc) % 16:
        r.error("CBC ciphertext not a multiple of 16 bytes")
    ihl, _, psrc, pdst = ipv4(r, packet, "the complete packet", IPPROTO_ESP)
    same(r, (psrc, pdst), (src, dst), "packet's and stated addresses")
    same(r, ihl, len(outer), "outer header lengths")
    inner = ohdr + odata
    iihl, iproto, isrc, idst = ipv4(r, inner, "the original packet")
    same(r, iihl, len(ohdr), "original header lengths")
    if mode == "tunnel":
        # RFC 4303 2.6: next header 4, the payload is the whole inner packet.
        same(r, nh, IPPROTO_IPIP, "tunnel mode and next header")
        same(r, pre, inner + trailer(r, padlen, nh), "pre-encryption data and packet|trailer")
    else:
        # Transport: the payload is the original data; the original header
        # returns with protocol = next header.  The receiver rebuilds it from
        # the outer one, so they must differ only in length, protocol and
        # checksum for the original header to be the known answer.
        same(r, nh, iproto, "next header and the original protocol")
        same(r, pre, odata + trailer(r, padlen, nh), "pre-encryption data and data|trailer")

        def norm(h):
            return h[:2] + h[4:9] + h[12:]
        same(r, norm(outer), norm(ohdr), "outer and original headers (but length, protocol, checksum)")
    return Case(f"rfc3602-case{num}", mode, src, dst, spi, seq, False, "aes-cbc", key,
                packet, inner, ihl + 8 + len(iv), r.where(line))


# RFC 7634 appendix A: ChaCha20-Poly1305, tunnel mode, one packet.

def parse_rfc7634(path, skips):
    r = Reader(path)
    r.comments()
    line = r.i + 1
    keymat = unhex(r, r.take(r"KEYMAT \(key\|\|salt\)\s*: " + HEX, "KEYMAT").group(1), 36, "KEYMAT")
    key = unhex(r, r.take(r"key\s*: " + HEX, "key").group(1), 32, "key")
    salt = unhex(r, r.take(r"salt\s*: " + HEX, "salt").group(1), 4, "salt")
    same(r, keymat, key + salt, "KEYMAT and key||salt")
    m = r.take(r"Outer src / dst\s*: " + IP + r" -> " + IP, "Outer src / dst")
    src, dst = ip(r, m.group(1)), ip(r, m.group(2))
    spi = int.from_bytes(unhex(r, r.take(r"SPI\s*: " + HEX, "SPI").group(1), 4, "SPI"), "big")
    m = r.take(r"Seq\s*: ([0-9a-f]{8})\s+\((\d+)\)", "Seq")
    seq = int(m.group(1), 16)
    same(r, seq, int(m.group(2)), "Seq in hex and decimal")
    iv = unhex(r, r.take(r"IV\s*: " + HEX, "IV").group(1), 8, "IV")
    same(r, unhex(r, r.take(r"nonce \(salt\|\|IV\)\s*: " + HEX, "nonce").group(1), 12, "nonce"),
         salt + iv, "nonce and salt||IV")
    # RFC 7634 2.1/RFC 4106 5: 8 bytes of AAD is SPI || 32-bit Seq, no ESN.
    aad = unhex(r, r.take(r"AAD \(SPI\|\|Seq\)\s*: " + HEX, "AAD").group(1), 8, "AAD (no ESN)")
    same(r, aad, spi.to_bytes(4, "big") + seq.to_bytes(4, "big"), "AAD and SPI||Seq")
    _, inner = r.hexblock(r"Inner \(protected\) IPv4 packet", "Inner packet")
    m = r.take(r"ESP trailer\s*: padding ([0-9a-f]*)\s+pad length ([0-9a-f]{2})\s+"
               r"next header ([0-9a-f]{2}) \(IPv4, tunnel mode\)", "ESP trailer")
    padding, padlen, nh = bytes.fromhex(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)
    same(r, padding + bytes([padlen, nh]), trailer(r, padlen, nh), "padding and RFC 4303's 1, 2, 3 ...")
    same(r, nh, IPPROTO_IPIP, "tunnel mode and next header")
    _, plain = r.hexblock(r"Plaintext = inner packet \|\| padding \|\| padlen \|\| next header", "Plaintext")
    same(r, plain, inner + trailer(r, padlen, nh), "Plaintext and inner||trailer")
    _, ct = r.hexblock(r"Ciphertext", "Ciphertext")
    same(r, len(ct), len(plain), "lengths of ciphertext and plaintext")
    icv = unhex(r, r.take(r"ICV \(Poly1305 tag\)\s*: " + HEX, "ICV").group(1), 16, "ICV")
    _, esp = r.hexblock(r"ESP \(SPI\|Seq\|IV\|ciphertext\|ICV\)", "ESP")
    same(r, esp, aad + iv + ct + icv, "ESP and SPI|Seq|IV|ciphertext|ICV")
    _, packet = r.hexblock(r"COMPLETE PACKET \(outer IPv4 header \+ ESP\)", "COMPLETE PACKET")
    _, outer = r.hexblock(r"Outer IPv4 header", "Outer IPv4 header")
    r.end()
    same(r, packet, outer + esp, "COMPLETE PACKET and outer header||ESP")
    ihl, _, psrc, pdst = ipv4(r, packet, "the complete packet", IPPROTO_ESP)
    same(r, (psrc, pdst), (src, dst), "packet's and stated addresses")
    ipv4(r, inner, "the inner packet")
    return [Case("rfc7634", "tunnel", src, dst, spi, seq, False, "chacha20-poly1305", keymat,
                 packet, inner, ihl + 8 + len(iv), r.where(line))]


# draft-mcgrew-gcm-test-01: [K] AEAD primitives from Linux's testmgr.h, [O]
# OpenDataPlane's full packets for some of them.

@dataclass
class Prim:
    num: int
    esn: bool
    key: bytes
    salt: bytes
    spi: int
    seq: int            # the 32 bits on the wire
    iv: bytes
    plain: bytes
    padlen: int
    nh: int
    ctext: bytes        # ciphertext || ICV
    where: str


def parse_mcgrew(path, skips):
    r = Reader(path)
    r.comments()
    prims, fulls, odp_outer = {}, [], None
    while True:
        if r.at(r"=+"):
            r.take(r"=+", "a separator")
            if r.at(r"\[K\d+\].*"):
                p = parse_mcgrew_k(r)
                if p.num in prims:
                    r.error(f"K{p.num} twice")
                prims[p.num] = p
            else:
                if odp_outer is None:
                    r.error("an entry that is not [K], before the (O) section")
                fulls.append(parse_mcgrew_o(r))
        elif r.at(r"#+"):
            # The (O) section's heading names the entries whose outer IPv4
            # header ODP made up: their outer header is not the draft's.
            r.take(r"#+", "the (O) section")
            m = r.take(r"# \(O\) OpenDataPlane full-packet versions "
                       r"\(outer IPv4 header in ([\d/]+) is ODP-added\)", "the (O) heading")
            odp_outer = {int(n) for n in m.group(1).split("/")}
        else:
            break
    r.end()
    if odp_outer is None:
        r.error("no (O) section")

    cases, with_full = [], {}
    for o in fulls:
        reasons = []
        if "RFC 4543" in o["title"]:
            reasons.append("AES-GMAC (RFC 4543): bitsec has no GMAC")
        elif not re.fullmatch(r"AES-GCM-16 \(RFC 4106\)", o["title"]):
            r.error(f"O{o['num']}: unknown algorithm '{o['title']}'", o["line"])
        if o["num"] in odp_outer:
            reasons.append("its outer IPv4 header is ODP's, not the draft's (the file's (O) heading)")
        if o["nh"] == IPPROTO_NONE:
            reasons.append("next header 59: a dummy packet, no inner packet comes out")
        hdr = o["packet"][:(o["packet"][0] & 15) * 4]
        if checksum(hdr) != 0:
            # Any IPv4 stack drops it before ESP sees it (ODP's 12 has one).
            good = checksum(hdr[:10] + bytes(2) + hdr[12:])
            reasons.append(f"its outer header checksum is wrong ({hdr[10:12].hex()}, should be {good:04x})")
        k = prims.get(o["k"]) if o["k"] is not None else None
        if o["k"] is not None:
            if k is None:
                r.error(f"O{o['num']} names K{o['k']}, which the file does not have", o["line"])
            with_full[k.num] = o["num"]
        if not reasons and k is None:
            reasons.append("no [K] entry to tell its sequence number size (ESN or not) by")
        if not reasons and o["spi"] < 256:
            reasons.append(f"SPI {o['spi']:#010x} is reserved (RFC 4303 2.1: 0 is never "
                           "sent, 1-255 are IANA's); bitskey takes 256 to 0xffffffff")
        if reasons:
            skips.append((o["where"], f"mcgrew-O{o['num']}", "; ".join(reasons)))
            continue
        cases.append(mcgrew_case(r, o, k))
    for k in prims.values():
        if k.num in with_full:
            why = (f"AEAD primitive only, no outer header; [O{with_full[k.num]}] is ODP's "
                   "full-packet version of the same test (not byte-identical: see there)")
        elif k.esn:
            why = "ESN (64-bit sequence number) case without a full packet"
        else:
            why = ("no full packet: the entry gives the ESP payload only, and an outer "
                   "IPv4 header would have to be invented")
        skips.append((k.where, f"mcgrew-K{k.num}", why))
    return cases


def parse_mcgrew_k(r):
    line = r.i + 1
    m = r.take(r"\[K(\d+)\] linux testmgr\.h aes_gcm_rfc4106_tv_template mcgrew entry #(\d+)\s+"
               r"AES-(128|192|256)-GCM-16(\s+ESN \(64-bit seq\))?", "[Kn] title")
    num, keybits, esn = int(m.group(1)), int(m.group(3)), m.group(4) is not None
    same(r, num, int(m.group(2)), "[K] number and entry #")
    keymat = unhex(r, r.take(r"keymat \(key\|\|salt\)\s*: " + HEX, "keymat").group(1),
                   keybits // 8 + 4, "keymat")
    key = unhex(r, r.take(r"key\s*: " + HEX, "key").group(1), keybits // 8, "key")
    salt = unhex(r, r.take(r"salt\s*: " + HEX, "salt").group(1), 4, "salt")
    same(r, keymat, key + salt, "keymat and key||salt")
    spi = unhex(r, r.take(r"SPI\s*: " + HEX, "SPI").group(1), 4, "SPI")
    if esn:
        m = r.take(r"Seq \(64-bit ESN\)\s*: ([0-9a-f]{16})\s+\(high ([0-9a-f]{8}) not sent; "
                   r"low ([0-9a-f]{8}) in packet\)", "Seq (64-bit ESN)")
        seq64 = bytes.fromhex(m.group(1))
        same(r, seq64, bytes.fromhex(m.group(2) + m.group(3)), "Seq and its halves")
        seqwire = seq64[4:]
    else:
        seq64 = seqwire = bytes.fromhex(r.take(r"Seq \(32-bit\)\s*: ([0-9a-f]{8})", "Seq (32-bit)").group(1))
    iv = unhex(r, r.take(r"IV \(explicit\)\s*: " + HEX, "IV").group(1), 8, "IV")
    same(r, unhex(r, r.take(r"nonce \(salt\|\|IV\)\s*: " + HEX, "nonce").group(1), 12, "nonce"),
         salt + iv, "nonce and salt||IV")
    aad = unhex(r, r.take(r"AAD\s*: " + HEX, "AAD").group(1), 12 if esn else 8, "AAD")
    same(r, aad, spi + seq64, "AAD and SPI||Seq")
    same(r, unhex(r, r.take(r"kernel \.assoc\s*: " + HEX, "kernel .assoc").group(1), None, "assoc"),
         aad + iv, "kernel .assoc and AAD||IV")
    _, plain = r.hexblock(r"plaintext \(payload\|pad\|padlen\|nh\)", "plaintext")
    m = r.take(r"trailer: padlen=(\d+) next_header=0x([0-9a-f]{2}) pad_bytes_monotonic=True", "trailer:")
    padlen, nh = int(m.group(1)), int(m.group(2), 16)
    if len(plain) < padlen + 2 or plain[len(plain) - padlen - 2:] != trailer(r, padlen, nh):
        r.error("plaintext does not end in the stated trailer")
    _, ctext = r.hexblock(r"ciphertext\|\|ICV", "ciphertext||ICV")
    same(r, len(ctext), len(plain) + 16, "lengths of ciphertext||ICV and plaintext + 16")
    same(r, unhex(r, r.take(r"ICV\s*: " + HEX, "ICV").group(1), 16, "ICV"), ctext[-16:], "ICV and ctext's tail")
    _, esp = r.hexblock(r"ESP PACKET \(SPI\|Seq\|IV\|ciphertext\|ICV\)", "ESP PACKET")
    same(r, esp, spi + seqwire + iv + ctext, "ESP PACKET and SPI|Seq|IV|ciphertext|ICV")
    r.take(r"verify: AESGCM\(key, salt\|\|IV, ptext, AAD\) == ctext\|\|ICV : True", "verify: ... True")
    return Prim(num, esn, key, salt, int.from_bytes(spi, "big"), int.from_bytes(seqwire, "big"),
                iv, plain, padlen, nh, ctext, r.where(line))


def parse_mcgrew_o(r):
    line = r.i + 1
    m = r.take(r"\[O(\d+)\] ODP pkt_mcgrew_gcm_test_(\d+)_esp\s+(.+?)\s+mode=(tunnel|transport)",
               "[On] title")
    o = {"num": int(m.group(1)), "title": m.group(3), "mode": m.group(4), "line": line,
         "where": r.where(line), "k": None}
    same(r, o["num"], int(m.group(2)), "[O] number and ODP's test number")
    m = r.take(r"key: ([0-9a-f]+)\s+salt: ([0-9a-f]{8})\s+SPI: ([0-9a-f]{8})\s+"
               r"Seq: ([0-9a-f]{8})\s+IV: ([0-9a-f]{16})", "key: salt: SPI: Seq: IV:")
    o["key"], o["salt"], o["iv"] = bytes.fromhex(m.group(1)), bytes.fromhex(m.group(2)), bytes.fromhex(m.group(5))
    if len(o["key"]) not in (16, 24, 32):
        r.error(f"a {len(o['key'])}-byte AES key", r.i)
    o["spi"], o["seq"] = int(m.group(3), 16), int(m.group(4), 16)
    _, packet = r.hexblock(r"COMPLETE PACKET \(IPv4 \+ ESP\)", "COMPLETE PACKET")
    _, dec = r.hexblock(r"decrypted ESP payload \(incl\. trailer\)", "decrypted ESP payload")
    m = r.take(r"trailer padlen=(\d+) nh=0x([0-9a-f]{2}); decrypted inner == ODP plaintext packet "
               r"\(whole inner IP packet\): True", "trailer padlen= nh=; ...: True")
    padlen, nh = int(m.group(1)), int(m.group(2), 16)
    r.take(r"verify: ICV check with AESGCM : True", "verify: ICV check with AESGCM : True")
    if r.at(r"byte-identical to kernel copy .*"):
        m = r.take(r"byte-identical to kernel copy \[K(\d+)\] ciphertext\|\|ICV: (True|False)",
                   "byte-identical to kernel copy [Kn]")
        o["k"], o["identical"] = int(m.group(1)), m.group(2) == "True"
    # The notes explain differences from the [K] copy; what they say is
    # checked below from the bytes themselves, not taken from the prose.
    if r.at(r"NOTE: .*"):
        r.take(r"NOTE: .*", "NOTE:")
        while r.peek() is not None and not r.at(r"=+|#.*"):
            r.i += 1

    o.update(packet=packet, dec=dec, padlen=padlen, nh=nh, end=r.i)
    return o


def mcgrew_case(r, o, k):
    """A usable [O] entry, checked in itself and against its [K] primitive.

    What it is: ODP's tunnel-mode packet for one of the draft's tests, its
    ESP next header 4 where the draft had 1, so its ciphertext and ICV are
    ODP's, checked here and by the file's author (AESGCM).  The inner packet
    is the draft's.  The file's (O) heading says ODP made up the outer
    header of 12 and 15 only, and those are skipped for it; ODP's own
    test_vectors.h marks the outer header of all five "not a part of RFC".
    In tunnel mode the outer header only carries the packet to the SA's
    destination; the known answer is the inner packet.
    """
    r.i = o["end"]      # errors point at the end of the entry
    # The packet: outer IPv4 | SPI | Seq | IV | ciphertext || ICV, whose
    # decryption is the payload the file lists, ending in the trailer.
    packet, dec, padlen, nh = o["packet"], o["dec"], o["padlen"], o["nh"]
    ihl, _, o["src"], o["dst"] = ipv4(r, packet, f"O{o['num']}'s packet", IPPROTO_ESP)
    esp = packet[ihl:]
    same(r, esp[:16], o["spi"].to_bytes(4, "big") + o["seq"].to_bytes(4, "big") + o["iv"],
         "the packet's SPI|Seq|IV and the stated ones")
    same(r, len(esp) - 16, len(dec) + 16, "ciphertext||ICV length and decrypted length + 16")
    if len(dec) < padlen + 2 or dec[len(dec) - padlen - 2:] != trailer(r, padlen, nh):
        r.error(f"O{o['num']}: decrypted payload does not end in the stated trailer", o["line"])
    o.update(ct_offset=ihl + 16, ctext=esp[16:])
    same(r, (o["key"], o["salt"], o["spi"], o["seq"], o["iv"]), (k.key, k.salt, k.spi, k.seq, k.iv),
         f"O{o['num']} and K{k.num} key, salt, SPI, Seq, IV")
    if o["mode"] != "tunnel" or o["nh"] != IPPROTO_IPIP:
        r.error(f"O{o['num']}: mode {o['mode']} with next header {o['nh']} is not handled", o["line"])
    # Tunnel mode: the inner packet is the decrypted payload without its
    # trailer; it must be the draft's own packet (K's plaintext without its
    # trailer, where the draft put next header 1, ODP 4).
    inner = o["dec"][:len(o["dec"]) - o["padlen"] - 2]
    same(r, inner, k.plain[:len(k.plain) - k.padlen - 2], f"O{o['num']}'s and K{k.num}'s inner packets")
    ipv4(r, inner, f"O{o['num']}'s inner packet")
    # GCM encrypts with a keystream from key, salt and IV alone, and these are
    # K's: ODP's ciphertext must differ from K's exactly where the plaintexts
    # do.  That shows, without AES, that the decrypted payload listed is the
    # decryption of this packet's ciphertext (the ICV is left to bitsec).
    n = len(o["dec"])
    if len(k.plain) != n:
        r.error(f"O{o['num']} and K{k.num}: plaintexts of {n} and {len(k.plain)} bytes", o["line"])
    if any(o["ctext"][i] ^ k.ctext[i] != o["dec"][i] ^ k.plain[i] for i in range(n)):
        r.error(f"O{o['num']}'s ciphertext is not K{k.num}'s keystream over its payload", o["line"])
    return Case(f"mcgrew-O{o['num']}", "tunnel", o["src"], o["dst"], o["spi"], o["seq"], k.esn,
                "aes-gcm-16", o["key"] + o["salt"], o["packet"], inner, o["ct_offset"], o["where"])


def load():
    skips = []
    cases = []
    for name, parse in ((RFC3602, parse_rfc3602), (MCGREW, parse_mcgrew), (RFC7634, parse_rfc7634)):
        cases += parse(os.path.join(VECTORS, name), skips)
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise VectorError(f"two cases with one name: {names}")
    return cases, skips


def find(cases, name):
    for c in cases:
        if c.name == name:
            return c
    raise VectorError(f"no usable case named {name} (vectors.py list names them)")


def flipped(c):
    """C's packet with the last ciphertext byte of the inner packet flipped:
    with a stream cipher (GCM, ChaCha20) it flips one byte of the inner
    packet's data, so a receiver that skipped the ICV would deliver a packet
    with the right addresses and one wrong byte."""
    payload = len(c.inner) if c.mode == "tunnel" else len(c.inner) - (c.inner[0] & 15) * 4
    i = c.ct_offset + payload - 1
    return c.packet[:i] + bytes([c.packet[i] ^ 0x01]) + c.packet[i + 1:]


def hexdiff(want, got):
    """Rows of 16 bytes where WANT and GOT differ, with carets under the bytes."""
    out = [f"  {len(got)} bytes received, {len(want)} expected"]
    for off in range(0, max(len(want), len(got)), 16):
        w, g = want[off:off + 16], got[off:off + 16]
        if w == g:
            continue
        marks = "".join("  " if i < len(w) and i < len(g) and w[i] == g[i] else "^^"
                        for i in range(max(len(w), len(g))))
        out += [f"  {off:04x} want {w.hex()}", f"  {off:04x} got  {g.hex()}", f"            {marks}"]
    return "\n".join(out)


def expect(c, timeout, absent):
    proto = c.inner[9]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
    if absent:
        # The shell stops the watch with SIGTERM once the drop was counted.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    deadline = time.monotonic() + timeout
    seen, best, best_score = 0, None, None
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        got = s.recv(65535)
        seen += 1
        if absent:
            if got[12:20] == c.inner[12:20]:
                print(f"a packet {socket.inet_ntoa(got[12:16])} -> {socket.inet_ntoa(got[16:20])} "
                      f"protocol {proto} came out:\n{hexdiff(c.inner, got)}", flush=True)
                return 1
            continue
        if got == c.inner:
            print("match", flush=True)
            return 0
        # Closest so far: most equal bytes in place, length differences counted against.
        score = sum(a == b for a, b in zip(got, c.inner)) - abs(len(got) - len(c.inner))
        if best_score is None or score > best_score:
            best, best_score = got, score
    if absent:
        return 0
    if best is None:
        print(f"no protocol {proto} packet arrived in {timeout} s")
    else:
        print(f"{seen} protocol {proto} packet(s) arrived, none the expected one; the closest:")
        print(hexdiff(c.inner, best))
    return 1


def main(argv):
    usage = __doc__.split("\n\n")[2]
    if not argv:
        print(usage, file=sys.stderr)
        return 2
    try:
        cases, skips = load()
        cmd, args = argv[0], argv[1:]
        if cmd == "list" and not args:
            for where, name, why in skips:
                print(f"skip {name} ({where}): {why}", file=sys.stderr)
            for c in cases:
                print(f"{c.name}|{c.mode}|{c.src}|{c.dst}|{c.spi:#010x}|{int(c.esn)}|{c.alg}|{c.key.hex()}")
            return 0
        if cmd == "show" and len(args) == 1:
            c = find(cases, args[0])
            print(f"name {c.name}\nsource {c.where}\nmode {c.mode}\nsrc {c.src}\ndst {c.dst}\n"
                  f"spi {c.spi:#010x}\nseq {c.seq}\nesn {int(c.esn)}\nalg {c.alg}\nkey {c.key.hex()}\n"
                  f"inner_proto {c.inner[9]}\ninner_src {socket.inet_ntoa(c.inner[12:16])}\n"
                  f"inner_dst {socket.inet_ntoa(c.inner[16:20])}\n"
                  f"packet {c.packet.hex()}\ninner {c.inner.hex()}")
            return 0
        if cmd == "inject" and len(args) in (1, 2) and args[1:] in ([], ["--flip"]):
            c = find(cases, args[0])
            pkt = flipped(c) if args[1:] else c.packet
            # IPPROTO_RAW implies IP_HDRINCL: the header goes out as given.
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            s.sendto(pkt, (c.dst, 0))
            return 0
        if cmd == "expect" and len(args) in (2, 3) and args[2:] in ([], ["--absent"]):
            return expect(find(cases, args[0]), float(args[1]), bool(args[2:]))
    except (VectorError, OSError) as e:
        print(f"vectors.py: {e}", file=sys.stderr)
        return 2
    print(usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

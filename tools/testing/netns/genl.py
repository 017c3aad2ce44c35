#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic-netlink client for the netns tests, independent of libnl.

It sends exactly the bytes it is told to, so tests can hand the module
malformed requests that bitskey would never build.

  genl.py FAMILY CMD [ATTR...]    send CMD (a number) to FAMILY
      ATTR is TYPE:KIND:VALUE with KIND one of u8 u16 u32 u64 str hex,
      or TYPE:raw:HEX for an attribute whose payload is exactly HEX, or
      trunc:HEX to append bytes that are not a valid attribute at all.
  Options before FAMILY: --version N (genl header version), --no-ack.

Prints 'ok' and the number of reply attributes, or 'error ERRNO-NAME: EXTACK'.
Exit status 0 on success, 1 on a kernel error, 2 on bad usage or if the
family is missing.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLMSG_DONE = 3
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
NLMSGERR_ATTR_MSG = 1
NLM_F_ACK_TLVS = 0x200


def attr(t, payload):
    hdr = struct.pack("=HH", 4 + len(payload), t)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def parse_attrs(buf):
    out = []
    while len(buf) >= 4:
        length, t = struct.unpack_from("=HH", buf)
        if length < 4 or length > len(buf):
            break
        out.append((t & 0x3FFF, buf[4:length]))
        buf = buf[(length + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1

    def request(self, family, cmd, payload, version=1, ack=True):
        self.seq += 1
        flags = NLM_F_REQUEST | (NLM_F_ACK if ack else 0)
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, flags, self.seq, 0) + body
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(65536)
            off = 0
            while off + 16 <= len(data):
                length, mtype, mflags, seq, _ = struct.unpack_from("=IHHII", data, off)
                chunk = data[off:off + length]
                off += (length + 3) & ~3
                if mtype == NLMSG_ERROR:
                    err = struct.unpack_from("=i", chunk, 16)[0]
                    msg = ""
                    if mflags & NLM_F_ACK_TLVS:
                        for t, v in parse_attrs(chunk[16 + 4 + 16:]):
                            if t == NLMSGERR_ATTR_MSG:
                                msg = v.rstrip(b"\0").decode()
                    return err, msg, replies
                if mtype == NLMSG_DONE:
                    return 0, "", replies
                replies.append(parse_attrs(chunk[20:]))
            if not ack and replies:
                return 0, "", replies

    def resolve(self, name):
        err, _, replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                       attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err:
            return None
        for t, v in replies[0]:
            if t == CTRL_ATTR_FAMILY_ID:
                return struct.unpack("=H", v)[0]
        return None


def build(spec):
    if spec.startswith("trunc:"):
        return bytes.fromhex(spec[6:])
    t, kind, value = spec.split(":", 2)
    t = int(t)
    if kind == "raw":
        return struct.pack("=HH", 4 + len(bytes.fromhex(value)), t) + bytes.fromhex(value)
    fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}
    if kind in fmt:
        return attr(t, struct.pack(fmt[kind], int(value, 0)))
    if kind == "str":
        return attr(t, value.encode() + b"\0")
    if kind == "hex":
        return attr(t, bytes.fromhex(value))
    raise ValueError("unknown attribute kind " + kind)


def main(argv):
    version, ack = 1, True
    while argv and argv[0].startswith("--"):
        if argv[0] == "--version":
            version = int(argv[1])
            argv = argv[2:]
        elif argv[0] == "--no-ack":
            ack = False
            argv = argv[1:]
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    g = Genl()
    fam = g.resolve(argv[0])
    if fam is None:
        print("error ENOENT: family %s not found" % argv[0])
        return 2
    payload = b"".join(build(a) for a in argv[2:])
    err, msg, replies = g.request(fam, int(argv[1]), payload, version, ack)
    if err:
        # Python names 95 ENOTSUP; the kernel and its docs say EOPNOTSUPP.
        name = "EOPNOTSUPP" if -err == errno.EOPNOTSUPP else errno.errorcode.get(-err, str(-err))
        print("error %s: %s" % (name, msg))
        return 1
    print("ok %d" % sum(len(r) for r in replies))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

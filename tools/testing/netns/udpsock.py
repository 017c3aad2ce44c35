#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP helpers for the NAT-T suite.

  udpsock.py listen ADDR PORT FILE [--encap]
      bind ADDR:PORT (with UDP_ENCAP_ESPINUDP if --encap, as an IKE daemon
      does for Linux's XFRM), then append each datagram received to FILE as
      one line of hex; runs until killed.  FILE.ready appears once bound.
  udpsock.py send ADDR PORT HEX [SPORT]
      send one datagram with payload HEX (from SPORT if given).
"""
import os
import socket
import sys

SOL_UDP = 17
UDP_ENCAP = 100
UDP_ENCAP_ESPINUDP = 2


def main():
    if sys.argv[1] == "listen":
        addr, port, path = sys.argv[2], int(sys.argv[3]), sys.argv[4]
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if "--encap" in sys.argv:
            s.setsockopt(SOL_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)
        s.bind((addr, port))
        open(path + ".ready", "w").close()
        while True:
            data = s.recv(65536)
            with open(path, "a") as f:
                f.write(data.hex() + "\n")
    elif sys.argv[1] == "send":
        addr, port, payload = sys.argv[2], int(sys.argv[3]), bytes.fromhex(sys.argv[4])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        if len(sys.argv) > 5:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("", int(sys.argv[5])))
        s.sendto(payload, (addr, port))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

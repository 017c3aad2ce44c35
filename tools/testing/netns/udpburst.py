#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Numbered UDP bursts, to see whether packets arrive in the order sent.

  udpburst.py recv ADDR PORT FILE IDLE
      bind ADDR:PORT, create FILE.ready, then receive datagrams until none
      came for IDLE seconds (after the first); write to FILE one line
      "received N inversions K first F last L": K counts datagrams whose
      number is below the one before.
  udpburst.py send ADDR PORT COUNT SIZE [RATE]
      send COUNT datagrams of SIZE bytes, numbered 0.., as fast as the
      socket takes them, or RATE a second, from one socket (so one CPU's
      order).
"""
import os
import socket
import struct
import sys
import time


def recv(addr, port, path, idle):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((addr, port))
    open(path + ".ready", "w").close()
    got = inv = 0
    first = last = prev = -1
    s.settimeout(None)
    while True:
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        n = struct.unpack("!I", data[:4])[0]
        if got == 0:
            first = n
            s.settimeout(idle)
        elif n < prev:
            inv += 1
        prev = last = n
        got += 1
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("received %d inversions %d first %d last %d\n" % (got, inv, first, last))
    os.rename(tmp, path)


def send(addr, port, count, size, rate=0.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    pad = bytes(max(size - 4, 0))
    start = time.monotonic()
    for i in range(count):
        if rate:
            # Paced: datagram i leaves no earlier than i / rate seconds in.
            ahead = start + i / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        while True:
            try:
                s.sendto(struct.pack("!I", i) + pad, (addr, port))
                break
            except (BlockingIOError, OSError) as e:
                if getattr(e, "errno", None) not in (11, 105):
                    raise


def main():
    if sys.argv[1] == "recv":
        recv(sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
    elif sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
             float(sys.argv[6]) if len(sys.argv) > 6 else 0.0)
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main())

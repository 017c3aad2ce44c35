#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP transfer for the netns tests.

  tcpsink.py ADDR PORT          accept one connection, print the SHA-256
                                of everything received (as sha256sum does)
  tcpsink.py --send ADDR PORT   send stdin to ADDR:PORT and close
"""
import hashlib
import socket
import sys


def main():
    args = sys.argv[1:]
    if args and args[0] == "--send":
        s = socket.create_connection((args[1], int(args[2])), timeout=60)
        s.sendall(sys.stdin.buffer.read())
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
        s.close()
        return 0
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args[0], int(args[1])))
    ls.listen(1)
    ls.settimeout(60)
    c, _ = ls.accept()
    c.settimeout(60)
    h = hashlib.sha256()
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
    c.close()
    print(h.hexdigest() + "  -")
    return 0


if __name__ == "__main__":
    sys.exit(main())

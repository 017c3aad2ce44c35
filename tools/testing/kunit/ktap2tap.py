#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn KUnit's KTAP (from debugfs results files) into one TAP line per test
case, for make check's count.

  ktap2tap.py --expect SUITE[,SUITE...] < ktap

Every expected suite must appear and report at least one case; a suite whose
own result is 'not ok' without a failing case (it crashed or failed to
initialise) becomes a failing line too.  Diagnostics of failing cases are
kept as '#' lines.  Exit status 1 if anything failed.
"""
import re
import sys

RESULT = re.compile(r"^(ok|not ok) (\d+)(?: -)? ([^#]*?)\s*(#.*)?$")


def depth(line):
    d = 0
    while True:
        if line.startswith("\t"):
            line, d = line[1:], d + 1
        elif line.startswith("    "):
            line, d = line[4:], d + 1
        else:
            return d, line


def main(argv):
    expect = []
    if len(argv) == 2 and argv[0] == "--expect":
        expect = [s for s in argv[1].split(",") if s]
    suites = {}      # name -> {"cases": [(ok, name, directive)], "ok": bool|None}
    current = None
    diag = []
    out = []
    for raw in sys.stdin:
        raw = raw.rstrip("\n")
        d, line = depth(raw)
        m = re.match(r"^# Subtest: (\S+)", line)
        if m and d == 1:
            current = m.group(1)
            suites.setdefault(current, {"cases": [], "ok": None})
            diag = []
            continue
        m = RESULT.match(line)
        if m and d == 1 and current:
            ok = m.group(1) == "ok"
            name, directive = m.group(3), m.group(4) or ""
            suites[current]["cases"].append((ok, name, directive))
            line_out = "%s - kunit: %s.%s" % ("ok" if ok else "not ok", current, name)
            if directive:
                line_out += " " + directive
            out.append(line_out)
            # A failure keeps its diagnostics; a pass keeps what the case
            # itself logged (kunit_info: measurements and such).
            if not ok:
                out.extend("# " + x.lstrip("# ") for x in diag[-30:])
            else:
                out.extend("# " + x.lstrip("# ") for x in diag
                           if x.startswith("# %s: " % name))
            diag = []
            continue
        if m and d == 0:
            name = m.group(3)
            if name in suites:
                suites[name]["ok"] = m.group(1) == "ok"
            continue
        if d >= 1 and not line.startswith("KTAP version"):
            diag.append(line)
    failed = 0
    for o in out:
        print(o)
        failed += o.startswith("not ok")
    for name in expect:
        s = suites.get(name)
        if s is None or not s["cases"]:
            print("not ok - kunit: suite %s ran and reported its cases" % name)
            failed += 1
    for name, s in suites.items():
        if s["ok"] is False and all(c[0] for c in s["cases"]):
            print("not ok - kunit: suite %s failed outside its cases" % name)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

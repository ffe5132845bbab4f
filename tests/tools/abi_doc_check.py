#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks docs/abi.md against guestabi's headers, which are the ABI.

  - the hypercall table (section "Hypercalls") has one row per HV_OP_* of
    <hvabi/*.h>, with the header's number, and no other row;
  - the text's "HV_OP_COUNT is N" is the header's HV_OP_COUNT, which is
    one more than the highest operation number;
  - every error named in the table's errors column is an HV_E* of abi.h;
  - the section "Error codes" lists every HV_OK/HV_E* of abi.h with its
    value, and no other.

Exit 0 when they agree, 1 on a mismatch, 2 when a file cannot be read or
the table is not found. Usage:
  abi_doc_check.py [--doc docs/abi.md] [--guestabi guestabi/include]
"""
import argparse
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def defines(text):
    """name -> value of every '#define NAME <number>' (comments dropped)."""
    out = {}
    for m in re.finditer(r"^#define (\w+) +(\d+|0x[0-9a-fA-F]+)u?\b", text,
                         re.M):
        out[m.group(1)] = int(m.group(2), 0)
    return out


def section(doc, title_re):
    """The text of the '## ' section whose title matches, or None."""
    m = re.search(r"^## %s[^\n]*\n(.*?)(?=^## |\Z)" % title_re, doc,
                  re.M | re.S)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "abi.md"))
    ap.add_argument("--guestabi",
                    default=os.path.join(ROOT, "guestabi", "include"))
    args = ap.parse_args()
    try:
        with open(args.doc) as f:
            doc = f.read()
        # The operations are spread over the subsystem headers of
        # <hvabi/> (not io/: wire protocols define no hypercalls).
        hypercall = {}
        abi_dir = os.path.join(args.guestabi, "hvabi")
        for name in sorted(os.listdir(abi_dir)):
            if name.endswith(".h"):
                with open(os.path.join(abi_dir, name)) as f:
                    hypercall.update(defines(f.read()))
        with open(os.path.join(abi_dir, "abi.h")) as f:
            abi = defines(f.read())
    except OSError as e:
        print("abi_doc_check: %s" % e)
        return 2

    ops = {n[len("HV_OP_"):]: v for n, v in hypercall.items()
           if n.startswith("HV_OP_") and n != "HV_OP_COUNT"}
    errors = {n: v for n, v in abi.items() if re.fullmatch(r"HV_(E\w+|OK)", n)}
    problems = []

    calls = section(doc, r"Hypercalls")
    if calls is None:
        print("abi_doc_check: %s has no '## Hypercalls' section" % args.doc)
        return 2
    rows = {}
    for m in re.finditer(r"^\| *(\d+) *\| *`(\w+)` *\|(.*)$", calls, re.M):
        number, name, rest = int(m.group(1)), m.group(2), m.group(3)
        if name in rows:
            problems.append("the table has two rows for %s" % name)
        rows[name] = number
        cells = rest.split("|")
        if len(cells) >= 4:  # IN | OUT | errors |
            for err in re.findall(r"`(E[A-Z0-9]+)`", cells[2]):
                if "HV_" + err not in errors:
                    problems.append("row %s names error %s, which abi.h does "
                                    "not define" % (name, err))
    if not rows:
        print("abi_doc_check: no hypercall table in '## Hypercalls'")
        return 2
    for name, number in sorted(ops.items(), key=lambda i: i[1]):
        if name not in rows:
            problems.append("HV_OP_%s (%d) has no row in the table" %
                            (name, number))
        elif rows[name] != number:
            problems.append("HV_OP_%s is %d in <hvabi/> but %d in the "
                            "table" % (name, number, rows[name]))
    for name, number in sorted(rows.items(), key=lambda i: i[1]):
        if name not in ops:
            problems.append("the table's row %d %s is no HV_OP_* of "
                            "<hvabi/>" % (number, name))

    count = re.search(r"`HV_OP_COUNT` is (\d+)", calls)
    if "HV_OP_COUNT" not in hypercall:
        problems.append("<hvabi/> defines no HV_OP_COUNT")
    else:
        if hypercall["HV_OP_COUNT"] != max(ops.values()) + 1:
            problems.append("HV_OP_COUNT is %d but the highest operation is "
                            "%d" % (hypercall["HV_OP_COUNT"],
                                    max(ops.values())))
        if not count:
            problems.append("the text does not say \"`HV_OP_COUNT` is N\"")
        elif int(count.group(1)) != hypercall["HV_OP_COUNT"]:
            problems.append("the text says HV_OP_COUNT is %s, <hvabi/> %d"
                            % (count.group(1), hypercall["HV_OP_COUNT"]))

    codes = section(doc, r"Error codes")
    listed = {}
    if codes is None:
        problems.append("no '## Error codes' section")
    else:
        for m in re.finditer(r"`(HV_(?:E\w+|OK))` (\d+)", codes):
            listed[m.group(1)] = int(m.group(2))
    for name, value in sorted(errors.items(), key=lambda i: i[1]):
        if name not in listed:
            problems.append("%s (%d) is not listed under Error codes" %
                            (name, value))
        elif listed[name] != value:
            problems.append("%s is %d in abi.h but %d under Error codes" %
                            (name, value, listed[name]))
    for name in sorted(set(listed) - set(errors)):
        problems.append("Error codes lists %s, which abi.h does not define"
                        % name)

    for p in problems:
        print("MISMATCH: " + p)
    print("%s: %d hypercalls, %d error codes compared" %
          (os.path.relpath(args.doc, ROOT), len(ops), len(errors)))
    if problems:
        print("FAILED: docs/abi.md disagrees with guestabi's headers")
        return 1
    print("ok: docs/abi.md agrees with guestabi's headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())

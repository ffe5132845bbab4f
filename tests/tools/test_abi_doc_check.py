#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tests/tools/abi_doc_check.py: it passes on docs/abi.md and
guestabi, and fails on each mismatch planted in scratch copies of them.
Exit 0 if all checks pass."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolcheck import check, edit, finish  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TOOL = os.path.join(ROOT, "tests", "tools", "abi_doc_check.py")
DOC = os.path.join(ROOT, "docs", "abi.md")
GUESTABI = os.path.join(ROOT, "guestabi", "include")


def run(doc=DOC, guestabi=GUESTABI):
    p = subprocess.run([sys.executable, TOOL, "--doc", doc, "--guestabi",
                        guestabi], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


# (what, file: "doc" or a header, regex, replacement, expected output)
PLANTS = [
    ("a row renumbered", "doc", r"^\| 16 \| `TIMER_SET`",
     "| 17 | `TIMER_SET`",
     r"MISMATCH: HV_OP_TIMER_SET is 16 in <hvabi/> but 17 in the table"),
    ("a row renamed", "doc", r"^\| 18 \| `BLOCK`", "| 18 | `SLEEP`",
     r"HV_OP_BLOCK \(18\) has no row.*\n.*row 18 SLEEP is no HV_OP_"),
    ("a row missing", "doc", r"^\| 3 \| `YIELD`.*\n", "",
     r"MISMATCH: HV_OP_YIELD \(3\) has no row"),
    ("an operation the header lacks", "vcpu.h",
     r"^#define HV_OP_VFP 27$", "",
     r"row 27 VFP is no HV_OP_\* of <hvabi/>"),
    ("an operation renumbered in the header", "hypercall.h",
     r"^#define HV_OP_YIELD 3$", "#define HV_OP_YIELD 30",
     r"MISMATCH: HV_OP_YIELD is 30 in <hvabi/> but 3"),
    ("a new operation undocumented", "hypercall.h",
     r"^#define HV_OP_COUNT 39$", "#define HV_OP_SPAWN 39\n"
     "#define HV_OP_COUNT 40",
     r"HV_OP_SPAWN \(39\) has no row"),
    ("HV_OP_COUNT in the text", "doc", r"`HV_OP_COUNT` is 39",
     "`HV_OP_COUNT` is 27", r"the text says HV_OP_COUNT is 27"),
    ("an unknown error in a row", "doc", r"`EPERM` no shared page \|",
     "`EPERMS` no shared page |", r"row BLOCK names error EPERMS"),
    ("an error code's value", "doc", r"`HV_EBUSY` 16", "`HV_EBUSY` 61",
     r"HV_EBUSY is 16 in abi.h but 61 under Error codes"),
]

with tempfile.TemporaryDirectory() as tmp:
    rc, out = run()
    check("docs/abi.md agrees with guestabi (exit 0)", rc == 0, out)
    for what, where, old, new, expect in PLANTS:
        doc = os.path.join(tmp, "abi.md")
        inc = os.path.join(tmp, "include")
        shutil.copy(DOC, doc)
        shutil.rmtree(inc, ignore_errors=True)
        shutil.copytree(GUESTABI, inc)
        edit(doc if where == "doc" else os.path.join(inc, "hvabi", where), old,
             new)
        rc, out = run(doc, inc)
        check("%s: exit 1 naming it" % what,
              rc == 1 and re.search(expect, out), out)

finish()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tests/tools/include_layers.py: it passes on docs/layout.md and
hv/, and fails, naming the file and the layers, on each violation planted
in scratch copies of them. Exit 0 if all checks pass."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolcheck import check, edit, finish  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TOOL = os.path.join(ROOT, "tests", "tools", "include_layers.py")


def run(root):
    p = subprocess.run([sys.executable, TOOL, "--root", root, "--doc",
                        os.path.join(root, "docs", "layout.md")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def append(path, text):
    with open(path, "a") as f:
        f.write(text)


# (what, file, regex, replacement or None to create the file with the
# text, expected output); SECOND adds edits to some plants.
PLANTS = [
    ("a leaf including a header above it", "hv/core/vm.c",
     r'^#include "hv/pt.h"$', '#include "hv/pt.h"\n#include "hv/sched.h"',
     r'hv/core/vm.c:\d+: includes hv/sched.h: vm \(layer \d+, guests\) is '
     r'below sched \(layer \d+, scheduler\)'),
    ("a header including a header above it", "hv/inc/hv/vcpu.h",
     r'^#include "hv/vm.h"$', '#include "hv/vm.h"\n#include "hv/guest.h"',
     r'hv/inc/hv/vcpu.h:\d+: includes hv/guest.h: vcpu \(layer \d+, vCPU\) '
     r'is below guest \(layer \d+, lifecycle\)'),
    ("a cycle within one layer", "hv/core/timer.c",
     r'^#include "hv/vcpu.h"$', '#include "hv/vcpu.h"\n#include "hv/evtchn.h"',
     r"include cycle between modules: evtchn, timer"),
    ("a new file in no layer", "hv/core/spare.c", None,
     '#include "hv/vm.h"\n',
     r"hv/core/spare.c: module spare is in no layer"),
    ("an include of a header in no layer", "hv/core/irq.c",
     r'^#include "hv/irq.h"$', '#include "hv/irq.h"\n#include "hv/nowhere.h"',
     r"hv/core/irq.c:\d+: includes hv/nowhere.h, whose module nowhere is in "
     r"no layer"),
    ("a module in two layers", "docs/layout.md",
     r"^(\| entries \| )", r"\1`vm`, ",
     r"module vm is in two layers"),
    ("a module the table names that does not exist", "docs/layout.md",
     r"^(\| entries \| )", r"\1`ghost`, ",
     r"module ghost of layer \d+ \(entries\) has no file"),
    ("a guest-to-guest protocol in the monitor",
     "hv/arch/arm32/exception.c", r'^(#include "hv/arch.h")$',
     "\\1\n#include <hvabi/io/ring.h>",
     r"hv/arch/arm32/exception.c:\d+: includes <hvabi/io/ring.h>"),
    ("a guest-to-guest protocol in a core header", "hv/inc/hv/evtchn.h",
     r'^(#include "hv/vm.h")$', '\\1\n#include "hvabi/io/blkif.h"',
     r"hv/inc/hv/evtchn.h:\d+: includes <hvabi/io/blkif.h>"),
]

SECOND = {
    "a cycle within one layer": ("hv/core/evtchn.c", r'^#include "hv/vcpu.h"$',
                                 '#include "hv/vcpu.h"\n#include "hv/timer.h"'),
}

rc, out = run(ROOT)
check("docs/layout.md and hv/ agree (exit 0)", rc == 0, out)

with tempfile.TemporaryDirectory() as tmp:
    for what, where, old, new, expect in PLANTS:
        root = os.path.join(tmp, "root")
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(os.path.join(root, "docs"))
        shutil.copytree(os.path.join(ROOT, "hv"), os.path.join(root, "hv"))
        shutil.copy(os.path.join(ROOT, "docs", "layout.md"),
                    os.path.join(root, "docs", "layout.md"))
        path = os.path.join(root, where)
        if old is None:
            append(path, new)
        else:
            edit(path, old, new)
        if what in SECOND:
            more, old2, new2 = SECOND[what]
            edit(os.path.join(root, more), old2, new2)
        rc, out = run(root)
        check("%s: exit 1 naming it" % what,
              rc == 1 and re.search(expect, out), out)

    # No table at all is not a pass either.
    root = os.path.join(tmp, "root")
    edit(os.path.join(root, "docs", "layout.md"), r"^## Layers", "## Tiers")
    rc, out = run(root)
    check("no '## Layers' table: exit 2", rc == 2 and "Layers" in out, out)

finish()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tests/tools/linux_abi_check.py: it passes on the real series and
guestabi, and fails on each kind of mismatch planted in scratch copies
(a renumbered, renamed or re-laid-out constant or struct in the series,
a renumbered operation or error code in guestabi). Exit 0 if all checks
pass. Usage: test_linux_abi_check.py ARM_GCC"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolcheck import check, edit, finish  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TOOL = os.path.join(ROOT, "tests", "tools", "linux_abi_check.py")
PATCHES = os.path.join(ROOT, "pvlinux-patches")
GUESTABI = os.path.join(ROOT, "guestabi", "include")
CC = sys.argv[1] if len(sys.argv) > 1 else "arm-none-eabi-gcc"


def run(tmp, patches=PATCHES, guestabi=GUESTABI):
    p = subprocess.run([sys.executable, TOOL, "--cc", CC, "--patches",
                        patches, "--guestabi", guestabi, "--work",
                        os.path.join(tmp, "work")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return p.returncode, p.stdout


def patch_file(patches, number):
    return os.path.join(patches, [p for p in os.listdir(patches)
                                  if p.startswith(number + "-")][0])


# (what, patch, line regex, replacement, expected output regex)
SERIES_PLANTS = [
    ("an operation renumbered", "0003", r"^\+#define HV_OP_YIELD\t\t3$",
     "+#define HV_OP_YIELD\t\t33", r"MISMATCH: hv-pv.h HV_OP_YIELD \(33\)"),
    ("an operation renamed", "0013", r"^\+#define HV_OP_GRANT_END\t",
     "+#define HV_OP_GRANT_STOP\t",
     r"MISMATCH: hv-pv.h defines HV_OP_GRANT_STOP \(29\), which guestabi "
     r"does not"),
    ("a flag changed", "0013", r"^\+#define HV_GRANT_READONLY\t1u$",
     "+#define HV_GRANT_READONLY\t2u", r"MISMATCH: .*HV_GRANT_READONLY"),
    ("a field of a connection moved", "0013", r"^\+\tu32 state, peer_state;",
     "+\tu32 peer_state, state;",
     r"MISMATCH: struct hv_conn_info: hv-pv.h has fields"),
    ("a verbatim protocol header edited", "0013",
     r"^\+#define HV_BLKIF_MAX_SEGMENTS 27u",
     "+#define HV_BLKIF_MAX_SEGMENTS 28u",
     r"MISMATCH: include/hvabi/io/blkif.h differs from guestabi's "
     r"hvabi/io/blkif.h from line \d+"),
    ("an assembly offset changed", "0003",
     r"^\+#define HV_VCPU_EVENTS_PENDING\t16$",
     "+#define HV_VCPU_EVENTS_PENDING\t20",
     r"MISMATCH: hv-pv.h HV_VCPU_EVENTS_PENDING \(20\) differs.*pending"),
    ("a struct grown", "0003", r"^\+\tu32 reserved1\[2\];",
     "+\tu32 reserved1[3];",
     r"MISMATCH: sizeof\(struct hv_vcpu_shared\) differs"),
    ("a field narrowed", "0003", r"^\+\tu64 time_ns;", "+\tu32 time_ns;",
     r"MISMATCH: struct hv_vcpu_shared.time_ns: size differs"),
    ("a field renamed", "0003", r"^\+\tu32 ptr;", "+\tu32 pa;",
     r"MISMATCH: struct hv_mmu_update: hv-pv.h has fields pa, val"),
    ("a newer interface needed", "0013",
     r"^\+#define HV_ABI_MINOR_NEEDED\t5$",
     "+#define HV_ABI_MINOR_NEEDED\t99",
     r"MISMATCH: hv-pv.h HV_ABI_MINOR_NEEDED \(99\): not"),
    ("a constant added in a later patch renumbered", "0004",
     r"^\+#define HV_CACHE_ICACHE_ALL\t3$",
     "+#define HV_CACHE_ICACHE_ALL\t4", r"MISMATCH: .*HV_CACHE_ICACHE_ALL"),
]

# (what, header, line regex, replacement, expected output regex)
GUESTABI_PLANTS = [
    ("guestabi renumbers an operation", "vcpu.h",
     r"^#define HV_OP_VFP 27$", "#define HV_OP_VFP 29",
     r"MISMATCH: hv-pv.h HV_OP_VFP \(27\) differs"),
    ("guestabi removes a constant", "evtchn.h",
     r"^#define HV_VIRQ_CONSOLE 1$", "",
     r"MISMATCH: hv-pv.h defines HV_VIRQ_CONSOLE"),
    ("guestabi moves a start-info field", "start_info.h",
     r"^    uint32_t mem_phys; .*$", "", r"MISMATCH: struct hv_start_info"),
    ("guestabi appends a field the copy may not leave out", "start_info.h",
     r"^    uint32_t restarts; ", "    uint32_t lives;\n    uint32_t restarts; ",
     r"MISMATCH: struct hv_start_info: hv-pv.h has fields"),
    ("guestabi inserts before an appended field", "start_info.h",
     r"^    char cmdline\[HV_CMDLINE_MAX\];",
     "    uint32_t moved;\n    char cmdline[HV_CMDLINE_MAX];",
     r"MISMATCH: struct hv_start_info: hv-pv.h has fields"),
    ("an error code that is not Linux's errno", "abi.h",
     r"^#define HV_EAGAIN 11 ", "#define HV_EAGAIN 35 ",
     r"MISMATCH: guestabi's HV_EAGAIN is not Linux's EAGAIN \(11\)"),
]

with tempfile.TemporaryDirectory() as tmp:
    rc, out = run(tmp)
    check("the real series agrees with guestabi (exit 0)", rc == 0, out)

    for what, number, old, new, expect in SERIES_PLANTS:
        scratch = os.path.join(tmp, "patches")
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(PATCHES, scratch)
        edit(patch_file(scratch, number), old, new)
        rc, out = run(tmp, patches=scratch)
        check("%s: exit 1 naming it" % what,
              rc == 1 and re.search(expect, out), out)

    for what, header, old, new, expect in GUESTABI_PLANTS:
        scratch = os.path.join(tmp, "include")
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(GUESTABI, scratch)
        edit(os.path.join(scratch, "hvabi", header), old, new)
        rc, out = run(tmp, guestabi=scratch)
        check("%s: exit 1 naming it" % what,
              rc == 1 and re.search(expect, out), out)

    # A series whose hunks for hv-pv.h do not apply is broken, not a pass.
    scratch = os.path.join(tmp, "patches")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(PATCHES, scratch)
    edit(os.path.join(scratch, "series"), r"^0002-.*\n", "")
    rc, out = run(tmp, patches=scratch)
    check("a series without the patch creating hv-pv.h: exit 2",
          rc == 2 and "before a patch creates it" in out, out)
    edit(patch_file(scratch, "0004"), r"^ #define HV_CACHE_FLUSH\t\t2$",
         " #define HV_CACHE_FLUSH\t\t5")
    shutil.copy(os.path.join(PATCHES, "series"), scratch)
    rc, out = run(tmp, patches=scratch)
    check("a hunk whose context does not match: exit 2",
          rc == 2 and "does not apply" in out, out)

finish()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the PV Linux kernel's copy of the guest ABI against guestabi.

The kernel cannot include guestabi/include/hvabi/*.h, so pvlinux-patches
carry a hand-written copy in arch/arm/include/asm/hv-pv.h. This script
rebuilds that file from the series alone (only the hunks for that path,
applied in series order, so no kernel tree is needed), renames its hv
identifiers with a LINUX_ prefix so that it compiles in one translation
unit with guestabi's headers, and generates a C file of static
assertions, compiled with the guests' cross compiler (the ARM EABI
layout is the one that matters: a u64 is 8-byte aligned there):

  - every constant hv-pv.h defines has a counterpart in guestabi (the
    same name, or one listed in ALIASES) with the same value, so a
    renamed, removed or renumbered one is caught; constants that are the
    kernel's own (not ABI) must be listed in LINUX_OWN, with a reason;
  - every struct hv-pv.h declares exists in guestabi with the same size,
    the same field names, and each field at the same offset with the same
    size; only fields guestabi appended to the end of a struct in a later
    minor version (APPENDED, with a reason) may be missing from the copy,
    which must then end where the first of them begins;
  - every error code of guestabi's abi.h (HV_E*) equals the Linux errno
    of the same name (the host's <asm-generic/errno*.h>, Linux's UAPI,
    which ARM uses unchanged): the kernel passes hv's codes on as errno
    values and tests them as such (-EPERM, -EAGAIN), so the copy needs
    no HV_E* of its own.

Exit 0 when the copy agrees, 1 on a mismatch, 2 when the series or the
headers cannot be read. Usage:
  linux_abi_check.py --cc arm-none-eabi-gcc [--patches DIR]
                     [--guestabi DIR] [--errno-dir DIR] [--work DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
TARGET = "arch/arm/include/asm/hv-pv.h"
SHIM = os.path.join(ROOT, "tests", "tools", "linux-shim")
GUESTABI_HEADERS = ["abi.h", "hypercall.h", "console.h", "clock.h",
                    "memory.h", "vcpu.h", "evtchn.h", "start_info.h",
                    "mmu.h", "grant.h", "conn.h"]
# Headers the kernel carries verbatim (kernel path -> guestabi path): the
# wire protocols, whose code (rings, checks) must be the one hv tests.
VERBATIM = {
    "include/hvabi/abi.h": "abi.h",
    "include/hvabi/io/ring.h": "io/ring.h",
    "include/hvabi/io/blkif.h": "io/blkif.h",
    "include/hvabi/io/console.h": "io/console.h",
    "include/hvabi/io/netif.h": "io/netif.h",
}

# Linux constant -> the guestabi expression it must equal, for constants
# the copy names differently (assembly cannot use offsetof).
ALIASES = {
    "HV_START_INFO_MAGIC_ASM": "HV_START_INFO_MAGIC",
    "HV_VCPU_EVENTS_MASKED": "offsetof(struct hv_vcpu_shared, events_masked)",
    "HV_VCPU_KERNEL_SP": "offsetof(struct hv_vcpu_shared, kernel_sp)",
    "HV_VCPU_USER_TLS": "offsetof(struct hv_vcpu_shared, user_tls)",
    "HV_VCPU_EVENTS_PENDING": "offsetof(struct hv_vcpu_shared, events_pending)",
    "HV_ABI_MAJOR_NEEDED": "HV_ABI_VERSION_MAJOR",
    "HV_START_INFO_WORDS": "sizeof(struct hv_start_info) / 4",
}
# Linux constants related to guestabi by an inequality, not equality:
# the kernel runs on any monitor of the same major version whose minor is
# at least the one it needs, so guestabi may move ahead.
RELATIONS = {
    "HV_ABI_MINOR_NEEDED": "LINUX_HV_ABI_MINOR_NEEDED <= HV_ABI_VERSION_MINOR",
}
# Macros of hv-pv.h that are the kernel's own business, not hv's ABI.
LINUX_OWN = {
    "__ASM_ARM_HV_PV_H": "include guard",
    "PV_CR_VALUE_ASM": "the SCTLR value the kernel's get_cr() reports",
    "hv_vcpu": "the kernel's pointer to its shared page",
}
# Fields guestabi appended to the end of a struct that the kernel's copy
# may leave out (the kernel does not read them): a minor version may
# append, never move, so the copy stays a prefix of the struct.
APPENDED = {}
# Types of hv-pv.h that are the kernel's own.
LINUX_OWN_TYPES = {
    "hv_vcpu_page": "the kernel's page-sized wrapper of hv_vcpu_shared",
    "hv_grant_mapping": "pv-io.c's record of a granted frame it mapped",
}


class Broken(Exception):
    """The inputs cannot be read (exit 2), as opposed to a mismatch."""


def series_patches(patches):
    with open(os.path.join(patches, "series")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def file_hunks(text, path):
    """The hunks of a format-patch file that change PATH, as
    (old_start, old_lines, new_lines, is_new_file) tuples."""
    lines = text.split("\n")
    hunks = []
    i = 0
    current = None  # the file of the diff section being read
    new_file = False
    while i < len(lines):
        line = lines[i]
        if line.startswith("diff --git "):
            current = line.split(" b/", 1)[1] if " b/" in line else None
            new_file = False
        elif line.startswith("--- /dev/null"):
            new_file = True
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", line)
        if m and current is not None:
            n_old = int(m.group(2)) if m.group(2) is not None else 1
            n_new = int(m.group(4)) if m.group(4) is not None else 1
            old, new = [], []
            i += 1
            # The header's counts say where the hunk ends: a body line
            # may itself look like "-- " or "diff".
            while n_old > 0 or n_new > 0:
                if i >= len(lines):
                    raise Broken("hunk of %s cut short" % current)
                body = lines[i]
                tag, rest = body[:1], body[1:]
                if body == "":
                    tag, rest = " ", ""  # an empty context line
                if tag == " ":
                    old.append(rest)
                    new.append(rest)
                    n_old -= 1
                    n_new -= 1
                elif tag == "-":
                    old.append(rest)
                    n_old -= 1
                elif tag == "+":
                    new.append(rest)
                    n_new -= 1
                elif tag != "\\":  # "\ No newline at end of file"
                    raise Broken("malformed hunk line in %s: %r" %
                                 (current, body))
                i += 1
            if current == path:
                hunks.append((int(m.group(1)), old, new, new_file))
            continue
        i += 1
    return hunks


def apply_hunks(content, hunks, where, target=TARGET):
    """Applies hunks exactly (context must match; the position may move,
    as patch allows). Returns the new list of lines."""
    for start, old, new, new_file in hunks:
        if new_file:
            if content is not None:
                raise Broken("%s: creates %s, which exists" % (where, target))
            content = []
        if content is None:
            raise Broken("%s: changes %s before a patch creates it" %
                         (where, target))
        want = max(start - 1, 0)
        found = None
        for delta in range(0, len(content) + 1):
            for pos in (want - delta, want + delta):
                if 0 <= pos <= len(content) - len(old) and \
                        content[pos:pos + len(old)] == old:
                    found = pos
                    break
            if found is not None:
                break
        if found is None:
            raise Broken("%s: a hunk for %s (line %d) does not apply" %
                         (where, target, start))
        content = content[:found] + new + content[found + len(old):]
    return content


def reconstruct(patches, target=TARGET):
    content = None
    for name in series_patches(patches):
        with open(os.path.join(patches, name)) as f:
            hunks = file_hunks(f.read(), target)
        content = apply_hunks(content, hunks, name, target)
    if content is None:
        raise Broken("no patch in %s creates %s" % (patches, target))
    return "\n".join(content)


def verbatim_problems(patches, guestabi):
    """The kernel's copies of VERBATIM headers that differ from guestabi,
    each named with its first differing line."""
    problems = []
    for kpath, gpath in sorted(VERBATIM.items()):
        kernel = reconstruct(patches, kpath).split("\n")
        with open(os.path.join(guestabi, "hvabi", gpath)) as f:
            ours = f.read().split("\n")
        if ours and ours[-1] == "":
            ours.pop()  # the final newline: the patch's lines have none
        if kernel == ours:
            continue
        line = next((i for i, (a, b) in enumerate(zip(kernel, ours))
                     if a != b), min(len(kernel), len(ours)))
        problems.append("%s differs from guestabi's hvabi/%s from line %d"
                        % (kpath, gpath, line + 1))
    return problems


def strip_comments(text):
    # Keep the newlines: line-anchored patterns still see each #define.
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"),
                  text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def object_macros(text):
    """name -> value text of every object-like #define."""
    out = {}
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(\(?)(.*)$",
                         strip_comments(text), re.M):
        if m.group(2) != "(":
            out[m.group(1)] = m.group(3).strip()
    return out


def enum_constants(text):
    names = set()
    for body in re.findall(r"\benum\b[^{;]*\{(.*?)\}", strip_comments(text),
                           re.S):
        names.update(re.findall(r"(\w+)\s*(?:=[^,]*)?(?:,|$)", body.strip()))
    return names


def structs(text):
    """tag -> list of field names, for every struct (or union) defined."""
    out = {}
    for m in re.finditer(r"\b(struct|union)\s+(\w+)\s*\{(.*?)\}\s*;",
                         strip_comments(text), re.S):
        fields = []
        for decl in m.group(3).split(";"):
            decl = " ".join(decl.split())
            if not decl:
                continue
            # "type a, b[N], c": the first declarator follows the type.
            parts = decl.split(",")
            names = [re.sub(r"\[.*", "", parts[0]).split()[-1]]
            names += [re.sub(r"\[.*", "", p).strip() for p in parts[1:]]
            fields += [n.lstrip("*") for n in names]
        out[m.group(2)] = (m.group(1), fields)
    return out


def rename(text):
    """hv-pv.h with its hv identifiers prefixed, so it can sit beside
    guestabi's headers in one translation unit."""
    text = re.sub(r"\b(HV_\w+)", r"LINUX_\1", text)
    return re.sub(r"\b(hv_\w+)", r"linux_\1", text)


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", required=True, help="the ARM cross compiler")
    ap.add_argument("--patches", default=os.path.join(ROOT, "pvlinux-patches"))
    ap.add_argument("--guestabi",
                    default=os.path.join(ROOT, "guestabi", "include"))
    ap.add_argument("--errno-dir", default="/usr/include/asm-generic",
                    help="where Linux's errno-base.h and errno.h are")
    ap.add_argument("--work", help="directory for the generated files")
    ap.add_argument("--print", action="store_true",
                    help="print the reconstructed hv-pv.h and stop")
    args = ap.parse_args()

    try:
        linux = reconstruct(args.patches)
        copies = verbatim_problems(args.patches, args.guestabi)
    except (Broken, OSError) as e:
        print("linux_abi_check: %s" % e)
        return 2
    if args.print:
        print(linux)
        return 0

    errnos = {}
    try:
        for h in ("errno-base.h", "errno.h"):
            with open(os.path.join(args.errno_dir, h)) as f:
                for name, value in object_macros(f.read()).items():
                    if re.fullmatch(r"\d+", value):
                        errnos[name] = value
        with open(os.path.join(args.guestabi, "hvabi", "abi.h")) as f:
            abi_h = f.read()
    except OSError as e:
        print("linux_abi_check: %s" % e)
        return 2

    abi_text = ""
    for h in GUESTABI_HEADERS:
        with open(os.path.join(args.guestabi, "hvabi", h)) as f:
            abi_text += f.read() + "\n"
    abi_names = set(object_macros(abi_text)) | enum_constants(abi_text)
    abi_structs = structs(abi_text)

    problems = []
    asserts = []
    macros = object_macros(linux)
    compared = 0
    for name, value in sorted(macros.items()):
        msg = "hv-pv.h %s (%s)" % (name, value)
        if name in LINUX_OWN:
            continue
        if name in RELATIONS:
            asserts.append((RELATIONS[name], msg + ": not " + RELATIONS[name]))
        elif name in ALIASES:
            asserts.append(("LINUX_%s == (%s)" % (name, ALIASES[name]),
                            msg + " differs from guestabi's " + ALIASES[name]))
        elif name in abi_names:
            asserts.append(("LINUX_%s == (%s)" % (name, name),
                            msg + " differs from guestabi's " + name))
        else:
            problems.append("hv-pv.h defines %s (%s), which guestabi does "
                            "not (renamed or removed?)" % (name, value))
            continue
        compared += 1

    # hv's error codes are Linux's errno numbers.
    errors_compared = 0
    for name in sorted(object_macros(abi_h)):
        m = re.fullmatch(r"HV_(E[A-Z0-9]+)", name)
        if not m:
            continue
        if m.group(1) not in errnos:
            problems.append("guestabi's %s has no Linux errno %s" %
                            (name, m.group(1)))
            continue
        asserts.append(("%s == %s" % (name, errnos[m.group(1)]),
                        "guestabi's %s is not Linux's %s (%s)" %
                        (name, m.group(1), errnos[m.group(1)])))
        errors_compared += 1

    linux_structs = structs(linux)
    fields_compared = 0
    for tag, (kind, fields) in sorted(linux_structs.items()):
        if tag in LINUX_OWN_TYPES:
            continue
        if tag not in abi_structs or abi_structs[tag][0] != kind:
            problems.append("hv-pv.h declares %s %s, which guestabi does not"
                            % (kind, tag))
            continue
        abi_fields = abi_structs[tag][1]
        left_out = abi_fields[len(fields):]
        if abi_fields[:len(fields)] != fields or \
                any(f not in APPENDED.get(tag, {}) for f in left_out):
            problems.append("%s %s: hv-pv.h has fields %s, guestabi %s" %
                            (kind, tag, ", ".join(fields),
                             ", ".join(abi_fields)))
            continue
        ltype, atype = "%s linux_%s" % (kind, tag), "%s %s" % (kind, tag)
        if left_out:
            asserts.append(("sizeof(%s) == offsetof(%s, %s)" %
                            (ltype, atype, left_out[0]),
                            "sizeof(%s) in hv-pv.h is not where guestabi "
                            "appended %s" % (atype, left_out[0])))
        else:
            asserts.append(("sizeof(%s) == sizeof(%s)" % (ltype, atype),
                            "sizeof(%s) differs between hv-pv.h and guestabi"
                            % atype))
        for f in fields:
            asserts.append((
                "offsetof(%s, %s) == offsetof(%s, %s)" % (ltype, f, atype, f),
                "%s.%s: offset differs between hv-pv.h and guestabi" %
                (atype, f)))
            asserts.append((
                "sizeof(((%s *)0)->%s) == sizeof(((%s *)0)->%s)" %
                (ltype, f, atype, f),
                "%s.%s: size differs between hv-pv.h and guestabi" %
                (atype, f)))
            fields_compared += 1

    for p in problems:
        print("MISMATCH: " + p)

    work = args.work or tempfile.mkdtemp(prefix="linux-abi-")
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "hv-pv.h"), "w") as f:
        f.write(linux + "\n")
    with open(os.path.join(work, "linux-hv-pv.h"), "w") as f:
        f.write(rename(linux) + "\n")
    check_c = os.path.join(work, "check.c")
    with open(check_c, "w") as f:
        f.write("/* Generated by tests/tools/linux_abi_check.py. */\n")
        f.write("#include <stddef.h>\n")
        for h in GUESTABI_HEADERS:
            f.write("#include <hvabi/%s>\n" % h)
        f.write('#include "linux-hv-pv.h"\n\n')
        for cond, msg in asserts:
            f.write("_Static_assert(%s,\n               %s);\n" %
                    (cond, c_string(msg)))
    # gnu11 as the kernel; -fsyntax-only still evaluates static assertions.
    cmd = [args.cc, "-std=gnu11", "-Wall", "-Werror", "-fsyntax-only",
           "-I", args.guestabi, "-I", SHIM, "-I", work, check_c]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        print(p.stdout, end="")
        for m in re.finditer(r'static assertion failed: "(.*)"', p.stdout):
            # GCC quotes the message as C: undo its escaping of '.
            print("MISMATCH: " + m.group(1).replace("\\'", "'"))
        problems.append("the generated %s does not compile" % check_c)

    print("%s: %d constants and %d fields of %d structs compared "
          "(%d constants the kernel's own); %d error codes against Linux errno" %
          (TARGET, compared, fields_compared,
           len([t for t in linux_structs if t not in LINUX_OWN_TYPES]),
           len([n for n in macros if n in LINUX_OWN]), errors_compared))
    for p in copies:
        print("MISMATCH: " + p)
    print("%d headers carried verbatim compared" % len(VERBATIM))
    problems += copies
    if problems:
        print("FAILED: the Linux copy of the ABI disagrees with guestabi "
              "(generated files in %s)" % work)
        return 1
    print("ok: the Linux copy of the ABI agrees with guestabi")
    return 0


if __name__ == "__main__":
    sys.exit(main())

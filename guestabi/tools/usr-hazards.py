#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Find instructions that silently misbehave in ARM USR mode.

A paravirtualized guest kernel runs in USR mode. Most privileged
instructions then trap (undefined instruction) and are caught; these do
not, and quietly do something else:

  cps, cpsie, cpsid          no-ops: interrupts are not masked
  msr CPSR_{c,x,s}, msr SPSR only the flags change; mode and masks do not
  mrs ..., CPSR / SPSR       mode and mask bits read as UNKNOWN
  ldm/stm ... ^              user-bank registers: in USR, the same ones
  movs pc / subs pc ...      exception returns: no SPSR to return with
  wfi, wfe                   stall the core until any interrupt; no trap

usage: usr-hazards.py [--allow FILE] [--objdump PROG] ELF...

Every hit is reported as "<function>+0x<offset>: <instruction>: <why>".
An allow-list line "<function> <regex> # <reason>" accepts hits in that
function whose instruction text matches the regex; the reason is
required. Exit status: 0 clean, 1 hazards found, 2 usage or tool error.
"""
import argparse
import re
import subprocess
import sys

RULES = [
    (re.compile(r"^cps(ie|id)?\b"), "cps is a no-op in USR mode"),
    (re.compile(r"^msr\s+SPSR"), "there is no SPSR in USR mode"),
    (re.compile(r"^msr\s+CPSR_[a-z]*[cxs]"),
     "msr changes only the flags in USR mode"),
    (re.compile(r"^mrs\s+\w+,\s*(CPSR|SPSR)"),
     "mode and mask bits read as UNKNOWN in USR mode"),
    (re.compile(r"^(ldm|stm)\w*\s.*\}\^"),
     "the ^ form names user registers: in USR the same ones, and an "
     "exception return has no SPSR"),
    (re.compile(r"^(movs|subs|adds|rsbs|ands|orrs|eors|bics|mvns)\s+pc\b"),
     "an exception return: there is no SPSR in USR mode"),
    (re.compile(r"^(wfi|wfe)\b"),
     "stalls the core until an interrupt instead of trapping"),
]

FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")


def load_allow(path):
    allow = []
    with open(path) as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            body, sep, reason = line.partition("#")
            parts = body.split(None, 1)
            if len(parts) != 2 or not sep or not reason.strip():
                raise ValueError("%s:%d: want '<function> <regex> # <reason>'"
                                 % (path, number))
            allow.append((parts[0], re.compile(parts[1].strip()), path,
                          number))
    return allow


def scan(elf, objdump):
    proc = subprocess.run([objdump, "-d", "--no-show-raw-insn", elf],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError("%s failed on %s: %s" % (objdump, elf,
                                                    proc.stderr.strip()))
    hits = []
    func, base = "?", 0
    for line in proc.stdout.splitlines():
        m = FUNC.match(line)
        if m:
            func, base = m.group(2), int(m.group(1), 16)
            continue
        m = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", line)
        if not m:
            continue
        insn = m.group(2).split(";")[0].split("@")[0].strip()
        insn = re.sub(r"\s+", " ", insn)
        for rx, why in RULES:
            if rx.search(insn):
                hits.append((func, int(m.group(1), 16) - base, insn, why))
                break
    return hits


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--allow", help="allow-list file")
    p.add_argument("--objdump", default="arm-none-eabi-objdump")
    p.add_argument("elf", nargs="+")
    args = p.parse_args()
    try:
        allow = load_allow(args.allow) if args.allow else []
        used = set()
        bad = 0
        for elf in args.elf:
            for func, off, insn, why in scan(elf, args.objdump):
                accepted = False
                for entry in allow:
                    if entry[0] == func and entry[1].search(insn):
                        used.add(entry[2:])
                        accepted = True
                        break
                if not accepted:
                    print("%s: %s+0x%x: %s: %s" % (elf, func, off, insn, why))
                    bad += 1
        for name, rx, path, number in allow:
            if (path, number) not in used:
                print("%s:%d: allow-list entry for %s matches nothing "
                      "(stale?)" % (path, number, name))
    except (ValueError, RuntimeError, OSError) as e:
        print("usr-hazards: %s" % e)
        return 2
    if bad:
        print("usr-hazards: %d instruction(s) that misbehave in USR mode "
              "outside the allow-list" % bad)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

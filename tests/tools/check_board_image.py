#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks one board's U-Boot images (scripts/board-images), as a user
writing them to a card would need them, without root:

- board-info (what the monitor reads from the board tree: hvpack
  --board-info) is exactly tests/boards/<board>.info: a change to the
  nodes the monitor reads must be deliberate;
- the FIT: every image's hash checks (loader/hvfit --verify, and a copy
  with one byte flipped must fail it), `mkimage -l` lists it with the
  default configuration "hv", boot.scr is a U-Boot script that runs bootm;
- sd.img: one bootable FAT32 partition (type 0x0c) at 4 MiB; its root
  holds MLO first, then u-boot.img, boot.scr, hv.itb, each equal to its
  source (mtools); MLO and u-boot.img also raw at 128 KiB and 384 KiB;
- with --boot-uboot (virt): QEMU boots sd.img itself through Debian's
  U-Boot, autoboot and all, to the default system's clean halt.

Prints one line per check; exit 0 if all passed, 1 (FAILURE) if not.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

PART_START = 4 << 20


class Checks:
    def __init__(self):
        self.failed = 0

    def ok(self, cond, what, detail=""):
        print("%s: %s%s" % ("ok" if cond else "FAILED", what,
                            (" (%s)" % detail) if detail and not cond else ""))
        self.failed += not cond
        return cond


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kw)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check_info(c, args):
    got = read(os.path.join(args.dir, "board-info")).decode()
    want = read(args.expected).decode()
    if not c.ok(got == want, "board-info matches %s" % args.expected):
        import difflib
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), got.splitlines(True), "expected", "got"))


def check_fit(c, args):
    fit = os.path.join(args.dir, "fit")
    itb = os.path.join(fit, "hv.itb")
    p = run([sys.executable, args.hvfit, "--verify", itb])
    c.ok(p.returncode == 0 and "entry-2: sha256" in p.stdout,
         "hvfit --verify: every image's hash", p.stdout.strip())
    data = bytearray(read(itb))
    data[len(data) // 2] ^= 0x01
    with tempfile.NamedTemporaryFile(suffix=".itb") as bad:
        bad.write(data)
        bad.flush()
        p = run([sys.executable, args.hvfit, "--verify", bad.name])
        c.ok(p.returncode != 0, "a FIT with one byte flipped fails the check")
    p = run([args.mkimage, "-l", itb])
    c.ok(p.returncode == 0 and "Default Configuration: 'hv'" in p.stdout and
         "Kernel:       monitor" in p.stdout, "mkimage -l lists the FIT",
         p.stdout[-300:])
    p = run([args.mkimage, "-l", os.path.join(fit, "boot.scr")])
    c.ok(p.returncode == 0 and "Script" in p.stdout,
         "boot.scr is a U-Boot script", p.stdout.strip())
    c.ok(b"bootm ${hv_fit_addr}" in read(os.path.join(fit, "boot.scr")),
         "boot.scr runs bootm")


def check_sd(c, args):
    sd = os.path.join(args.dir, "sd.img")
    p = run(["sfdisk", "-J", sd])
    parts = json.loads(p.stdout)["partitiontable"]["partitions"] \
        if p.returncode == 0 else []
    c.ok(len(parts) == 1 and parts[0]["start"] == PART_START // 512 and
         parts[0]["type"] == "c" and parts[0].get("bootable"),
         "one bootable FAT32 (0x0c) partition at 4 MiB", p.stdout.strip())
    image = "%s@@%d" % (sd, PART_START)
    p = run(["mdir", "-i", image, "-b", "::"])
    names = [line.rsplit("/", 1)[-1] for line in p.stdout.split()]
    want = (["MLO", "u-boot.img"] if args.u_boot_dir else []) + \
        ["boot.scr", "hv.itb"]
    c.ok(p.returncode == 0 and [n.lower() for n in names] ==
         [n.lower() for n in want], "root directory in order: %s" %
         " ".join(want), " ".join(names) or p.stdout.strip())
    sources = {"boot.scr": os.path.join(args.dir, "fit", "boot.scr"),
               "hv.itb": os.path.join(args.dir, "fit", "hv.itb")}
    if args.u_boot_dir:
        sources["MLO"] = os.path.join(args.u_boot_dir, "MLO")
        sources["u-boot.img"] = os.path.join(args.u_boot_dir, "u-boot.img")
    for name, src in sources.items():
        p = subprocess.run(["mtype", "-i", image, "::" + name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        c.ok(p.returncode == 0 and p.stdout == read(src),
             "%s on the card equals %s" % (name, src))
    if args.u_boot_dir:
        card = read(sd)
        for offset, name in ((128 << 10, "MLO"), (384 << 10, "u-boot.img")):
            src = read(sources[name])
            c.ok(card[offset:offset + len(src)] == src,
                 "%s raw at %d KiB" % (name, offset >> 10))


def check_boot(c, args):
    cmd = [args.qemu, "-M", "virt", "-cpu", "cortex-a15", "-m", "256M",
           "-nic", "none", "-semihosting", "-no-reboot", "-display", "none",
           "-monitor", "none", "-serial", "stdio", "-bios", args.boot_uboot,
           "-drive", "if=none,format=raw,id=card,snapshot=on,file=" +
           os.path.join(args.dir, "sd.img"),
           "-device", "virtio-blk-device,drive=card"]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=60)
        out, code = p.stdout.decode("utf-8", "replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, code = (e.stdout or b"").decode("utf-8", "replace"), "timeout"
    print(out.replace("\r", ""))
    c.ok(code == 0 and "Found U-Boot script /boot.scr" in out and
         "hv: board device tree from the boot loader" in out and
         "hv: halting: all guests have stopped (code 0)" in out,
         "U-Boot boots sd.img to the default system's halt", "exit %s" % code)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dir", required=True, help="board-images/<board>")
    p.add_argument("--expected", required=True)
    p.add_argument("--hvfit", required=True)
    p.add_argument("--mkimage", default="mkimage")
    p.add_argument("--u-boot-dir", help="MLO and u-boot.img the card has")
    p.add_argument("--boot-uboot", metavar="U-BOOT.bin")
    p.add_argument("--qemu", default="qemu-system-arm")
    args = p.parse_args()
    c = Checks()
    check_info(c, args)
    check_fit(c, args)
    check_sd(c, args)
    if args.boot_uboot:
        check_boot(c, args)
    print("check_board_image: %s: %s" % (
        os.path.basename(os.path.normpath(args.dir)),
        "SUCCESS" if not c.failed else "FAILURE (%d checks)" % c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())

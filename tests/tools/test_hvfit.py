#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools.hvfit: loader/hvfit and loader/hvsd refuse bad input with one
clear line and exit 1, and make what they should from good input.

    test_hvfit.py HVPACK MONITOR.bin TGUEST.bin BOARD.dtb MANIFEST.dtb DTC

Each case prints "ok: ..." or "FAILED: ..."; exit 1 if any failed.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LOADER = os.path.join(HERE, "..", "..", "loader")
failed = 0


def check(cond, what, detail=""):
    global failed
    print("%s: %s%s" % ("ok" if cond else "FAILED", what,
                        "" if cond else " (%s)" % detail.strip()))
    failed += not cond


def tool(name, *args):
    p = subprocess.run([sys.executable, os.path.join(LOADER, name)] +
                       list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def refused(what, needle, name, *args):
    code, out = tool(name, *args)
    check(code == 1 and needle in out and out.startswith(name + ": "),
          "%s: refused, naming it" % what, "exit %d: %s" % (code, out))


def main():
    hvpack, monitor, tguest, board, manifest, dtc = sys.argv[1:7]
    with tempfile.TemporaryDirectory() as tmp:
        def path(name):
            return os.path.join(tmp, name)

        def pack(out, *extra):
            subprocess.run([hvpack, "-o", out, "-m", monitor, "-b", board,
                            "-g", manifest, "-i", "tguest=" + tguest] +
                           list(extra), check=True)

        pack(path("with-board.img"))
        pack(path("hv.img"), "--board-by-loader")
        refused("a package holding the board tree",
                "pack it with hvpack --board-by-loader", "hvfit", "--image",
                path("with-board.img"), "--board-dtb", board, "--out-dir",
                path("a"))
        with open(path("junk.img"), "wb") as f:
            f.write(os.urandom(64 * 1024))
        refused("an image without a package", "no boot package in the image",
                "hvfit", "--image", path("junk.img"), "--board-dtb", board,
                "--out-dir", path("b"))
        refused("a board tree that is not one", "not a device tree", "hvfit",
                "--image", path("hv.img"), "--board-dtb", path("junk.img"),
                "--out-dir", path("c"))
        # 1 MiB of RAM: monitor and package fit, the FIT above them not.
        with open(path("small.dts"), "w") as f:
            f.write('/dts-v1/; / { #address-cells = <1>; #size-cells = <1>;'
                    ' memory@40000000 { device_type = "memory";'
                    ' reg = <0x40000000 0x100000>; }; };\n')
        subprocess.run([dtc, "-q", "-o", path("small.dtb"), path("small.dts")],
                       check=True)
        refused("a FIT that does not fit the RAM", "does not fit the board's "
                "RAM 0x40000000-0x400fffff", "hvfit", "--image", path("hv.img"),
                "--board-dtb", path("small.dtb"), "--out-dir", path("d"))

        code, out = tool("hvfit", "--image", path("hv.img"), "--board-dtb",
                         board, "--out-dir", path("fit"), "--name", "test")
        check(code == 0 and "FIT at 0x" in out, "hvfit makes a FIT", out)
        itb = path("fit/hv.itb")
        code, out = tool("hvfit", "--verify", itb)
        check(code == 0 and "monitor: sha256" in out and
              "entry-2: sha256" in out, "--verify checks every image", out)
        with open(itb, "rb") as f:
            data = bytearray(f.read())
        data[len(data) // 2] ^= 0x80
        with open(path("bad.itb"), "wb") as f:
            f.write(data)
        refused("a FIT with a flipped byte", "recorded", "hvfit", "--verify",
                path("bad.itb"))
        refused("--verify of a file that is no FIT", "not a device tree",
                "hvfit", "--verify", path("junk.img"))

        scr = path("fit/boot.scr")
        os.makedirs(path("other"))
        with open(path("other/boot.scr"), "wb") as f:
            f.write(b"x")
        refused("two card files with one name", "two files with one name",
                "hvsd", "--out", path("card.img"), scr, path("other/boot.scr"))
        refused("--mlo without --u-boot-img", "--mlo needs --u-boot-img",
                "hvsd", "--out", path("card.img"), "--mlo", path("junk.img"),
                scr)
        with open(path("big-mlo"), "wb") as f:
            f.write(b"\0" * (300 * 1024))
        refused("an MLO over the raw area", "MLO is 307200 bytes", "hvsd",
                "--out", path("card.img"), "--mlo", path("big-mlo"),
                "--u-boot-img", path("junk.img"), scr)
        refused("a file that does not exist", "No such file", "hvsd", "--out",
                path("card.img"), path("missing.itb"))
        code, out = tool("hvsd", "--out", path("card.img"), scr, itb)
        check(code == 0 and "holding boot.scr hv.itb" in out,
              "hvsd makes a card", out)
    print("test_hvfit: %s" % ("SUCCESS" if not failed else
                              "FAILURE (%d cases)" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

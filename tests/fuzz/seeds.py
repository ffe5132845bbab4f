#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed corpora of the parser fuzzers, made at build time.

  seeds.py --dtc DTC --out DIR [--dts FILE]... [--image FILE]...

DIR/dt/<name>.dtb: every --dts compiled by dtc (dt_fuzz's inputs are
blobs); copies of any other --dts file (not-a-dtb.bin) as they are.
DIR/pkg/<name>.pkg: pkg_fuzz's inputs, a mode byte (1: reseal CRCs) and a
boot package: the package of every --image (found after the monitor at a
4 KiB boundary, as boot finds it), and packages laid out as hvpack lays
them out, of the first board with every manifest among the --dts.
"""
import argparse
import os
import struct
import subprocess
import sys
import zlib

MAGIC = 0x4B504748
VERSION = 1
BOARD, MANIFEST, IMAGE = 1, 2, 3


def pack(items):
    """items: (name, type, bytes) -> package bytes (loader/hvpack.c's layout)."""
    header_size = 32 + 48 * len(items)
    total = (header_size + 7) & ~7
    entries = b""
    payload = b""
    for name, kind, data in items:
        entries += struct.pack("<32sIIII", name.encode(), kind, total,
                               len(data), zlib.crc32(data))
        pad = ((len(data) + 7) & ~7) - len(data)
        payload += data + b"\0" * pad
        total += len(data) + pad
    header = struct.pack("<8I", MAGIC, VERSION, header_size, total,
                         len(items), 0, 0, 0)
    crc = zlib.crc32(header + entries)
    header = header[:28] + struct.pack("<I", crc)
    body = header + entries
    return body + b"\0" * (((len(body) + 7) & ~7) - len(body)) + payload


def package_of(image):
    for off in range(0, len(image) - 4, 4096):
        if struct.unpack_from("<I", image, off)[0] == MAGIC:
            return image[off:]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dtc", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dts", action="append", default=[])
    ap.add_argument("--image", action="append", default=[])
    args = ap.parse_args()
    dt_dir = os.path.join(args.out, "dt")
    pkg_dir = os.path.join(args.out, "pkg")
    os.makedirs(dt_dir, exist_ok=True)
    os.makedirs(pkg_dir, exist_ok=True)

    blobs = {}
    for path in args.dts:
        name = os.path.splitext(os.path.basename(path))[0]
        if path.endswith(".dts"):
            # A system file's /include/ resolves from its directory and
            # its board/<board>/ (tests/systems/linux.dts): one board's
            # variant is as good a seed as another's.
            here = os.path.dirname(os.path.abspath(path))
            includes = ["-i", here,
                        "-i", os.path.join(here, "board", "vexpress-a9")]
            blob = subprocess.run([args.dtc, "-q"] + includes +
                                  ["-I", "dts", "-O", "dtb", path],
                                  check=True,
                                  stdout=subprocess.PIPE).stdout
        else:
            with open(path, "rb") as f:
                blob = f.read()
        blobs[name] = blob
        with open(os.path.join(dt_dir, name + ".dtb"), "wb") as f:
            f.write(blob)

    for path in args.image:
        with open(path, "rb") as f:
            pkg = package_of(f.read())
        if pkg is None:
            sys.exit("seeds.py: no package in " + path)
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(pkg_dir, name + ".pkg"), "wb") as f:
            f.write(b"\0" + pkg)

    # The real boards first (the tests/dt ones are broken on purpose).
    boards = [b for n, b in sorted(blobs.items(), key=lambda i: i[0][:3] == "a9-")
              if b"arm,pl011" in b]
    manifests = [(n, b) for n, b in sorted(blobs.items())
                 if b"hv,manifest" in b]
    guest_dtb = blobs.get("guest", blobs.get("guest-tree", b""))
    images = [("tguest", IMAGE, bytes(range(256)) * 4),
              ("linux", IMAGE, b"\x00\x00\xa0\xe1" * 512),
              ("dtb-linux", IMAGE, guest_dtb)]
    for name, manifest in manifests:
        if not boards:
            break
        pkg = pack([("board.dtb", BOARD, boards[0]),
                    ("manifest.dtb", MANIFEST, manifest)] + images)
        with open(os.path.join(pkg_dir, "packed-" + name + ".pkg"),
                  "wb") as f:
            f.write(b"\1" + pkg)


if __name__ == "__main__":
    main()

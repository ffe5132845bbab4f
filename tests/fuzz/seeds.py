#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed corpora of the parser fuzzers, made at build time.

  seeds.py --dtc DTC --out DIR [--dts FILE]... [--image FILE]...

DIR/dt/<name>.dtb: every --dts compiled by dtc (dt_fuzz's inputs are
blobs); copies of any other --dts file (not-a-dtb.bin) as they are.
DIR/ring/netchain-<n>.bin: ring_fuzz's inputs for the network
backend's transmit chains (mode 16, tests/fuzz/ring_fuzz.c run_netchain):
whole frames with the meta, a chain of 16 full buffers (the largest TSO
frame), under each layout of the features.
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


NETIF_MAGIC = 0x6e657431
MORE, META = 0x8000, 0x4000


def netchain_seeds():
    """Inputs of ring_fuzz's run_netchain: mode 16, a netif header (144
    bytes), requests (buffer byte, shape byte, length), each whole frame
    with the meta followed by a sanity byte and 12 bytes of meta."""
    def header(features):
        return struct.pack("<4I", NETIF_MAGIC, features, 0, 0) + bytes(128)

    def req(buf, length):
        return bytes([buf, 0]) + struct.pack("<H", length)

    def meta(flags, gso, size, start, off):
        return b"\1" + struct.pack("<BBHHHHH", flags, gso, 54, size, start,
                                    off, 0)
    tcp = meta(1, 1, 1448, 34, 16)
    seeds = []
    for features in (1, 3):
        seeds.append(bytes([16]) + header(features) +
                     req(0, META | 200) + meta(1, 0, 0, 34, 16) +
                     req(1, MORE | 1000) + req(2, 514) +
                     req(3, META | MORE | 2048) + req(4, 2048) + tcp)
        full = req(0, META | MORE | 2048)
        for b in range(1, 15):
            full += req(b, MORE | 2048)
        seeds.append(bytes([16]) + header(features) + full +
                     req(15, 2048) + tcp)
    return seeds


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

    ring_dir = os.path.join(args.out, "ring")
    os.makedirs(ring_dir, exist_ok=True)
    for n, seed in enumerate(netchain_seeds()):
        with open(os.path.join(ring_dir, "netchain-%d.bin" % n), "wb") as f:
            f.write(seed)

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

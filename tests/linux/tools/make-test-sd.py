#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the SD card images of the driver-domain tests (tests/CMakeLists.txt,
linux.driver_domain_sd, linux.blkback_*): 64 MiB (QEMU 7.2 wants a power of
two), an MBR partition table with

  p1  sectors 2048-2175 (64 KiB, type 0xda "non-fs data"): the test guest's
      RAM-disk pattern (tests/guests/tguest/conn_tests.c, cn_pattern: byte b
      of sector s is s * 7 + b * 13 + 1, s counted from the partition), so
      its conn.block_* frontends check a Linux backend's reads as they do
      the RAM disk's;
  p2  sectors 4096-end (type 0x83), zeros.

No root, no external tool: the table is written here, byte by byte.
Usage: make-test-sd.py OUT.img [OUT2.img ...] (each a fresh image; the
directories are made)."""
import os
import struct
import sys

SIZE = 64 << 20
SECTORS = SIZE // 512
P1_START, P1_SECTORS = 2048, 128
P2_START = 4096


def pattern(sector, byte):
    return (sector * 7 + byte * 13 + 1) & 0xff


def entry(ptype, start, count):
    # status, CHS first (unused: 0xfe 0xff 0xff), type, CHS last, LBA, count
    return struct.pack("<B3sB3sII", 0, b"\xfe\xff\xff", ptype,
                       b"\xfe\xff\xff", start, count)


def image():
    mbr = bytearray(512)
    struct.pack_into("<I", mbr, 440, 0x68760001)  # disk signature
    mbr[446:446 + 16] = entry(0xda, P1_START, P1_SECTORS)
    mbr[462:462 + 16] = entry(0x83, P2_START, SECTORS - P2_START)
    mbr[510:512] = b"\x55\xaa"
    p1 = bytes(pattern(s, b) for s in range(P1_SECTORS) for b in range(512))
    return bytes(mbr), p1


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    mbr, p1 = image()
    for out in sys.argv[1:]:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with open(out, "wb") as f:
            f.write(mbr)
            f.seek(P1_START * 512)
            f.write(p1)
            f.truncate(SIZE)
    return 0


if __name__ == "__main__":
    sys.exit(main())

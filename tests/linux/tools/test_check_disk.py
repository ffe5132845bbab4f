#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_check_disk.py DISKDIR: check_disk.py passes the images
scripts/disk-build made (DISKDIR), and fails on copies with a fault
planted in each: a truncated root file system, an SD card whose size is
no power of two, a missing partition, fio deleted, a library deleted, a
cleared inode. Each planted fault must be reported with its own message.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_disk  # noqa: E402

MIB = 1024 * 1024


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def truncate(path, size):
    with open(path, "r+b") as f:
        f.truncate(size)


def debugfs_w(path, request):
    p = subprocess.run(["debugfs", "-w", "-R", request, path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    # debugfs exits 0 even when the request failed; it says so.
    lines = [line for line in p.stdout.splitlines()
             if line.strip() and not line.startswith("debugfs 1.")]
    if p.returncode != 0 or lines:
        raise RuntimeError("debugfs -w -R '%s': %s" % (request, p.stdout))


# (name, the file changed, how, a text that must be in a problem)
CASES = [
    ("truncated rootfs", "rootfs.ext4",
     lambda p: truncate(p, 100 * MIB), "rootfs.ext4: 104857600 bytes"),
    ("truncated rootfs, e2fsck", "rootfs.ext4",
     lambda p: truncate(p, 100 * MIB), "smaller than its file system"),
    ("sd.img of 500 MiB", "sd.img",
     lambda p: truncate(p, 500 * MIB), "not a power of two"),
    ("sd.img without p2", "sd.img",
     lambda p: sh("sfdisk", "-q", "--no-reread", "--no-tell-kernel",
                  "--delete", p, "2"), "sd.img: partitions"),
    ("fio deleted", "rootfs.ext4",
     lambda p: debugfs_w(p, "rm /usr/bin/fio"), "/usr/bin/fio: missing"),
    ("fio deleted: p1 differs", "rootfs.ext4",
     lambda p: debugfs_w(p, "rm /usr/bin/fio"), "p1 is not rootfs.ext4"),
    ("libaio deleted", "rootfs.ext4",
     lambda p: debugfs_w(p, "rm /usr/lib/arm-linux-gnueabihf/libaio.so.1"),
     "NEEDED libaio.so.1 not found"),
    ("e2fsck's inode cleared", "rootfs.ext4",
     lambda p: debugfs_w(p, "clri /sbin/e2fsck"),
     "rootfs.ext4: e2fsck -fn exit status"),
]


def main():
    if len(sys.argv) != 2:
        print("usage: test_check_disk.py DISKDIR", file=sys.stderr)
        return 2
    src = os.path.abspath(sys.argv[1])
    failures = 0
    print("=== the images as built: no problem")
    if check_disk.check(src):
        print("test_check_disk: FAIL: the built images do not pass")
        return 1
    with tempfile.TemporaryDirectory(prefix="test_check_disk.") as work:
        for name, changed, plant, expect in CASES:
            print("=== planted: " + name)
            case = os.path.join(work, "case")
            shutil.rmtree(case, ignore_errors=True)
            os.makedirs(case)
            for f in ("rootfs.ext4", "sd.img"):
                if f == changed:
                    sh("cp", "--sparse=always", os.path.join(src, f),
                       os.path.join(case, f))
                else:
                    os.symlink(os.path.join(src, f), os.path.join(case, f))
            plant(os.path.join(case, changed))
            problems = check_disk.check(case)
            if not any(expect in p for p in problems):
                print("test_check_disk: FAIL: %s: no problem says '%s'" % (
                    name, expect))
                failures += 1
            else:
                print("test_check_disk: ok: %s: reported" % name)
    if failures:
        print("test_check_disk: %d planted fault(s) not reported" % failures)
        return 1
    print("test_check_disk: every planted fault reported")
    return 0


if __name__ == "__main__":
    sys.exit(main())

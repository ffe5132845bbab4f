#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_disk.py DISKDIR: checks what scripts/disk-build made, from the
images alone (debugfs, e2fsck, sfdisk; no root, no loop devices).

  sd.img       a power of two, at most 512 MiB (QEMU 7.2's SD card);
               sfdisk --dump: a DOS table with exactly the partitions of
               LAYOUT (the layout tests/linux/README.md documents)
  p1           byte for byte rootfs.ext4
  rootfs.ext4  e2fsck -fn clean; label hvroot; holds fio, e2fsck, mke2fs,
               busybox, /sbin/init and /init (tests/linux/init), every
               tests/linux/tests/*.sh in /tests, a program in
               /usr/local/bin for each tests/linux/progs/*.c, /dev/console
               (character 5:1), all owned by root; every ELF file in it
               an ARM one whose loader and NEEDED libraries are in the
               image where the armhf loader looks (after debugfs rdump)
  p3           e2fsck -fn clean, label hvroot2, the same /usr/bin/fio

Each problem is one "check_disk: FAIL ..." line; exit 1 if any. With
qemu-arm (qemu-user) installed, fio, e2fsck and mke2fs also run (with
-L the extracted image): --version must answer.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import debpkg  # noqa: E402

MIB = 1024 * 1024
SD_MAX = 512 * MIB
ROOTFS_BYTES = 192 * MIB
# (start sector, sectors, type) of p1, p2, p3.
LAYOUT = [(2048, 393216, "83"), (395264, 131072, "da"),
          (526336, 393216, "83")]
REQUIRED = ["/usr/bin/fio", "/sbin/e2fsck", "/sbin/mke2fs", "/sbin/debugfs",
            "/bin/busybox", "/sbin/init", "/init"]
SRC = os.path.join(ROOT, "tests", "linux")


class Checker:
    def __init__(self):
        self.problems = []

    def fail(self, msg):
        self.problems.append(msg)
        print("check_disk: FAIL " + msg, flush=True)

    def ok(self, msg):
        print("check_disk: ok " + msg, flush=True)


def cmd(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace")
    return p.returncode, p.stdout


def debugfs(image, request):
    return cmd(["debugfs", "-R", request, image])


def stat_in(image, path):
    """debugfs stat of PATH: {type, mode, uid, gid, size, device} or None."""
    rc, out = debugfs(image, "stat " + path)
    m = re.search(r"Type: (.+?)\s+Mode:\s+(\d+)", out)
    if rc != 0 or not m:
        return None
    info = {"type": m.group(1), "mode": int(m.group(2), 8)}
    m = re.search(r"User:\s+(\d+)\s+Group:\s+(\d+).*?Size: (\d+)", out)
    if m:
        info.update(uid=int(m.group(1)), gid=int(m.group(2)),
                    size=int(m.group(3)))
    m = re.search(r"Device major/minor number: (\d+):(\d+)", out)
    if m:
        info["device"] = (int(m.group(1)), int(m.group(2)))
    return info


def extract(src, dst, start, length):
    """Bytes [START, START+LENGTH) of SRC into DST, holes kept."""
    with open(src, "rb") as f, open(dst, "wb") as out:
        f.seek(start)
        left = length
        while left:
            chunk = f.read(min(left, MIB))
            if not chunk:
                break
            if chunk.count(0) == len(chunk):
                out.seek(len(chunk), 1)
            else:
                out.write(chunk)
            left -= len(chunk)
        out.truncate(length)


def same_bytes(a, b, start, length):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        fa.seek(start)
        left = length
        while left:
            x = fa.read(min(left, MIB))
            y = fb.read(len(x))
            if not x or x != y:
                return False
            left -= len(x)
    return True


def check_fs(c, image, label, name):
    rc, out = cmd(["e2fsck", "-fn", image])
    if rc != 0:
        c.fail("%s: e2fsck -fn exit status %d: %s" % (
            name, rc, " / ".join(out.strip().splitlines()[-3:])))
        return False
    c.ok("%s: e2fsck -fn clean (%s)" % (name, out.strip().splitlines()[-1]))
    rc, out = cmd(["dumpe2fs", "-h", image])
    # e2fsck -n only warns about a file system larger than its device
    # (and passes, if no block in use is past the end).
    blocks = re.search(r"^Block count:\s+(\d+)", out, re.M)
    block_size = re.search(r"^Block size:\s+(\d+)", out, re.M)
    if not blocks or not block_size:
        c.fail("%s: dumpe2fs -h shows no block count and size" % name)
    elif int(blocks.group(1)) * int(block_size.group(1)) > \
            os.path.getsize(image):
        c.fail("%s: %d bytes, smaller than its file system (%d blocks of "
               "%d)" % (name, os.path.getsize(image), int(blocks.group(1)),
                        int(block_size.group(1))))
    m = re.search(r"Filesystem volume name:\s+(\S+)", out)
    if not m or m.group(1) != label:
        c.fail("%s: label %s, not %s" % (name, m.group(1) if m else "none",
                                         label))
    return True


def check_sd(c, sd, rootfs):
    size = os.path.getsize(sd)
    if size == 0 or size & (size - 1) or size > SD_MAX:
        c.fail("sd.img: %d bytes, not a power of two up to %d (QEMU 7.2 "
               "refuses other SD card sizes)" % (size, SD_MAX))
    else:
        c.ok("sd.img: %d MiB, a power of two" % (size // MIB))
    rc, out = cmd(["sfdisk", "--dump", sd])
    if rc != 0:
        c.fail("sd.img: sfdisk --dump failed: " + out.strip())
        return
    if not re.search(r"^label: dos$", out, re.M):
        c.fail("sd.img: not a DOS (MBR) partition table")
    parts = [(int(a), int(b), t) for a, b, t in re.findall(
        r"^\S+ : start=\s*(\d+), size=\s*(\d+), type=(\w+)", out, re.M)]
    if parts != LAYOUT:
        c.fail("sd.img: partitions %s, expected %s" % (parts, LAYOUT))
    else:
        c.ok("sd.img: partitions %s" % ", ".join(
            "p%d %d+%d type %s" % ((i + 1,) + p) for i, p in
            enumerate(parts)))
    for start, count, _ in LAYOUT:
        if (start + count) * 512 > size:
            c.fail("sd.img: a partition ends past the card (sector %d)" %
                   (start + count))
            return
    if os.path.getsize(rootfs) != LAYOUT[0][1] * 512 or not same_bytes(
            sd, rootfs, LAYOUT[0][0] * 512, LAYOUT[0][1] * 512):
        c.fail("sd.img: p1 is not rootfs.ext4")
    else:
        c.ok("sd.img: p1 is rootfs.ext4 byte for byte")


def check_rootfs(c, image, work):
    size = os.path.getsize(image)
    if size != ROOTFS_BYTES:
        c.fail("rootfs.ext4: %d bytes, expected %d" % (size, ROOTFS_BYTES))
    if not check_fs(c, image, "hvroot", "rootfs.ext4"):
        return None
    wanted = list(REQUIRED)
    wanted += ["/tests/" + t for t in sorted(os.listdir(
        os.path.join(SRC, "tests"))) if t.endswith(".sh")]
    wanted += ["/usr/local/bin/" + p[:-2] for p in sorted(os.listdir(
        os.path.join(SRC, "progs"))) if p.endswith(".c")]
    found = 0
    for path in wanted:
        info = stat_in(image, path)
        if not info or info["type"] != "regular" or not info["mode"] & 0o111:
            c.fail("rootfs.ext4: %s: %s" % (
                path, "missing" if not info else "not an executable file"))
        elif info.get("uid") != 0 or info.get("gid") != 0:
            c.fail("rootfs.ext4: %s is owned by %s:%s, not root" % (
                path, info.get("uid"), info.get("gid")))
        else:
            found += 1
    c.ok("rootfs.ext4: %d of %d required files present (fio: %d bytes)" % (
        found, len(wanted), (stat_in(image, "/usr/bin/fio") or {})
        .get("size", 0)))
    console = stat_in(image, "/dev/console")
    if not console or console["type"] != "character special" or \
            console.get("device") != (5, 1):
        c.fail("rootfs.ext4: no /dev/console character device 5:1")
    with open(os.path.join(SRC, "init"), "rb") as f:
        init = f.read()
    tree = os.path.join(work, "tree")
    os.makedirs(tree)
    rc, out = debugfs(image, "rdump / " + tree)
    if rc != 0:
        c.fail("rootfs.ext4: debugfs rdump failed: " + out.strip())
        return None
    for path in ("init", "sbin/init"):
        p = os.path.join(tree, path)
        if not os.path.isfile(p) or open(p, "rb").read() != init:
            c.fail("rootfs.ext4: /%s is not tests/linux/init" % path)
    count, problems = debpkg.check_dynamic_linking(tree)
    for p in problems:
        c.fail("rootfs.ext4: " + p)
    if not problems:
        c.ok("rootfs.ext4: %d ELF files, every loader and NEEDED library "
             "in the image" % count)
    return tree


def check_p3(c, sd, work):
    p3 = os.path.join(work, "p3.ext4")
    extract(sd, p3, LAYOUT[2][0] * 512, LAYOUT[2][1] * 512)
    if check_fs(c, p3, "hvroot2", "sd.img p3"):
        if not stat_in(p3, "/usr/bin/fio"):
            c.fail("sd.img p3: no /usr/bin/fio")
    os.unlink(p3)


def run_under_qemu(c, tree):
    qemu = shutil.which("qemu-arm") or shutil.which("qemu-arm-static")
    if not qemu:
        print("check_disk: no qemu-arm (qemu-user): the image's programs "
              "are not run", flush=True)
        return
    for prog, args in (("/usr/bin/fio", ["--version"]),
                       ("/sbin/e2fsck", ["-V"]), ("/sbin/mke2fs", ["-V"])):
        rc, out = cmd([qemu, "-L", tree, os.path.join(tree, prog[1:])] + args)
        if rc != 0:
            c.fail("%s %s under %s: exit status %d: %s" % (
                prog, " ".join(args), os.path.basename(qemu), rc,
                out.strip()[:300]))
        else:
            c.ok("%s runs under %s: %s" % (prog, os.path.basename(qemu),
                                          out.strip().splitlines()[0]))


def check(diskdir):
    """The problems found in DISKDIR (empty if none)."""
    c = Checker()
    sd, rootfs = (os.path.join(diskdir, f) for f in ("sd.img", "rootfs.ext4"))
    for f in (sd, rootfs):
        if not os.path.isfile(f):
            c.fail("%s is missing" % f)
    if c.problems:
        return c.problems
    for tool in ("debugfs", "e2fsck", "dumpe2fs", "sfdisk"):
        if not shutil.which(tool):
            c.fail("no %s (scripts/deps.sh)" % tool)
            return c.problems
    with tempfile.TemporaryDirectory(prefix="check_disk.") as work:
        check_sd(c, sd, rootfs)
        tree = check_rootfs(c, rootfs, work)
        if os.path.getsize(sd) >= (LAYOUT[2][0] + LAYOUT[2][1]) * 512:
            check_p3(c, sd, work)
        if tree and not c.problems:
            run_under_qemu(c, tree)
    return c.problems


def main():
    if len(sys.argv) != 2:
        print("usage: check_disk.py DISKDIR", file=sys.stderr)
        return 2
    problems = check(sys.argv[1])
    if problems:
        print("check_disk: %d problem(s) in %s" % (len(problems),
                                                    sys.argv[1]))
        return 1
    print("check_disk: %s: all checks passed" % sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())

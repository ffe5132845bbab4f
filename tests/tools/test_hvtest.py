#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks how tests/runner/hvtest.py turns a system file into what it
packs, without QEMU: --set on the plain layout of tests/systems/*.dts
(strings, cells, booleans, replaced or added, in order; errors name the
node), and the hvpack command a manifest file gives (the images it
names, --image NAME=FILE with a .dts compiled), through a fake hvpack
that refuses with its arguments (--expect-pack-error).
Usage: test_hvtest.py [DTC]. Exit 0 if every check passes."""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolcheck import check, finish  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
RUNNER = os.path.join(ROOT, "tests", "runner", "hvtest.py")
SYSTEMS = os.path.join(ROOT, "tests", "systems")
sys.path.insert(0, os.path.dirname(RUNNER))
import hvtest  # noqa: E402

DTC = sys.argv[1] if len(sys.argv) > 1 else "dtc"

with open(os.path.join(SYSTEMS, "linux-heartbeat.dts")) as f:
    HEARTBEAT = f.read()


def node(dts, name):
    """The body of node NAME (between its "{" and its "};")."""
    m = re.search(r"^(\s*)%s \{\n(.*?)^\1\};" % re.escape(name), dts,
                  re.M | re.S)
    return m.group(2) if m else None


def set_all(dts, *specs):
    for spec in specs:
        dts = hvtest.set_property(dts, spec)
    return dts


# --- --set ------------------------------------------------------------------
out = set_all(HEARTBEAT, "linux.bootargs=console=hvc0 hvtest=sysrq_crash")
check("a string is replaced in place",
      '\t\t\tbootargs = "console=hvc0 hvtest=sysrq_crash";\n\t\t};' in out
      and out.count("bootargs") == HEARTBEAT.count("bootargs")
      and "hvtest=process" not in out, out)
check("only that node's property changes",
      node(out, "beat") == node(HEARTBEAT, "beat"), out)
out = set_all(HEARTBEAT, "beat.halt-on-shutdown=")
check("an empty value adds a boolean property at the end of the node",
      node(out, "beat").endswith("\t\t\thalt-on-shutdown;\n")
      and "halt-on-shutdown" not in node(out, "linux"), out)
check("setting a boolean twice keeps one",
      node(set_all(out, "beat.halt-on-shutdown="), "beat").count(
          "halt-on-shutdown") == 1)
out = set_all(HEARTBEAT, "beat.memory-size=<0x800000>", "beat.weight=<30>")
check("cells replace a number and add one",
      "memory-size = <0x800000>;" in node(out, "beat")
      and "memory-size = <0x4000000>;" in node(out, "linux")
      and node(out, "beat").endswith("\t\t\tweight = <30>;\n"), out)
out = set_all(HEARTBEAT, "linux.image=other")
check("a property is not taken for a longer one it begins",
      'image = "other";' in out and "image-offset = <0x8000>;" in out, out)
out = set_all(HEARTBEAT, "beat.bootargs=a", "beat.bootargs=b")
check("several --set apply in order", 'bootargs = "b";' in node(out, "beat")
      and 'bootargs = "a"' not in out, out)
out = set_all(HEARTBEAT, 'linux.bootargs=say "hi" \\o/')
check("quotes and backslashes in a string are escaped",
      r'bootargs = "say \"hi\" \\o/";' in out, out)
for spec, what, error in (
        ("nosuch.bootargs=x", "an unknown node is an error",
         "no node 'nosuch'"),
        ("bootargs=x", "a property without a node is an error",
         "NODE.PROP=VALUE"),
        ("linux.bootargs", "a --set without = is an error",
         "NODE.PROP=VALUE")):
    try:
        hvtest.set_property(HEARTBEAT, spec)
        check(what, False, "no error for %r" % spec)
    except ValueError as e:
        check(what, error in str(e), str(e))

# Every system file takes a --set of its first guest's bootargs and still
# compiles: the layout --set reads is the one they are written in.
# (board/<board>/ holds what a system includes per board, as hvtest.py
# finds it.)
for name in sorted(n for n in os.listdir(SYSTEMS) if n.endswith(".dts")):
    with open(os.path.join(SYSTEMS, name)) as f:
        dts = f.read()
    first = re.search(r"^\t\t(\w+) \{$", dts, re.M).group(1)
    out = set_all(dts, "%s.bootargs=test=x.y" % first)
    p = subprocess.run([DTC, "-q", "-i", SYSTEMS, "-i",
                        os.path.join(SYSTEMS, "board", "vexpress-a9"),
                        "-I", "dts", "-O", "dtb", "-o",
                        os.devnull, "-"], input=out, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    check("%s: --set %s.bootargs, compiles" % (name, first),
          p.returncode == 0 and out.count('"test=x.y"') == 1, p.stdout)
    check("%s: SPDX line and a comment" % name,
          dts.startswith("// SPDX-License-Identifier: MIT\n//"), dts[:80])

# --- What a manifest file packs ---------------------------------------------
FAKE_HVPACK = """#!/bin/sh
echo "fake-hvpack $*"
exit 1
"""
with tempfile.TemporaryDirectory() as tmp:
    hvpack = os.path.join(tmp, "hvpack")
    with open(hvpack, "w") as f:
        f.write(FAKE_HVPACK)
    os.chmod(hvpack, 0o755)
    guests, kernels, work = (os.path.join(tmp, d) for d in
                             ("guests", "kernels", "work"))
    for d, image in ((guests, "tguest"), (kernels, "linux")):
        os.mkdir(d)
        open(os.path.join(d, image + ".bin"), "w").close()

    def pack(*extra):
        p = subprocess.run(
            [sys.executable, RUNNER, "--name", "t", "--board", "vexpress-a9",
             "--dtc", DTC, "--hvpack", hvpack, "--monitor", "hv.bin",
             "--board-dtb", "board.dtb", "--image-dir", guests,
             "--image-dir", kernels, "--work-dir", work,
             "--expect-pack-error", "^fake-hvpack"] + list(extra),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = [l for l in p.stdout.splitlines() if l.startswith("fake")]
        with open(os.path.join(work, "t", "manifest.dts")) as f:
            return p.returncode, (line or [""])[0].split(), f.read(), p.stdout

    guest_dts = os.path.join(ROOT, "tests", "linux", "guest.dts")
    rc, args, manifest, out = pack(
        "--manifest-dts", os.path.join(SYSTEMS, "linux-heartbeat.dts"),
        "--image", "dtb-linux=" + guest_dts,
        "--set", "beat.halt-on-shutdown=")
    dtb = os.path.join(work, "t", "dtb-linux.dtb")
    check("the images a manifest file names come from the --image-dirs",
          rc == 0 and "linux=%s" % os.path.join(kernels, "linux.bin") in args
          and "tguest=%s" % os.path.join(guests, "tguest.bin") in args, out)
    check("--image NAME=FILE.dts is compiled and packed as NAME",
          "dtb-linux=" + dtb in args and os.path.getsize(dtb) > 0
          and open(dtb, "rb").read(4) == b"\xd0\x0d\xfe\xed", out)
    check("manifest.dts is the file with the --set applied",
          manifest == set_all(HEARTBEAT, "beat.halt-on-shutdown="), manifest)
    rc, args, manifest, out = pack(
        "--manifest-dts", os.path.join(SYSTEMS, "alone.dts"),
        "--image", "dtb-x=" + os.path.join(tmp, "x.dtb"))
    check("--image of a .dtb is packed as it is",
          rc == 0 and "dtb-x=" + os.path.join(tmp, "x.dtb") in args, out)
    rc, args, manifest, out = pack(
        "--manifest-dts", os.path.join(SYSTEMS, "alone.dts"),
        "--image", "dtb-x")
    check("--image without =FILE is an ERROR naming it",
          rc == 2 and "--image wants NAME=FILE: 'dtb-x'" in out, out)

# --- --sd -------------------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    card = os.path.join(tmp, "sd.img")
    with open(card, "wb") as f:
        f.truncate(1 << 20)
    drive = hvtest.sd_drive(card)
    check("--sd attaches a power-of-two image as the SD card",
          drive == ["-drive", "if=sd,format=raw,file=%s" % card], drive)
    drive = hvtest.sd_drive(card, snapshot=True)
    check("--sd-snapshot keeps the image unchanged (QEMU's snapshot=on)",
          drive == ["-drive", "if=sd,format=raw,file=%s,snapshot=on" % card],
          drive)
    with open(card, "ab") as f:
        f.write(b"x")
    try:
        hvtest.sd_drive(card)
        refused = ""
    except ValueError as e:
        refused = str(e)
    check("--sd refuses an image QEMU would (size not a power of two)",
          "must be a power of two" in refused and "1048577" in refused,
          refused)

# --- --at-most: a figure the guest prints stays within its budget --------
def budget(text, *limits):
    args = argparse.Namespace(
        at_most=list(limits), count=[], expect=[], forbid=[],
        expect_exit=None, interleave=None, ratio=None, result_exit=True,
        result_from=None, timeout=10)
    return hvtest.evaluate(args, text, 0, False)


BENCH_OUT = "[bench] bench: syscall_bounce_ns 1224\n[bench] bench: x_ns 9\n"
SYSCALL = r"bench: syscall_bounce_ns (\d+)$"
result, why = budget(BENCH_OUT, (SYSCALL, "1224"))
check("--at-most: a figure at its budget passes", result == "SUCCESS", why)
result, why = budget(BENCH_OUT, (SYSCALL, "1223"))
check("--at-most: a figure over its budget fails, naming both",
      result == "FAILURE" and "1224" in str(why) and "1223" in str(why), why)
result, why = budget(BENCH_OUT, (r"bench: event_delivery_ns (\d+)$", "9"))
check("--at-most: a figure never printed fails",
      result == "FAILURE" and "no line matching" in str(why), why)

# --- --port, --hostfwd, --host-run: the host side of the network tests ---
ports = hvtest.free_ports(["srv", "fwd"])
check("--port: a distinct free port per name",
      sorted(ports) == ["fwd", "srv"] and ports["srv"] != ports["fwd"] and
      all(1024 <= p < 65536 for p in ports.values()), ports)
for bad in (["srv", "srv"], ["Srv"], ["1x"]):
    try:
        hvtest.free_ports(bad)
        refused = ""
    except ValueError as e:
        refused = str(e)
    check("--port refuses %r" % bad, "--port" in refused, refused)
net = argparse.Namespace(ports=ports, hostfwd=["{fwd}:10.0.2.101:5202"])
check("{NAME} becomes the port in --set and --host-run text",
      hvtest.with_ports(net, "a={srv} b={fwd}") ==
      "a=%d b=%d" % (ports["srv"], ports["fwd"]),
      hvtest.with_ports(net, "a={srv} b={fwd}"))
try:
    hvtest.with_ports(net, "x={nope}")
    refused = ""
except ValueError as e:
    refused = str(e)
check("an unknown {NAME} is refused, naming it", "{nope}" in refused, refused)
args = hvtest.user_net_args(net)
check("--hostfwd: the board NIC on the user network, 127.0.0.1 only",
      args == ["-nic", "user,hostfwd=tcp:127.0.0.1:%d-10.0.2.101:5202" %
               ports["fwd"]], args)
check("no --hostfwd: QEMU's default network, no -nic",
      hvtest.user_net_args(argparse.Namespace(ports={}, hostfwd=[])) == [])
for bad in ("fwd:10.0.2.1:80", "{fwd}:10.0.2:80", "{fwd}:10.0.2.1"):
    try:
        hvtest.user_net_args(argparse.Namespace(ports=ports, hostfwd=[bad]))
        refused = ""
    except ValueError as e:
        refused = str(e)
    check("--hostfwd refuses %r" % bad, "--hostfwd" in refused, refused)
done = hvtest.HostCommand("echo one; echo two; exit 3")
done.start()
done.proc.wait()
lines = done.finish()
check("--host-run: its lines, then its exit status",
      lines == ["[host] one", "[host] two", "[host] exit 3"], lines)
hung = hvtest.HostCommand("echo started; sleep 60")
hung.start()
time.sleep(0.5)
lines = hung.finish()
check("--host-run: a command still running at the end is killed, said so",
      lines == ["[host] started", "[host] killed"], lines)
# 400 KiB of output before its last line: more than a pipe holds. Unread,
# the command would block on a write and never get to "finished".
chatty = hvtest.HostCommand(
    "i=0; while [ $i -lt 8000 ]; do "
    "echo \"line $i ........................................\"; "
    "i=$((i + 1)); done; echo finished; sleep 60")
chatty.start()
deadline = time.monotonic() + 30
while time.monotonic() < deadline and \
        not b"".join(chatty.chunks).endswith(b"finished\n"):
    time.sleep(0.1)
lines = chatty.finish()
check("--host-run: output is read as it comes (a command is never blocked "
      "on a full pipe)",
      len(lines) == 8002 and lines[-2:] == ["[host] finished",
                                            "[host] killed"],
      "%d lines, ending %r" % (len(lines), lines[-2:]))

finish()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot one system in QEMU and decide one test result.

Packs a boot image (monitor + board device tree + a manifest generated
from --guest options + guest images), boots it in qemu-system-arm with a
timeout, and reads the console:

  SUCCESS  the result guest printed "hvtest: <test>: SUCCESS" and every
           other expectation held
  SKIP     the result guest skipped
  ERROR    the test is broken (bad arguments, unknown test, ...)
  FAILURE  the thing under test misbehaved (a check failed, an expected
           line is missing, a forbidden one appeared, wrong exit code, the
           monitor's self-check at halt failed)
  CRASH    no result line, a timeout, or a monitor panic

The most severe outcome wins. Exit status: 0 SUCCESS, 77 SKIP (ctest's
SKIP_RETURN_CODE), 1 FAILURE, 2 ERROR, 3 CRASH.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

SEVERITY = ["SUCCESS", "SKIP", "ERROR", "FAILURE", "CRASH"]
EXIT_STATUS = {"SUCCESS": 0, "SKIP": 77, "FAILURE": 1, "ERROR": 2, "CRASH": 3}
# Shutdown codes of hvtest guests (tests/framework/hvtest.h).
GUEST_CODE = {"SUCCESS": 0, "FAILURE": 1, "ERROR": 2, "SKIP": 3}

BOARDS = {
    "vexpress-a9": ["-M", "vexpress-a9", "-m", "256M"],
    "realview-pb-a8": ["-M", "realview-pb-a8", "-m", "128M"],
    # A Cortex-A15 as a plain ARMv7 core; no NIC (the default one needs a
    # PCI option ROM Debian's QEMU lacks, and no test uses one here).
    "virt": ["-M", "virt", "-cpu", "cortex-a15", "-m", "256M", "-nic", "none"],
}
# Where each board's RAM starts: --dirty-boot puts its boot loader 32 KiB
# in and hv at 64 KiB, where -kernel would put it.
RAM_BASE = {"vexpress-a9": 0x60000000, "realview-pb-a8": 0x70000000,
            "virt": 0x40000000}
QEMU_COMMON = [
    "-semihosting", "-no-reboot", "-audiodev", "none,id=noaudio",
    "-global", "pl041.audiodev=noaudio",
]
RESULT_RE = re.compile(
    r"^\[(?P<guest>[^\]]+)\] hvtest: (?P<test>\S+): "
    r"(?P<result>SUCCESS|FAILURE|ERROR|SKIP)\s*$")


def parse_guest(spec):
    """'name=x|image=y|mem=0x100000|base=..|entry=..|args=..|halt'"""
    guest = {"mem": "0x100000", "halt": False, "args": ""}
    for part in spec.split("|"):
        if not part:
            continue
        if part in ("halt", "console"):
            guest[part] = True
            continue
        key, sep, value = part.partition("=")
        if not sep or key not in ("name", "image", "mem", "base", "entry",
                                  "args", "irqs", "devices", "weight",
                                  "phys", "imgoff", "dtb"):
            raise ValueError("bad --guest field %r in %r" % (part, spec))
        guest[key] = value
    if "name" not in guest or "image" not in guest:
        raise ValueError("--guest needs name= and image=: %r" % spec)
    return guest


def dts_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def manifest_dts(guests):
    lines = ["/dts-v1/;", "/ {", '\tcompatible = "hv,manifest";',
             "\tguests {"]
    for g in guests:
        lines.append("\t\t%s {" % g["name"])
        lines.append('\t\t\tcompatible = "hv,guest";')
        lines.append("\t\t\timage = %s;" % dts_string(g["image"]))
        lines.append("\t\t\tmemory-size = <%s>;" % g["mem"])
        if "base" in g:
            lines.append("\t\t\tbase-address = <%s>;" % g["base"])
        if "dtb" in g:
            lines.append("\t\t\tdevice-tree = %s;" %
                         dts_string("dtb-" + g["name"]))
        if "imgoff" in g:
            lines.append("\t\t\timage-offset = <%s>;" % g["imgoff"])
        if "entry" in g:
            lines.append("\t\t\tentry-offset = <%s>;" % g["entry"])
        if g["args"]:
            lines.append("\t\t\tbootargs = %s;" % dts_string(g["args"]))
        if g["halt"]:
            lines.append("\t\t\thalt-on-shutdown;")
        if g.get("console"):
            lines.append("\t\t\tconsole-input;")
        if "phys" in g:
            lines.append("\t\t\tphysical-address = <%s>;" % g["phys"])
        if "weight" in g:
            lines.append("\t\t\tweight = <%s>;" % g["weight"])
        if "irqs" in g:
            lines.append("\t\t\tinterrupts = <%s>;" % g["irqs"])
        if "devices" in g:
            lines.append("\t\t\tdevice-regions = <%s>;" % g["devices"])
        lines.append("\t\t};")
    lines += ["\t};", "};", ""]
    return "\n".join(lines)


def set_property(dts, spec):
    """Applies one --set NODE.PROP=VALUE to manifest source text.

    NODE is a node name (a guest, as "test" in /guests/test); the property
    is replaced, or added at the end of the node. VALUE "<...>" is pasted
    as cells, an empty VALUE makes a boolean property, anything else is a
    string. Only the plain layout of our own .dts files is understood: one
    property a line, the node closed by "};" at its own indentation."""
    target, sep, value = spec.partition("=")
    node, dot, prop = target.rpartition(".")
    if not sep or not dot or not node or not prop:
        raise ValueError("--set wants NODE.PROP=VALUE: %r" % spec)
    m = re.search(r"^([ \t]*)%s(@[0-9a-fA-F]+)?[ \t]*\{[ \t]*$" %
                  re.escape(node), dts, re.M)
    if not m:
        raise ValueError("--set %r: no node %r in the manifest" % (spec, node))
    end = re.compile(r"^%s\};" % re.escape(m.group(1)), re.M).search(
        dts, m.end())
    if not end:
        raise ValueError("--set %r: node %r is not closed" % (spec, node))
    if value == "":
        line = "%s;" % prop
    elif value.startswith("<"):
        line = "%s = %s;" % (prop, value)
    else:
        line = "%s = %s;" % (prop, dts_string(value))
    body = dts[m.end():end.start()]
    old = re.compile(r"^([ \t]*)%s([ \t]*=[^;]*)?;[ \t]*$" % re.escape(prop),
                     re.M).search(body)
    if old:
        body = body[:old.start()] + old.group(1) + line + body[old.end():]
    else:
        body += m.group(1) + "\t" + line + "\n"
    return dts[:m.end()] + body + dts[end.start():]


def run(cmd, what):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (%d): %s\n%s" % (
            what, proc.returncode, " ".join(cmd), proc.stdout))
    return proc.stdout


def build_image(args, work):
    guests = [parse_guest(g) for g in args.guest]
    if args.manifest_dts is None:
        dts = manifest_dts(guests)
    else:
        with open(args.manifest_dts) as f:
            dts = f.read()
    for spec in args.set:
        dts = set_property(dts, with_ports(args, spec))
    # Images named by the manifest file are packed as well as those of
    # --guest options (a manifest file needs no --guest to name them).
    images = sorted({g["image"] for g in guests} |
                    set(re.findall(r'^\s*image\s*=\s*"([^"]+)"\s*;', dts,
                                   re.M)))
    manifest_src = os.path.join(work, "manifest.dts")
    with open(manifest_src, "w") as f:
        f.write(dts)
    manifest = os.path.join(work, "manifest.dtb")
    # The copy compiles in the work directory: /include/ resolves as from
    # the manifest's own directory, then from its board/<board>/ (what
    # differs between boards, like the build's README system).
    includes = []
    if args.manifest_dts is not None:
        here = os.path.dirname(os.path.abspath(args.manifest_dts))
        includes = ["-i", here, "-i", os.path.join(here, "board", args.board)]
    run([args.dtc, "-q"] + includes + ["-I", "dts", "-O", "dtb", "-o",
                                      manifest, manifest_src],
        "dtc (manifest)")
    board_dtb = args.board_dtb
    if board_dtb.endswith(".dts"):
        board_dtb = os.path.join(work, "board.dtb")
        run([args.dtc, "-q", "-I", "dts", "-O", "dtb", "-o", board_dtb,
             args.board_dtb], "dtc (board)")
    image = os.path.join(work, "hv.img")
    cmd = [args.hvpack, "-o", image, "-m", args.monitor, "-b",
           board_dtb, "-g", manifest]
    for name in images:
        # the first --image-dir that has it (the test guests' directory
        # comes first in every ctest command; others add theirs)
        paths = [os.path.join(d, name + ".bin") for d in args.image_dir]
        found = [p for p in paths if os.path.exists(p)]
        cmd += ["-i", "%s=%s" % (name, (found or paths)[0])]
    # Other images by name: a --guest's device tree (dtb-<guest>) and
    # every --image NAME=FILE (a manifest's device-tree = "NAME"); a .dts
    # is compiled here.
    extra = [("dtb-" + g["name"], g["dtb"]) for g in guests if "dtb" in g]
    for spec in args.image:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise ValueError("--image wants NAME=FILE: %r" % spec)
        extra.append((name, path))
    for name, path in extra:
        if path.endswith(".dts"):
            out = os.path.join(work, "%s.dtb" % name)
            run([args.dtc, "-q", "-I", "dts", "-O", "dtb", "-o", out, path],
                "dtc (image %s)" % name)
            path = out
        cmd += ["-i", "%s=%s" % (name, path)]
    if args.no_check:
        cmd.append("--no-check")
    if args.uboot or args.board_by_loader:
        cmd.append("--board-by-loader")  # U-Boot passes the FIT's tree
    if args.expect_pack_error:
        # the refusal is the result: the caller judges it, nothing boots
        return subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    run(cmd, "hvpack")
    with open(image, "rb") as f:
        data = bytearray(f.read())
    monitor_size = os.path.getsize(args.monitor)
    package = (monitor_size + 4095) // 4096 * 4096
    for spec in args.corrupt:
        # mon+N: in the monitor binary; monend-N: from its end (its data,
        # which no code reads before the monitor checks its own CRC);
        # pkg+N: from the package header; end-N: from the image's end.
        where, _, n = spec.partition("+") if "+" in spec else \
            spec.partition("-")
        n = int(n, 0)
        offset = {"mon": lambda: n, "pkg": lambda: package + n,
                  "monend": lambda: monitor_size - n,
                  "end": lambda: len(data) - n}[where]()
        data[offset] ^= 0xff
    if args.truncate:
        del data[len(data) - args.truncate:]
    with open(image, "wb") as f:
        f.write(data)
    if args.uboot:
        return uboot_disk(args, work, image, board_dtb)
    return image


def uboot_disk(args, work, image, board_dtb):
    """The image as U-Boot boots it: a FIT and boot.scr (loader/hvfit) on
    the FAT partition of a disk (loader/hvsd), attached as virtio-blk."""
    fit_dir = os.path.join(work, "fit")
    run([sys.executable, os.path.join(args.loader_dir, "hvfit"), "--image",
         image, "--board-dtb", board_dtb, "--out-dir", fit_dir, "--name",
         args.board, "--mkimage", args.mkimage], "hvfit")
    itb = os.path.join(fit_dir, "hv.itb")
    for node in args.corrupt_fit:
        # a byte in the middle of that FIT image's data: U-Boot's hash
        # check must refuse it
        with open(os.path.join(fit_dir, "parts", node + ".bin"), "rb") as f:
            payload = f.read()
        with open(itb, "rb") as f:
            fit = bytearray(f.read())
        where = fit.find(payload)
        if not payload or where < 0:
            raise ValueError("--corrupt-fit %s: no such image data" % node)
        fit[where + len(payload) // 2] ^= 0xff
        with open(itb, "wb") as f:
            f.write(fit)
    disk = os.path.join(work, "uboot-disk.img")
    run([sys.executable, os.path.join(args.loader_dir, "hvsd"), "--out", disk,
         os.path.join(fit_dir, "boot.scr"), itb], "hvsd")
    return disk


def read_until(proc, seen, pos, pattern, deadline):
    """Reads QEMU's output into @seen until @pattern (bytes regex) matches
    from @pos on, QEMU ends or @deadline passes. Returns (seen, the end
    of the match or None)."""
    import select
    while True:
        m = pattern.search(seen, pos)
        if m:
            return seen, m.end()
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            return seen, None
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                return seen, None
            seen += chunk


def console_stages(args):
    """What to type on the console, and after which text: U-Boot's
    countdown cut short (a key, then "boot": its default command, at
    once), then --input once the guest says it reads."""
    stages = []
    if args.uboot and not args.uboot_autoboot:
        stages += [("Hit any key to stop autoboot", "\n"), ("=> ", "boot\n")]
    if args.input:
        stages.append((args.input_after,
                       args.input.encode().decode("unicode_escape")))
    return stages


def feed_input(proc, stages, deadline):
    """Types each stage's text once its marker has appeared after the
    previous one's; QEMU buffers nothing for us, so text is only written
    once the reader is there. Returns the output read so far."""
    seen, pos = b"", 0
    for marker, text in stages:
        seen, pos = read_until(proc, seen, pos,
                               re.compile(re.escape(marker.encode())),
                               deadline)
        if pos is None:
            break
        proc.stdin.write(text.encode())
        proc.stdin.flush()
    return seen


def sd_drive(path, snapshot=False):
    """QEMU arguments attaching raw image PATH as the board's SD card (the
    PL181 MMCI). QEMU 7.2 refuses an SD image whose size is not a power
    of two: say so here, with the size, rather than by QEMU's exit."""
    size = os.path.getsize(path)  # OSError if missing
    if size == 0 or size & (size - 1):
        raise ValueError("--sd %s: %d bytes; an SD card image must be a "
                         "power of two in size (truncate -s 64M)" %
                         (path, size))
    if "," in path:
        raise ValueError("--sd %s: a ',' in the path confuses -drive" % path)
    drive = "if=sd,format=raw,file=%s" % os.path.abspath(path)
    # snapshot: writes go to a temporary overlay QEMU drops at exit, so
    # tests running in parallel share one built card image unchanged.
    return ["-drive", drive + (",snapshot=on" if snapshot else "")]


class UartPeer:
    """Board UART N (1-3) on a Unix socket QEMU serves: a thread reads
    everything the UART sends and, once its own output shows AFTER,
    types INPUT into it (once)."""

    def __init__(self, index, path, text=None, after=None):
        import threading
        self.index, self.path = index, path
        self.input = text.encode().decode("unicode_escape").encode() \
            if text else None
        self.after = (after or "ready for input").encode()
        self.data = b""
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def qemu_args(self):
        return ["-chardev", "socket,id=uart%d,path=%s,server=on,wait=off" %
                (self.index, self.path), "-serial", "chardev:uart%d" %
                self.index]

    def run(self):
        import socket
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while not self.stopping.is_set():
            try:
                sock.connect(self.path)
                break
            except OSError:
                time.sleep(0.05)
        else:
            return
        sock.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                chunk = sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                break
            if not chunk:
                break
            self.data += chunk
            if self.input and self.after in self.data:
                sock.sendall(self.input)
                self.input = None
        sock.close()

    def stop(self):
        self.stopping.set()
        self.thread.join(2)

    def lines(self):
        text = self.data.decode("utf-8", "replace").replace("\r", "")
        return ["[uart%d] %s" % (self.index, l) for l in text.splitlines()]


def uart_peers(args, work):
    """The UartPeers --uart, --uart-input and --uart-input-after ask for,
    by UART index."""
    inputs = {}
    for spec in args.uart_input:
        index, sep, text = spec.partition(":")
        if not sep or not index.isdigit():
            raise ValueError("--uart-input %r: N:TEXT" % spec)
        inputs[int(index)] = text
    peers = {}
    for index in sorted(set(args.uart) | set(inputs)):
        if not 1 <= index <= 3:
            raise ValueError("--uart %d: the boards have UARTs 1 to 3 "
                             "besides the monitor's UART0" % index)
        path = os.path.join(work, "uart%d.sock" % index)
        if os.path.exists(path):
            os.unlink(path)
        peers[index] = UartPeer(index, path, inputs.get(index),
                                args.uart_input_after)
    return peers


def free_ports(names):
    """A free TCP port on 127.0.0.1 for each NAME (--port), by name. The
    port is free when asked; nothing holds it until QEMU or a --host-run
    command binds it (a race the tests accept: they would fail, not pass
    wrongly)."""
    import socket
    ports = {}
    for name in names:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in ports:
            raise ValueError("--port %r: a new lower-case name" % name)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports[name] = s.getsockname()[1]
    return ports


def with_ports(args, text):
    """TEXT with each {NAME} of a --port replaced by its number."""
    ports = getattr(args, "ports", {})

    def sub(m):
        if m.group(1) not in ports:
            raise ValueError("{%s} in %r: no --port %s" %
                             (m.group(1), text, m.group(1)))
        return str(ports[m.group(1)])
    return re.sub(r"\{([a-z][a-z0-9_]*)\}", sub, text)


def user_net_args(args):
    """The board NIC's QEMU user network with each --hostfwd: a TCP port
    of the host's 127.0.0.1 (a --port) forwarded to GUEST_IP:PORT."""
    if not args.hostfwd:
        return []
    fwds = []
    for spec in args.hostfwd:
        m = re.fullmatch(r"\{([a-z][a-z0-9_]*)\}:(\d+\.\d+\.\d+\.\d+):(\d+)",
                         spec)
        if not m:
            raise ValueError("--hostfwd %r: {PORTNAME}:GUEST_IP:PORT" % spec)
        fwds.append("hostfwd=tcp:127.0.0.1:%s-%s:%s" % (
            with_ports(args, "{%s}" % m.group(1)), m.group(2), m.group(3)))
    return ["-nic", ",".join(["user"] + fwds)]


class HostCommand:
    """A --host-run command: a shell command on the host, started just
    before QEMU, its output kept as '[host] ...' lines and its end as
    '[host] exit N'; still running when QEMU ends: killed ('[host]
    killed'). Its output is read as it comes: a command that writes more
    than a pipe holds (iperf3's one line a second, some 16 minutes of
    them) would otherwise block on its next write, and stop doing what
    the test waits for."""

    def __init__(self, command):
        self.command = command
        self.proc = None
        self.chunks = []
        self.reader = None

    def start(self):
        import threading
        self.proc = subprocess.Popen(
            ["sh", "-c", self.command], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for chunk in iter(lambda: self.proc.stdout.read1(65536), b""):
            self.chunks.append(chunk)

    def finish(self):
        import signal
        killed = False
        try:
            self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            killed = True
        # the end of the output: a child of the command that outlived it
        # may hold the pipe open (killed with the group above)
        self.reader.join(timeout=5)
        text = b"".join(self.chunks).decode("utf-8", "replace")
        text = text.replace("\r", "")
        lines = ["[host] " + l for l in text.splitlines()]
        lines.append("[host] killed" if killed else
                     "[host] exit %d" % self.proc.returncode)
        return lines


def boot(args, image):
    cmd = [args.qemu] + BOARDS[args.board] + QEMU_COMMON
    if args.sd:
        cmd += sd_drive(args.sd, args.sd_snapshot)
    cmd += user_net_args(args)
    cmd += ["-display", "none", "-monitor", "none", "-serial", "stdio"]
    uarts = getattr(args, "uart_peers", {})
    for index in range(1, max(uarts, default=0) + 1):
        # QEMU gives -serial options to UART0, 1, ... in order
        cmd += uarts[index].qemu_args() if index in uarts else \
            ["-serial", "null"]
    if args.uboot:
        cmd += ["-bios", args.uboot, "-drive",
                "if=none,format=raw,id=hvboot,file=%s" % image,
                "-device", "virtio-blk-device,drive=hvboot"]
    elif args.dirty_boot:
        # QEMU's virt puts its own device tree in RAM's first MiB, even
        # with no -kernel: the loader and the monitor go one MiB up there.
        loader = RAM_BASE[args.board] + 0x8000 + \
            (0x100000 if args.board == "virt" else 0)
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" %
                (args.dirty_boot, loader),
                "-device", "loader,file=%s,addr=0x%x,force-raw=on" %
                (image, loader + 0x8000),
                "-device", "loader,addr=0x%x,cpu-num=0" % loader]
    else:
        cmd += ["-kernel", image]
    if args.icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    for extra in args.qemu_arg:
        cmd += [extra]
    hosts = [HostCommand(with_ports(args, c)) for c in args.host_run]
    for host in hosts:
        host.start()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for peer in uarts.values():
        peer.thread.start()
    deadline = start + args.timeout
    seen = feed_input(proc, console_stages(args), deadline)
    if args.stop_after and proc.poll() is None:
        seen, end = read_until(proc, seen, 0, re.compile(
            ("(?m)" + args.stop_after).encode()), deadline)
        if end is not None:
            proc.kill()
    try:
        out, _ = proc.communicate(timeout=max(deadline - time.monotonic(),
                                              0.1))
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        timed_out = True
    out = seen + (out or b"")
    text = out.decode("utf-8", "replace").replace("\r", "")
    # Each UART's lines after the console's, prefixed "[uartN] ": an
    # --expect on them comes after those on the console.
    for index in sorted(uarts):
        uarts[index].stop()
        with open(os.path.join(os.path.dirname(uarts[index].path),
                               "uart%d.log" % index), "wb") as f:
            f.write(uarts[index].data)
        lines = uarts[index].lines()
        if lines:
            text += ("" if text.endswith("\n") or not text else "\n") + \
                "\n".join(lines) + "\n"
    # The host commands' lines come last.
    for host in hosts:
        text += ("" if text.endswith("\n") or not text else "\n") + \
            "\n".join(host.finish()) + "\n"
    return text, proc.returncode, timed_out, time.monotonic() - start, cmd


def evaluate(args, text, code, timed_out):
    outcomes = []  # (result, reason)
    lines = text.splitlines()

    if timed_out:
        outcomes.append(("CRASH", "timed out after %ds" % args.timeout))
    for line in lines:
        if line.startswith("hv: PANIC"):
            outcomes.append(("CRASH", "monitor panic: " + line))
        # The monitor's own consistency check at halt (hv/core/selfcheck.c)
        # fails every test, whatever the guests reported.
        if line.startswith("hv: self-check: FAILED"):
            outcomes.append(("FAILURE", "monitor self-check: " + line))

    if args.result_from:
        results = [m for m in map(RESULT_RE.match, lines)
                   if m and m.group("guest") == args.result_from]
        if not results:
            outcomes.append(("CRASH", "no result line from guest '%s'" %
                             args.result_from))
        else:
            r = results[-1].group("result")
            outcomes.append((r, "guest '%s' reported %s for %s" % (
                args.result_from, r, results[-1].group("test"))))
            if not timed_out and args.expect_exit is None and r in GUEST_CODE \
                    and args.result_exit:
                if code != GUEST_CODE[r]:
                    outcomes.append(("FAILURE", "qemu exit status %d, "
                                     "expected %d for %s" % (
                                         code, GUEST_CODE[r], r)))

    pos = 0
    for pattern in args.expect:
        rx = re.compile(pattern)
        for i in range(pos, len(lines)):
            if rx.search(lines[i]):
                pos = i + 1
                break
        else:
            outcomes.append(("FAILURE", "expected line (in order) not seen: "
                             "%r" % pattern))
    for pattern in args.forbid:
        rx = re.compile(pattern)
        for line in lines:
            if rx.search(line):
                outcomes.append(("FAILURE", "forbidden line seen: %r" % line))
                break
    if args.expect_exit is not None and not timed_out and \
            code != args.expect_exit:
        outcomes.append(("FAILURE", "qemu exit status %d, expected %d" % (
            code, args.expect_exit)))
    if args.interleave:
        a, b, minimum = args.interleave.split(",")
        seq = [l.split("]")[0][1:] for l in lines
               if l.startswith("[%s]" % a) or l.startswith("[%s]" % b)]
        switches = sum(1 for x, y in zip(seq, seq[1:]) if x != y)
        if switches < int(minimum):
            outcomes.append(("FAILURE", "output of %s and %s switched %d "
                             "times, expected at least %s" % (
                                 a, b, switches, minimum)))
    if args.ratio:
        a, b, lo, hi = args.ratio.split(",")
        counts = {}
        for line in lines:
            m = re.match(r"^\[(\S+)\] share: (\d+)$", line)
            if m:
                counts[m.group(1)] = int(m.group(2))
        if a not in counts or b not in counts or counts[b] == 0:
            outcomes.append(("FAILURE", "no share lines from %s and %s" %
                             (a, b)))
        else:
            ratio = counts[a] / counts[b]
            print("hvtest-runner: share %s/%s = %.2f" % (a, b, ratio))
            if not float(lo) <= ratio <= float(hi):
                outcomes.append(("FAILURE", "share %s/%s is %.2f, expected "
                                 "%s to %s" % (a, b, ratio, lo, hi)))
    for pattern, report in args.count:
        seen = sum(1 for line in lines if re.search(pattern, line))
        said = [m for m in map(re.compile(report).search, lines) if m]
        if not said:
            outcomes.append(("FAILURE", "no line matching %r" % report))
        elif seen != int(said[-1].group(1)):
            outcomes.append(("FAILURE", "%d lines match %r, %r says %s" % (
                seen, pattern, report, said[-1].group(1))))
    for pattern, limit in args.at_most:
        said = [m for m in map(re.compile(pattern).search, lines) if m]
        if not said:
            outcomes.append(("FAILURE", "no line matching %r" % pattern))
        elif int(said[-1].group(1)) > int(limit):
            outcomes.append(("FAILURE", "%s: %s, over its budget of %s" % (
                said[-1].group(0), said[-1].group(1), limit)))
    for index, prefix, count in getattr(args, "uart_numbered", []):
        # "PREFIX 1" .. "PREFIX COUNT" in order; going back is a repeat,
        # allowed (a backend killed between sending bytes and consuming
        # them sends them again), a number skipped is missing
        rx = re.compile(r"^\[uart%s\] %s (\d+)$" % (
            re.escape(index), re.escape(prefix)))
        numbers = [int(m.group(1)) for m in map(rx.match, lines) if m]
        missing, want = [], 1
        for n in numbers:
            if n >= want:
                missing += list(range(want, n))
                want = n + 1
        missing += list(range(want, int(count) + 1))
        repeats = len(numbers) - len(set(numbers))
        print("hvtest-runner: uart%s: %d lines '%s N', %d repeated, %d "
              "missing" % (index, len(numbers), prefix, repeats,
                           len(missing)))
        if missing:
            outcomes.append(("FAILURE", "uart%s: lines '%s N' missing for "
                             "N in %s" % (index, prefix, missing[:20])))
    if not outcomes:
        outcomes.append(("SUCCESS", "all expectations met"))
    worst = max(outcomes, key=lambda o: SEVERITY.index(o[0]))
    return worst[0], outcomes


def judge_pack_refusal(args, proc):
    """hvpack (with its checks) must have failed with a matching line."""
    print(proc.stdout, end="")
    pattern = re.compile(args.expect_pack_error)
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 and any(pattern.search(l) for l in lines):
        print("hvtest-runner: %s: SUCCESS" % args.name)
        return EXIT_STATUS["SUCCESS"]
    print("hvtest-runner: %s: FAILURE - hvpack exited %d, expected a "
          "refusal matching %r" % (args.name, proc.returncode,
                                   args.expect_pack_error))
    return EXIT_STATUS["FAILURE"]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--name", default="test")
    p.add_argument("--board", choices=sorted(BOARDS), required=True)
    p.add_argument("--qemu", default="qemu-system-arm")
    p.add_argument("--dtc", default="dtc")
    p.add_argument("--hvpack", required=True)
    p.add_argument("--monitor", required=True)
    p.add_argument("--board-dtb", required=True)
    p.add_argument("--image-dir", required=True, action="append",
                   help="where <image>.bin files are (repeatable)")
    p.add_argument("--work-dir", required=True)
    p.add_argument("--guest", action="append", default=[],
                   help="name=..|image=..|mem=..|base=..|entry=..|args=..|halt")
    p.add_argument("--manifest-dts", help="use this manifest instead")
    p.add_argument("--image", action="append", default=[],
                   metavar="NAME=FILE",
                   help="pack FILE as image NAME (repeatable; a .dts is "
                   "compiled), e.g. a device tree the manifest names")
    p.add_argument("--set", action="append", default=[],
                   metavar="NODE.PROP=VALUE",
                   help="set a property of the manifest (repeatable): "
                   "VALUE '<..>' cells, '' boolean, else a string")
    p.add_argument("--no-check", action="store_true",
                   help="let hvpack pack broken device trees")
    p.add_argument("--corrupt", action="append", default=[],
                   help="flip a byte: mon+N, monend-N, pkg+N or end-N")
    p.add_argument("--truncate", type=int, default=0,
                   help="drop this many bytes from the end of the image")
    p.add_argument("--timeout", type=int, default=30)
    p.add_argument("--dirty-boot", metavar="BIN",
                   help="boot through this raw boot loader (loaded 32 KiB "
                   "into RAM, hv 32 KiB above it) instead of -kernel")
    p.add_argument("--qemu-arg", action="append", default=[],
                   help="one more QEMU argument (repeat for several), "
                   "e.g. -plugin and its value")
    p.add_argument("--icount", action="store_true",
                   help="-icount shift=0: deterministic virtual time")
    p.add_argument("--no-icount", dest="icount", action="store_false",
                   help="undoes an earlier --icount: guest time is the "
                   "host's (a test whose guests talk to host programs "
                   "that keep their own time, like iperf3)")
    p.add_argument("--result-from", help="guest whose hvtest line decides")
    p.add_argument("--no-result-exit", dest="result_exit",
                   action="store_false",
                   help="do not require qemu's exit status to match it")
    p.add_argument("--expect", action="append", default=[],
                   help="regex that must match a line, in order")
    p.add_argument("--forbid", action="append", default=[],
                   help="regex that must match no line")
    p.add_argument("--expect-exit", type=int)
    p.add_argument("--interleave", help="GUEST_A,GUEST_B,MIN_SWITCHES")
    p.add_argument("--ratio", help="GUEST_A,GUEST_B,MIN,MAX: ratio of the "
                   "'share: N' counts they print")
    p.add_argument("--count", nargs=2, action="append", default=[],
                   metavar=("REGEX", "REPORT"),
                   help="as many lines match REGEX as the number in group "
                   "1 of the last line matching REPORT")
    p.add_argument("--at-most", nargs=2, action="append", default=[],
                   metavar=("REGEX", "LIMIT"),
                   help="the number in group 1 of the last line matching "
                   "REGEX is at most LIMIT (a budget)")
    p.add_argument("--input", help="text typed on the console (\\n ok)")
    p.add_argument("--input-after", default="ready for input",
                   help="console text to wait for before typing")
    p.add_argument("--expect-pack-error", metavar="RE",
                   help="hvpack must refuse the image with a line matching "
                   "RE; nothing is booted")
    p.add_argument("--uboot", metavar="U-BOOT.bin",
                   help="boot through this U-Boot (-bios): the image as a "
                   "FIT with boot.scr (loader/hvfit) on a virtio disk "
                   "(loader/hvsd), the board tree passed by bootm")
    p.add_argument("--board-by-loader", action="store_true",
                   help="leave the board tree out of the package (hvpack "
                   "--board-by-loader): the monitor reads r2's")
    p.add_argument("--uboot-autoboot", action="store_true",
                   help="let U-Boot's countdown run out (else a key stops "
                   "it and 'boot' runs its default command at once)")
    p.add_argument("--corrupt-fit", action="append", default=[],
                   metavar="NODE",
                   help="flip a byte in the data of FIT image NODE "
                   "(monitor, board, package, entry-N)")
    p.add_argument("--stop-after", metavar="REGEX",
                   help="end QEMU once a line matches (a boot loader that "
                   "refused the image waits for a user forever)")
    p.add_argument("--loader-dir", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "loader"),
                   help="where hvfit and hvsd are")
    p.add_argument("--mkimage", default="mkimage")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--sd", metavar="FILE",
                   help="raw image attached as the SD card (power-of-two "
                        "size)")
    p.add_argument("--sd-snapshot", action="store_true",
                   help="the guests' writes to the --sd image are dropped "
                        "at exit (QEMU's snapshot=on): the file is unchanged")
    p.add_argument("--uart", type=int, action="append", default=[],
                   metavar="N",
                   help="attach board UART N (1-3) to a socket the runner "
                   "reads: its lines join the console text as '[uartN] ...' "
                   "after the console's (also in WORK/uartN.log)")
    p.add_argument("--uart-input", action="append", default=[],
                   metavar="N:TEXT",
                   help="type TEXT (\\n ok) into UART N once its output "
                   "shows --uart-input-after")
    p.add_argument("--uart-input-after", default="ready for input")
    p.add_argument("--uart-numbered", nargs=3, action="append", default=[],
                   metavar=("N", "PREFIX", "COUNT"),
                   help="UART N sent the lines 'PREFIX 1' .. 'PREFIX COUNT' "
                   "in order (repeats allowed), none missing")
    p.add_argument("--port", action="append", default=[], metavar="NAME",
                   help="a free TCP port of the host, {NAME} in --set, "
                   "--hostfwd and --host-run")
    p.add_argument("--hostfwd", action="append", default=[],
                   metavar="{NAME}:GUEST_IP:PORT",
                   help="the board NIC on QEMU's user network, host port "
                   "NAME (127.0.0.1) forwarded to GUEST_IP:PORT")
    p.add_argument("--host-run", action="append", default=[],
                   metavar="COMMAND",
                   help="a shell command started on the host before QEMU; "
                   "its lines join the text last as '[host] ...', then "
                   "'[host] exit N' ('[host] killed' if QEMU ended first)")
    args = p.parse_args()

    work = os.path.join(args.work_dir, args.name)
    os.makedirs(work, exist_ok=True)
    try:
        args.ports = free_ports(args.port)
        user_net_args(args)  # refused before QEMU starts
        for c in args.host_run:
            with_ports(args, c)
        image = build_image(args, work)
        args.uart_peers = uart_peers(args, work)
        if args.sd:
            sd_drive(args.sd)  # refused before QEMU starts
        if args.expect_pack_error:
            return judge_pack_refusal(args, image)
    except (RuntimeError, ValueError, OSError, IndexError) as e:
        print("hvtest-runner: %s: ERROR - %s" % (args.name, e))
        return EXIT_STATUS["ERROR"]

    text, code, timed_out, elapsed, cmd = boot(args, image)
    with open(os.path.join(work, "console.log"), "w") as f:
        f.write(text)
    if not args.quiet:
        print("$ " + " ".join(cmd))
        sys.stdout.write(text)
        if not text.endswith("\n"):
            print()
    result, outcomes = evaluate(args, text, code, timed_out)
    for r, reason in outcomes:
        if r != "SUCCESS" or len(outcomes) == 1:
            print("hvtest-runner: %s: %s" % (r, reason))
    print("hvtest-runner: %s: %s (qemu exit %s, %.1fs)" % (
        args.name, result, "timeout" if timed_out else code, elapsed))
    return EXIT_STATUS[result]


if __name__ == "__main__":
    sys.exit(main())

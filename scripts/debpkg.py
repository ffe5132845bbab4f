# SPDX-License-Identifier: MIT
"""debpkg: what scripts/initramfs-build and scripts/disk-build share, the
Debian armhf packages and the ELF files in them.

  set_prefix(NAME)        say() and die() print "NAME: ..." lines
  check_tools(TOOLS)      each (program, package) is on PATH, dpkg knows
                          armhf
  fetch(DIR, PACKAGES)    the .debs of PACKAGES and of their library
                          dependencies (apt-get download PKG:armhf, kept
                          in DIR and reused; DIR/closure.txt the list)
  unpack(DEBS, STAGE)     dpkg -x each .deb into STAGE (again only when
                          the list changed)
  Elf(PATH)               machine, loader, NEEDED entries, dynamic
                          symbols (read with struct)
  check_dynamic_linking(ROOT)
                          every ELF file under ROOT: ARM, its loader and
                          NEEDED libraries where the armhf loader finds
                          them (links followed inside ROOT)
  copy, copy_tree, files_of, find_lib, sha256, run

Python 3, standard library only.
"""
import collections
import hashlib
import os
import re
import shutil
import stat
import struct
import subprocess
import sys

MULTIARCH = "arm-linux-gnueabihf"
LOADER = "ld-linux-armhf.so.3"
# Where a NEEDED library is looked for in the unpacked packages.
LIB_DIRS = ["lib/" + MULTIARCH, "usr/lib/" + MULTIARCH, "lib", "usr/lib"]
PREFIX = "debpkg"


def set_prefix(name):
    """The word say() and die() start their lines with."""
    global PREFIX
    PREFIX = name


def say(msg):
    print(PREFIX + ": " + msg, flush=True)


def die(msg):
    sys.stdout.flush()
    print(PREFIX + ": error: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd, error, **kw):
    """Runs CMD; on failure dies with ERROR and what the command said."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, **kw)
    except OSError as e:
        die("%s: %s" % (error, e))
    if p.returncode != 0:
        die("%s\n%s" % (error, p.stdout.rstrip()))
    return p.stdout


def armhf(packages):
    return [p + ":armhf" for p in packages]


# --- ELF files, read with struct -------------------------------------------
EM_ARM = 40
MACHINES = {3: "x86", 40: "ARM", 62: "x86-64", 183: "AArch64"}
SHT_DYNSYM, SHT_DYNAMIC = 11, 6
SHT_GNU_VERDEF, SHT_GNU_VERNEED, SHT_GNU_VERSYM = (0x6ffffffd, 0x6ffffffe,
                                                    0x6fffffff)
PT_INTERP, DT_NULL, DT_NEEDED, SHN_UNDEF = 3, 0, 1, 0
DT_RPATH, DT_RUNPATH = 15, 29
STT_NAMES = {0: "NOTYPE", 1: "OBJECT", 2: "FUNC", 3: "SECTION", 4: "FILE",
             5: "COMMON", 6: "TLS", 10: "IFUNC"}
STB_GLOBAL = 1


class ElfError(Exception):
    pass


# A dynamic symbol: version "" for none, type "FUNC", "OBJECT"...,
# bind 1 for global, defined unless SHN_UNDEF.
Symbol = collections.namedtuple("Symbol",
                                "name version type size bind defined")


class Elf:
    """What the build needs of an ELF file: machine, program interpreter,
    NEEDED entries and dynamic symbols with their versions."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = data = f.read()
        if data[:4] != b"\x7fELF" or len(data) < 52:
            raise ElfError("not an ELF file")
        if data[4] not in (1, 2) or data[5] not in (1, 2):
            raise ElfError("bad ELF class or data encoding")
        self.end = "<" if data[5] == 1 else ">"
        self.wide = data[4] == 2
        hdr = self.unpack("HHI" + ("QQQ" if self.wide else "III") +
                          "IHHHHHH", 16)
        (_, self.machine, _, _, phoff, shoff, _, _, phentsize, phnum,
         shentsize, shnum, _) = hdr
        # Program headers as (type, offset, file size).
        self.segments = []
        for i in range(phnum):
            if self.wide:
                p = self.unpack("IIQQQQ", phoff + i * phentsize)
                self.segments.append((p[0], p[2], p[5]))
            else:
                p = self.unpack("IIIII", phoff + i * phentsize)
                self.segments.append((p[0], p[1], p[4]))
        self.sections = [
            self.unpack("IIQQQQIIQQ" if self.wide else "IIIIIIIIII",
                        shoff + i * shentsize) for i in range(shnum)]

    def unpack(self, fmt, offset):
        try:
            return struct.unpack_from(self.end + fmt, self.data, offset)
        except struct.error:
            raise ElfError("truncated")

    def section(self, index):
        """(type, offset, size, link, info) of section INDEX."""
        s = self.sections[index]
        return s[1], s[4], s[5], s[6], s[7]

    def of_type(self, sh_type):
        return [i for i in range(len(self.sections))
                if self.sections[i][1] == sh_type]

    def string(self, strtab, offset):
        _, start, size, _, _ = self.section(strtab)
        end = self.data.find(b"\0", start + offset, start + size)
        if offset >= size or end < 0:
            raise ElfError("string out of its table")
        return self.data[start + offset:end].decode("utf-8", "replace")

    def interp(self):
        for p_type, offset, filesz in self.segments:
            if p_type == PT_INTERP:
                return self.data[offset:offset + filesz].split(b"\0")[0] \
                    .decode()
        return None

    def needed(self):
        return self.dynamic_strings(DT_NEEDED)

    def dynamic_strings(self, want):
        """The strings of the dynamic section's WANT entries (DT_NEEDED,
        DT_RUNPATH...), in order."""
        out = []
        entry = "qQ" if self.wide else "iI"
        for i in self.of_type(SHT_DYNAMIC):
            _, offset, size, link, _ = self.section(i)
            for pos in range(offset, offset + size, struct.calcsize(entry)):
                tag, val = self.unpack(entry, pos)
                if tag == DT_NULL:
                    break
                if tag == want:
                    out.append(self.string(link, val))
        return out

    def search_path(self):
        """The directories of DT_RUNPATH, or else DT_RPATH (colon lists)."""
        paths = self.dynamic_strings(DT_RUNPATH) or \
            self.dynamic_strings(DT_RPATH)
        return [d for p in paths for d in p.split(":") if d]

    def versions(self):
        """Version index -> (name, from verdef)."""
        names = {}
        for i in self.of_type(SHT_GNU_VERNEED):
            _, pos, _, link, count = self.section(i)
            for _ in range(count):
                _, cnt, _, aux, nxt = self.unpack("HHIII", pos)
                apos = pos + aux
                for _ in range(cnt):
                    _, _, other, name, anext = self.unpack("IHHII", apos)
                    names[other & 0x7fff] = (self.string(link, name), False)
                    apos += anext
                pos += nxt
        for i in self.of_type(SHT_GNU_VERDEF):
            _, pos, _, link, count = self.section(i)
            for _ in range(count):
                _, _, ndx, _, _, aux, nxt = self.unpack("HHHHIII", pos)
                name, _ = self.unpack("II", pos + aux)
                names[ndx] = (self.string(link, name), True)
                pos += nxt
        return names

    def dynamic_symbols(self):
        """Every named dynamic symbol, versioned as readelf shows it: a
        defined one with the version it defines (none for index 0 or 1,
        the base, nor for the symbol that names a version), an undefined
        one with the version it asks for."""
        versym = self.of_type(SHT_GNU_VERSYM)
        versym = self.section(versym[0])[1] if versym else None
        versions = self.versions()
        out = []
        for i in self.of_type(SHT_DYNSYM):
            _, offset, size, link, _ = self.section(i)
            fmt, entsize = ("IBBHQQ", 24) if self.wide else ("IIIBBH", 16)
            for n in range(size // entsize):
                f = self.unpack(fmt, offset + n * entsize)
                if self.wide:
                    name, info, _, shndx, _, sym_size = f
                else:
                    name, _, sym_size, info, _, shndx = f
                if name == 0:
                    continue
                ver = self.unpack("H", versym + 2 * n)[0] if versym else 0
                index = ver & 0x7fff
                version = ""
                if index > 1:
                    vname, defined = versions.get(index, ("", False))
                    if shndx != SHN_UNDEF or not defined:
                        version = vname
                name = self.string(link, name)
                if version == name and shndx != SHN_UNDEF:
                    version = ""  # a version's own symbol: plain
                out.append(Symbol(
                    name, version, STT_NAMES.get(info & 0xf, str(info & 0xf)),
                    sym_size, info >> 4, shndx != SHN_UNDEF))
        return out


def elf_or_none(path):
    """The Elf of PATH, None if it is no ELF file; dies if it is a broken
    one."""
    with open(path, "rb") as f:
        if f.read(4) != b"\x7fELF":
            return None
    try:
        return Elf(path)
    except (ElfError, IndexError) as e:
        die("%s: broken ELF file (%s)" % (path, e))



def check_tools(tools):
    """Each (program, package) of TOOLS is on PATH (after apt-get,
    apt-cache and dpkg), and dpkg knows the armhf architecture."""
    for tool, package in [("apt-get", "apt"), ("apt-cache", "apt"),
                          ("dpkg", "dpkg")] + list(tools):
        if not shutil.which(tool):
            die("no %s (package %s; run scripts/deps.sh)" % (tool, package))


def check_armhf():
    foreign = run(["dpkg", "--print-foreign-architectures"],
                  "dpkg --print-foreign-architectures failed").split()
    if "armhf" not in foreign:
        die("dpkg does not know the armhf architecture (run scripts/deps.sh)")


def dependency_graph(packages):
    """apt's dependency graph of PACKAGES (armhf), all of it in one call:
    package -> its Depends and Pre-Depends, each the list of its
    alternatives in apt's order (None first if the first is a virtual
    package, <name>: no alternative is taken then)."""
    out = run(["apt-cache", "depends", "--recurse", "--no-recommends",
               "--no-suggests", "--no-conflicts", "--no-breaks",
               "--no-replaces", "--no-enhances"] + armhf(packages),
              "apt-cache depends failed for %s (no armhf package lists? run "
              "scripts/deps.sh)" % " ".join(armhf(packages)))
    graph, deps, alts = {}, None, None
    for line in out.splitlines():
        if line and not line[0].isspace():
            deps = graph.setdefault(strip_arch(line.strip()), [])
            alts = None
            continue
        m = re.match(r"^ ( |\|)(Pre)?Depends: (\S+)$", line)
        if not m or deps is None:
            continue  # other relations, and the providers of a virtual one
        name = m.group(3)
        if alts is None:
            alts = []
            deps.append(alts)
        if not name.startswith("<"):
            alts.append(strip_arch(name))
        elif not alts:
            alts.append(None)  # a virtual package first: none is taken
        if m.group(1) != "|":
            alts = None  # the last alternative of this dependency
    return graph


def strip_arch(name):
    return re.sub(r":(armhf|any)$", "", name)


def library_packages(names):
    """Of NAMES, the library packages: Section libs (or */libs), or a name
    like libfoo2 / libfoo-1.2-3 / zlib1g."""
    if not names:
        return set()
    p = subprocess.run(["apt-cache", "show", "--no-all-versions"] +
                       armhf(sorted(names)), stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    libs, package = set(), None
    for line in p.stdout.splitlines():
        if line.startswith("Package: "):
            package = line.split()[1]
        elif line.startswith("Section: ") and package:
            section = line.split()[1]
            if re.search(r"(^|/)libs$", section) or \
                    re.match(r"^(lib|zlib).*[0-9]$", package):
                libs.add(package)
    return libs


def resolve(closure, key, packages):
    """PACKAGES plus, recursively, every Depends/Pre-Depends that is a
    library package: enough for the binaries, without what only their
    scripts need (rt-tests depends on python3). Of a set of alternatives
    the first is taken. apt gives the graph; closure.txt records the
    result, level by level (each sorted), and is reused."""
    say("resolving the library dependencies of %s (armhf)" %
        " ".join(packages))
    graph = dependency_graph(packages)
    libs = library_packages({a for deps in graph.values() for alts in deps
                             for a in alts[:1] if a})
    everything, todo = [], list(packages)
    while todo:
        everything += todo
        candidates = {alts[0] for p in todo for alts in graph.get(p, [])
                      if alts and alts[0]} - set(everything)
        todo = sorted(candidates & libs)
    tmp = closure + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join([key] + everything) + "\n")
    os.replace(tmp, closure)


def fetch(debs_dir, packages):
    """The .debs of the closure, downloaded if missing; their paths."""
    os.makedirs(debs_dir, exist_ok=True)
    closure = os.path.join(debs_dir, "closure.txt")
    key = "# " + " ".join(packages)
    lines = []
    if os.path.exists(closure):
        with open(closure) as f:
            lines = f.read().splitlines()
    if not lines or lines[0] != key:
        resolve(closure, key, packages)
        with open(closure) as f:
            lines = f.read().splitlines()
    packages = lines[1:]

    def deb_of(p):
        found = sorted(f for f in os.listdir(debs_dir)
                       if f.startswith(p + "_") and f.endswith(".deb"))
        return os.path.join(debs_dir, found[-1]) if found else None

    missing = [p for p in packages if not deb_of(p)]
    if missing:
        say("downloading %s (armhf)" % " ".join(missing))
        # apt's _apt user may not be able to write to OUTDIR.
        opts = ["-o", "APT::Sandbox::User=root"] if os.getuid() == 0 else []
        p = subprocess.run(["apt-get", "-q"] + opts + ["download"] +
                           armhf(missing), cwd=debs_dir,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        if p.returncode != 0:
            failed = [p for p in missing if not deb_of(p)]
            die("apt-get download failed for %s\n%s" % (
                " ".join(armhf(failed or missing)), p.stderr.rstrip()))
    debs = []
    for p in packages:
        deb = deb_of(p)
        if not deb:
            die("package %s:armhf: no .deb in %s after apt-get download" %
                (p, debs_dir))
        debs.append(deb)
    return debs


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def unpack(debs, stage):
    names = "".join(os.path.basename(d) + "\n" for d in debs)
    key = hashlib.sha256(names.encode()).hexdigest()
    mark = os.path.join(stage, ".debs")
    if os.path.exists(mark) and open(mark).read().strip() == key:
        return
    say("unpacking %d packages" % len(debs))
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(stage)
    for d in debs:
        run(["dpkg", "-x", d, stage],
            "dpkg -x %s failed" % os.path.basename(d))
    with open(mark, "w") as f:
        f.write(key + "\n")


UMASK = os.umask(0)
os.umask(UMASK)


def copy(src, dst):
    """cp SRC DST: the contents (symbolic links followed), the mode less
    the umask."""
    shutil.copyfile(src, dst)
    os.chmod(dst, stat.S_IMODE(os.stat(src).st_mode) & ~UMASK)


def copy_tree(src, dst):
    """cp -R SRC/. DST: directories merged, links copied as links."""
    for name in sorted(os.listdir(src)):
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.islink(s):
            if os.path.lexists(d):
                os.unlink(d)
            os.symlink(os.readlink(s), d)
        elif os.path.isdir(s):
            if not os.path.isdir(d):
                os.mkdir(d)
                os.chmod(d, stat.S_IMODE(os.stat(s).st_mode) & ~UMASK)
            copy_tree(s, d)
        else:
            copy(s, d)


def find_lib(stage, lib):
    for d in LIB_DIRS:
        path = os.path.join(stage, d, lib)
        if os.path.lexists(path):
            return path
    return None


def files_of(rootfs):
    """Every regular file under ROOTFS, as ./path, in C order."""
    out = []
    for top, _, files in os.walk(rootfs):
        for name in files:
            path = os.path.join(top, name)
            if os.path.isfile(path) and not os.path.islink(path):
                out.append("./" + os.path.relpath(path, rootfs))
    return sorted(out)



# --- A root file system's dynamic linking, checked ----------------------------
# The directories the Debian armhf loader searches by default (no
# ld.so.cache in the images: ldconfig never ran in them).
DEFAULT_LIB_DIRS = ["/lib/" + MULTIARCH, "/usr/lib/" + MULTIARCH, "/lib",
                    "/usr/lib"]


def resolve_in(root, path, hops=40):
    """PATH (absolute, inside the file system at ROOT) with every symbolic
    link followed as the guest would, ROOT its /; the host path, or None
    if it leads nowhere (or loops)."""
    parts = [p for p in path.split("/") if p and p != "."]
    done = []
    while parts:
        name = parts.pop(0)
        if name == "..":
            if done:
                done.pop()
            continue
        host = os.path.join(root, *(done + [name]))
        if os.path.islink(host):
            hops -= 1
            if hops < 0:
                return None
            target = os.readlink(host)
            if target.startswith("/"):
                done = []
            parts = [p for p in target.split("/") if p and p != "."] + parts
            continue
        if not os.path.lexists(host):
            return None
        done.append(name)
    return os.path.join(root, *done)


def check_dynamic_linking(root):
    """Every ELF file under ROOT: an ARM one, its program interpreter
    present, every NEEDED library found where the loader would look (its
    own DT_RUNPATH/DT_RPATH with $ORIGIN, then DEFAULT_LIB_DIRS), links
    followed inside ROOT. Returns (number of ELF files, the problems as
    "path: what" lines)."""
    problems, count = [], 0
    for f in files_of(root):
        path = os.path.join(root, f)
        with open(path, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        rel = "/" + os.path.normpath(f)
        try:
            elf = Elf(path)
            needed, dirs, interp = elf.needed(), elf.search_path(), \
                elf.interp()
        except (ElfError, IndexError) as e:
            problems.append("%s: broken ELF file (%s)" % (rel, e))
            continue
        count += 1
        if elf.machine != EM_ARM:
            problems.append("%s: not an ARM ELF file (%s)" % (
                rel, MACHINES.get(elf.machine, "machine %d" % elf.machine)))
            continue
        if interp and not resolve_in(root, interp):
            problems.append("%s: its loader %s is missing" % (rel, interp))
        origin = os.path.dirname(rel)
        dirs = [d.replace("$ORIGIN", origin).replace("${ORIGIN}", origin)
                for d in dirs]
        for lib in needed:
            if "/" in lib:
                found = resolve_in(root, lib)
            else:
                found = next((r for r in (resolve_in(root, d + "/" + lib)
                                          for d in dirs + DEFAULT_LIB_DIRS)
                              if r and os.path.isfile(r)), None)
            if not found:
                problems.append("%s: NEEDED %s not found (searched %s)" % (
                    rel, lib, ":".join(dirs + DEFAULT_LIB_DIRS)))
    return count, problems

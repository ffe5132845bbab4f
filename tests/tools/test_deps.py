#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs scripts/deps.sh against fake apt-get, dpkg and dpkg-query on PATH
(no network, no root): an `apt-get update` that fails (a mirror mid-sync)
must not stop the install, apt-get update must run at most once, and an
install that fails must end with one line naming the packages still
missing and apt's error. Exit 0 if every check passes."""
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolcheck import check, finish  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEPS = os.path.join(ROOT, "scripts", "deps.sh")


# The fakes keep their state in $FAKE: `installed` (one package a line),
# `calls` (one apt-get call a line), `arch` (foreign architectures),
# `update_fails`, `broken` (packages apt cannot find) and `lists/`.
FAKE_APT = r"""#!/bin/sh
echo "apt-get $*" >>"$FAKE/calls"
case "$1" in
update)
    if [ -e "$FAKE/update_fails" ]; then
        echo "E: Failed to fetch http://mirror/bookworm-security/main/binary-armhf/Packages.xz  File has unexpected size (356624 != 356976). Mirror sync in progress?"
        echo "E: Some index files failed to download. They have been ignored, or old ones used instead."
        touch "$FAKE/lists/mirror_binary-armhf_Packages"
        exit 100
    fi
    touch "$FAKE/lists/mirror_binary-armhf_Packages"
    exit 0 ;;
install)
    shift
    rc=0
    for p in "$@"; do
        case "$p" in -*) continue ;; esac
        if grep -qx "$p" "$FAKE/broken" 2>/dev/null; then
            echo "E: Unable to locate package $p"
            rc=100
        fi
    done
    [ $rc = 0 ] || exit $rc
    for p in "$@"; do
        case "$p" in -*) ;; *) echo "$p" >>"$FAKE/installed" ;; esac
    done
    exit 0 ;;
esac
exit 0
"""
FAKE_DPKG_QUERY = r"""#!/bin/sh
# dpkg-query -W -f=FMT PKG
for last; do :; done
if grep -qx "$last" "$FAKE/installed" 2>/dev/null; then
    printf 'install ok installed'
    exit 0
fi
exit 1
"""
FAKE_DPKG = r"""#!/bin/sh
case "$1" in
--print-foreign-architectures) cat "$FAKE/arch" 2>/dev/null ;;
--add-architecture) echo "$2" >>"$FAKE/arch" ;;
esac
exit 0
"""
FAKE_ID = "#!/bin/sh\necho 0\n"


def package_list():
    """The packages deps.sh asks for, read from the script itself."""
    text = open(DEPS).read()
    start = text.index('PACKAGES="') + len('PACKAGES="')
    return text[start:text.index('"', start)].split()


def run(setup):
    with tempfile.TemporaryDirectory() as fake:
        bindir = os.path.join(fake, "bin")
        os.makedirs(bindir)
        os.makedirs(os.path.join(fake, "lists"))
        for name, body in (("apt-get", FAKE_APT),
                           ("dpkg-query", FAKE_DPKG_QUERY),
                           ("dpkg", FAKE_DPKG), ("id", FAKE_ID)):
            path = os.path.join(bindir, name)
            with open(path, "w") as f:
                f.write(body)
            os.chmod(path, stat.S_IRWXU)
        setup(fake)
        env = dict(os.environ, FAKE=fake,
                   PATH=bindir + os.pathsep + os.environ["PATH"],
                   APT_LISTS_DIR=os.path.join(fake, "lists"))
        p = subprocess.run(["sh", DEPS], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=60)
        calls = []
        if os.path.exists(os.path.join(fake, "calls")):
            calls = open(os.path.join(fake, "calls")).read().splitlines()
        installed = []
        if os.path.exists(os.path.join(fake, "installed")):
            installed = open(os.path.join(fake, "installed")).read().split()
        return p, calls, installed


def write(fake, name, lines):
    with open(os.path.join(fake, name), "w") as f:
        f.write("".join(line + "\n" for line in lines))


packages = package_list()
check("the package list is read from deps.sh", "qemu-system-arm" in packages)


# 1. A fresh machine, a mirror mid-sync: update fails, the install goes on.
def fresh_flaky(fake):
    write(fake, "update_fails", [])


p, calls, installed = run(fresh_flaky)
out = p.stdout + p.stderr
check("flaky update: exit 0", p.returncode == 0, out)
check("flaky update: the armhf architecture is added",
      "deps: adding the armhf architecture" in out, out)
check("flaky update: one apt-get update",
      sum(c == "apt-get update" for c in calls) == 1, "\n".join(calls))
check("flaky update: install attempted",
      any(c.startswith("apt-get install") for c in calls), "\n".join(calls))
check("flaky update: every package installed",
      sorted(set(installed)) == sorted(set(packages)), " ".join(installed))
check("flaky update: says it is a warning", "warning" in out, out)


# 2. Everything there: no apt-get at all.
def all_there(fake):
    write(fake, "installed", packages)
    write(fake, "arch", ["armhf"])
    write(os.path.join(fake, "lists"), "x_binary-armhf_Packages", [])


p, calls, installed = run(all_there)
check("nothing missing: exit 0", p.returncode == 0, p.stdout + p.stderr)
check("nothing missing: no apt-get call", calls == [], "\n".join(calls))


# 3. Two packages missing, one of which apt cannot find; update also fails.
def one_broken(fake):
    write(fake, "installed", [p for p in packages
                              if p not in ("qemu-system-arm", "ccache")])
    write(fake, "arch", ["armhf"])
    write(os.path.join(fake, "lists"), "x_binary-armhf_Packages", [])
    write(fake, "update_fails", [])
    write(fake, "broken", ["qemu-system-arm"])


p, calls, installed = run(one_broken)
err_lines = [line for line in p.stderr.splitlines() if "error" in line]
check("broken package: exit non-zero", p.returncode != 0, p.stdout + p.stderr)
check("broken package: one apt-get update",
      sum(c == "apt-get update" for c in calls) == 1, "\n".join(calls))
check("broken package: install attempted with both",
      any(c.startswith("apt-get install") and "qemu-system-arm" in c and
          "ccache" in c for c in calls), "\n".join(calls))
check("broken package: one error line",
      len(err_lines) == 1, p.stderr)
check("broken package: it names the missing packages and apt's error",
      len(err_lines) == 1 and "qemu-system-arm" in err_lines[0] and
      "ccache" in err_lines[0] and
      "Unable to locate package qemu-system-arm" in err_lines[0], p.stderr)


# 4. No armhf list even after update: a clear error, no install.
def no_lists(fake):
    write(fake, "installed", packages)
    write(fake, "arch", ["armhf"])


def no_lists_update_fails(fake):
    no_lists(fake)
    # The fake update creates the list even when failing; take that away.
    os.rmdir(os.path.join(fake, "lists"))
    write(fake, "update_fails", [])


p, calls, installed = run(no_lists_update_fails)
check("no armhf lists: exit non-zero", p.returncode != 0, p.stdout + p.stderr)
check("no armhf lists: says so",
      "no armhf package lists" in p.stderr, p.stderr)

finish()

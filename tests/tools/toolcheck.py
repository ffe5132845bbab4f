# SPDX-License-Identifier: MIT
"""What the tests of tests/tools share: one line per check, "ok: <what>"
or "FAIL: <what>" (with what was seen), a summary and the exit status,
and planting a mismatch in a scratch copy of a file."""
import re
import sys

failures = []


def check(what, cond, detail=""):
    print("%s: %s" % ("ok" if cond else "FAIL", what))
    if not cond:
        failures.append(what)
        if detail:
            print(detail)


def edit(path, old, new):
    """Replaces the one match of regex OLD (multi-line mode): a plant that
    misses is a broken test, not a pass."""
    with open(path) as f:
        text = f.read()
    text, n = re.subn(old, new, text, count=1, flags=re.M)
    assert n == 1, "%s: no match for %r" % (path, old)
    with open(path, "w") as f:
        f.write(text)


def finish():
    """Prints the summary and exits 1 if any check failed, else 0."""
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)

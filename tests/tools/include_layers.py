#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the #include lines of hv/core against the layers of
docs/layout.md (section "Layers"), so the document and the code cannot
drift apart.

The table there lists the layers bottom to top, one row each; its second
column names the row's modules in backquotes. A module is a file of
hv/core (x.c) and its header in hv/inc/hv (x.h) together. Fails on:

  - a module that includes the header of a module in a layer above it;
  - an include cycle between modules (also within one layer);
  - a file of hv/core or hv/inc/hv, or an included "hv/x.h", whose
    module is in no layer; a module in two layers; a module of the table
    that no file has and nothing includes;
  - any file under hv/ including <hvabi/io/...>: guest-to-guest wire
    protocols, never the monitor's (guestabi/include/hvabi/io/README.md).

Each failure is one line naming the file, the line and the two layers.
Exit 0 when all is well, 1 on a violation, 2 when the table is missing
or a file cannot be read. Usage:
  include_layers.py [--doc docs/layout.md] [--root .]
"""
import argparse
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))

INCLUDE_HV = re.compile(r'^\s*#\s*include\s+"hv/([A-Za-z0-9_]+)\.h"')
INCLUDE_IO = re.compile(r"^\s*#\s*include\s+[<\"](hvabi/io/[^>\"]*)[>\"]")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def layers_of(doc):
    """[(layer name, [modules])] bottom to top, from section "Layers"."""
    m = re.search(r"^## Layers[^\n]*\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    if not m:
        return None
    rows = []
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().split("|")]
        if len(cells) < 4 or not line.strip().startswith("|"):
            continue
        name, modules = cells[1], cells[2]
        if set(name) <= set("-: ") or name.lower() == "layer":
            continue  # the header row and its rule
        rows.append((name, re.findall(r"`([A-Za-z0-9_]+)`", modules)))
    return rows


def cycles(graph):
    """Strongly connected components of more than one module."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "layout.md"))
    ap.add_argument("--root", default=ROOT)
    args = ap.parse_args()

    try:
        doc = read(args.doc)
    except OSError as e:
        print("ERROR: %s" % e)
        return 2
    rows = layers_of(doc)
    if not rows:
        print("ERROR: %s has no table under '## Layers'" % args.doc)
        return 2

    errors = []
    layer = {}  # module -> (number, name), 1 at the bottom
    for n, (name, modules) in enumerate(rows, 1):
        for mod in modules:
            if mod in layer:
                errors.append("module %s is in two layers: %d (%s) and %d "
                              "(%s)" % (mod, layer[mod][0], layer[mod][1], n,
                                        name))
            else:
                layer[mod] = (n, name)

    def where(mod):
        return "%s (layer %d, %s)" % (mod, layer[mod][0], layer[mod][1])

    files = []
    for sub, ext in (("hv/core", ".c"), ("hv/inc/hv", ".h")):
        d = os.path.join(args.root, sub)
        try:
            names = sorted(os.listdir(d))
        except OSError as e:
            print("ERROR: %s" % e)
            return 2
        files += [(sub + "/" + f, f[:-len(ext)]) for f in names
                  if f.endswith(ext)]

    present = {mod for _, mod in files}
    included = set()
    graph = {}
    for rel, mod in files:
        if mod not in layer:
            errors.append("%s: module %s is in no layer of %s" %
                          (rel, mod, os.path.relpath(args.doc, args.root)))
        for num, line in enumerate(read(os.path.join(args.root, rel))
                                   .splitlines(), 1):
            m = INCLUDE_HV.match(line)
            if not m or m.group(1) == mod:
                continue
            dep = m.group(1)
            included.add(dep)
            graph.setdefault(mod, set()).add(dep)
            if dep not in layer:
                errors.append("%s:%d: includes hv/%s.h, whose module %s is "
                              "in no layer" % (rel, num, dep, dep))
            elif mod in layer and layer[dep][0] > layer[mod][0]:
                errors.append("%s:%d: includes hv/%s.h: %s is below %s" %
                              (rel, num, dep, where(mod), where(dep)))

    for comp in cycles(graph):
        errors.append("include cycle between modules: %s" % ", ".join(comp))

    for mod in sorted(layer):
        if mod not in present and mod not in included:
            errors.append("module %s of layer %d (%s) has no file and "
                          "nothing includes it" % (mod, layer[mod][0],
                                                   layer[mod][1]))

    hv = os.path.join(args.root, "hv")
    for dirpath, dirnames, filenames in os.walk(hv):
        dirnames.sort()
        for f in sorted(filenames):
            path = os.path.join(dirpath, f)
            try:
                text = read(path)
            except OSError:
                continue
            for num, line in enumerate(text.splitlines(), 1):
                m = INCLUDE_IO.match(line)
                if m:
                    errors.append(
                        "%s:%d: includes <%s>: guest-to-guest protocols "
                        "are never the monitor's (hvabi/io/README.md)" %
                        (os.path.relpath(path, args.root), num, m.group(1)))

    for e in errors:
        print("VIOLATION: " + e)
    if errors:
        print("%d violation(s) of the layers in %s" % (len(errors),
                                                        args.doc))
        return 1
    print("ok: %d modules in %d layers, %d files, no include upwards, no "
          "cycle" % (len(layer), len(rows), len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

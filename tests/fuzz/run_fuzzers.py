#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the libFuzzer targets one after the other and sums up.

  run_fuzzers.py --bin-dir DIR --work-dir DIR [--seed-dir DIR]
                 [--time SECONDS] [--fresh] [--seed N] [TARGET...]

Each target runs for --time seconds on the corpus DIR/<target>/corpus
(kept between runs unless --fresh; the seeds of --seed-dir are read too),
crash reproducers go to DIR/<target>/crash-*, the log to
DIR/<target>/log. Per target it prints executions, exec/s, libFuzzer's
coverage (cov: edges, ft: features) and whether it crashed. Exit status:
1 if any target crashed, 0 otherwise. docs/testing.md has the targets.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

# target: (seed subdirectory of --seed-dir or None, -max_len)
TARGETS = {
    "pt_fuzz": (None, 4000),
    "hypercall_fuzz": (None, 1601),
    "dt_fuzz": ("dt", 8192),
    "pkg_fuzz": ("pkg", 70000),
    "ring_fuzz": ("ring", 4096),
}


def run(target, args):
    seeds, max_len = TARGETS[target]
    work = os.path.join(args.work_dir, target)
    corpus = os.path.join(work, "corpus")
    if args.fresh:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(corpus, exist_ok=True)
    cmd = [os.path.join(args.bin_dir, target),
           "-max_total_time=%d" % args.time, "-max_len=%d" % max_len,
           "-timeout=20", "-print_final_stats=1",
           "-artifact_prefix=" + work + "/", corpus]
    if args.seed is not None:
        cmd.insert(1, "-seed=%d" % args.seed)
    if seeds and args.seed_dir and os.path.isdir(
            os.path.join(args.seed_dir, seeds)):
        cmd.append(os.path.join(args.seed_dir, seeds))
    with open(os.path.join(work, "log"), "w") as log:
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
    with open(os.path.join(work, "log"), errors="replace") as f:
        text = f.read()
    stat = dict(re.findall(r"^stat::(\w+):\s+(\d+)", text, re.M))
    cov = re.findall(r"cov: (\d+) ft: (\d+)", text)
    crashed = proc.returncode != 0 or "==ERROR" in text or \
        "deadly signal" in text
    artifacts = sorted(f for f in os.listdir(work)
                       if re.match(r"(crash|leak|timeout|oom)-", f))
    return {
        "target": target,
        "execs": stat.get("number_of_executed_units", "?"),
        "rate": stat.get("average_exec_per_sec", "?"),
        "cov": cov[-1][0] if cov else "?",
        "ft": cov[-1][1] if cov else "?",
        "crashed": crashed,
        "artifacts": [os.path.join(work, a) for a in artifacts],
        "log": os.path.join(work, "log"),
        "text": text,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--seed-dir")
    ap.add_argument("--time", type=int, default=600)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("targets", nargs="*")
    args = ap.parse_args()
    targets = args.targets or list(TARGETS)
    for t in targets:
        if t not in TARGETS:
            sys.exit("run_fuzzers.py: unknown target " + t)

    results = []
    for t in targets:
        print("fuzz: %s for %d s ..." % (t, args.time), flush=True)
        r = run(t, args)
        results.append(r)
        if r["crashed"]:
            # The sanitizer's report, for the CI log.
            lines = r["text"].splitlines()
            start = next((i for i, l in enumerate(lines)
                          if "==ERROR" in l or "deadly signal" in l
                          or "oracle:" in l or "check:" in l
                          or "_fuzz:" in l), max(0, len(lines) - 40))
            print("\n".join(lines[start:start + 40]))
    print("%-16s %12s %9s %7s %8s  %s" %
          ("target", "executions", "exec/s", "cov", "ft", "result"))
    for r in results:
        result = "CRASH " + " ".join(r["artifacts"]) if r["crashed"] \
            else "ok"
        print("%-16s %12s %9s %7s %8s  %s" %
              (r["target"], r["execs"], r["rate"], r["cov"], r["ft"], result))
    return 1 if any(r["crashed"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Times rows of commands side by side, alternating, and reports medians, ranges, ratios and peak RSS.

    measure.py ROWS.json RESULTS.json

ROWS.json is a list of {"id", "label", "cmds": {"vnetctl": CMD, "virsh": CMD, "C": CMD}} (any of the
three may be missing), with an optional "reset": {TOOL: CMD} run untimed after each of that tool's
runs (a define's undefine, so that the next run defines again); CMD is one command line, run through /bin/sh only when it holds a shell
operator (`&&`, `;`). Each round runs every command of a row once, in an order that rotates from
round to round, so that load from other work on the host falls on all of them alike. Wall time is
measured around fork and wait4; peak RSS is wait4's ru_maxrss (the largest process of the command,
sh included). VNB_RUNS (15) rounds are timed after VNB_WARMUP (2).
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

RUNS = int(os.environ.get("VNB_RUNS", "15"))
WARMUP = int(os.environ.get("VNB_WARMUP", "2"))
ORDER = ["vnetctl", "virsh", "C"]


def argv(cmd):
    if any(op in cmd for op in ("&&", ";", "|", ">")):
        return ["/bin/sh", "-c", cmd]
    return shlex.split(cmd)


def run_once(cmd):
    """Runs CMD with output discarded; returns (seconds, peak RSS KiB, exit status)."""
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        proc = subprocess.Popen(argv(cmd), stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, proc.returncode


def measure(row):
    tools = [t for t in ORDER if t in row["cmds"]]
    samples = {t: {"ms": [], "rss": [], "failed": 0} for t in tools}
    for round_number in range(WARMUP + RUNS):
        shift = round_number % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            seconds, rss, status = run_once(row["cmds"][tool])
            if tool in row.get("reset", {}):
                run_once(row["reset"][tool])
            if round_number < WARMUP:
                continue
            entry = samples[tool]
            entry["ms"].append(seconds * 1000)
            entry["rss"].append(rss)
            entry["failed"] += status != 0
    result = dict(row)
    result["results"] = {}
    for tool, entry in samples.items():
        result["results"][tool] = {
            "median_ms": statistics.median(entry["ms"]),
            "min_ms": min(entry["ms"]),
            "max_ms": max(entry["ms"]),
            "rss_kib": int(statistics.median(entry["rss"])),
            "failed": entry["failed"],
            "runs": len(entry["ms"]),
        }
    return result


def main():
    rows = json.load(open(sys.argv[1]))
    out = []
    for row in rows:
        print(f"== {row['label']}", file=sys.stderr, flush=True)
        out.append(measure(row))
        for tool, r in out[-1]["results"].items():
            failed = f" FAILED {r['failed']}x" if r["failed"] else ""
            print(f"   {tool:8} {r['median_ms']:8.1f} ms ({r['min_ms']:.1f}-{r['max_ms']:.1f}) {r['rss_kib']} KiB{failed}",
                  file=sys.stderr, flush=True)
    json.dump(out, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Markdown table of bench/conv/run.sh's CSV: GFLOP/s per library (the
best of its rounds) and Tessel's ratio to oneDNN given the same layouts,
per thread count. A library wrong in any round is reported wrong."""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
libs = ["tessel", "onednn", "onednn-any"]
keys = []
for r in rows:
    k = (r["threads"], r["workload"], r["dtype"])
    if k not in keys:
        keys.append(k)
cell = {}
for r in rows:
    k = (r["threads"], r["workload"], r["dtype"], r["library"])
    old = cell.get(k)
    if old is None or old["status"] == "ok" and (
            r["status"] != "ok" or float(r["gflops"]) > float(old["gflops"])):
        cell[k] = r
print("| threads | workload | dtype | Tessel | oneDNN (NHWC) | oneDNN (own layouts) | Tessel / oneDNN (NHWC) |")
print("|---:|---|---|---:|---:|---:|---:|")
for t, w, d in keys:
    vals = []
    for lib in libs:
        r = cell.get((t, w, d, lib))
        vals.append(float(r["gflops"]) if r and r["status"] == "ok" else None)
    fmt = lambda v: f"{v:.1f}" if v else "-"  # noqa: E731
    ratio = f"{vals[0] / vals[1]:.2f}x" if vals[0] and vals[1] else "-"
    print(f"| {t} | {w} | {d} | {fmt(vals[0])} | {fmt(vals[1])} | {fmt(vals[2])} | {ratio} |")
bad = [r for r in cell.values() if r["status"] != "ok"]
if bad:
    print()
    for r in bad:
        print(f"- {r['workload']} {r['dtype']} {r['threads']}T {r['library']}: {r['status']} ({r['note']})")

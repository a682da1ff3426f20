#!/usr/bin/env python3
"""Markdown table (and, with --png FILE, a bar chart) of bench/conv/run.sh's
CSV: GFLOP/s per library (the best of its rounds) and Tessel's ratio to
oneDNN given the same layouts, per thread count. A library wrong in any
round is reported wrong.

    report.py results.csv [--png results.png] > results.md
"""
import argparse
import csv

LIBS = [("tessel", "Tessel"), ("onednn", "oneDNN (NHWC)"),
        ("onednn-any", "oneDNN (own layouts)"), ("xnnpack", "XNNPACK"),
        ("openblas", "im2col + OpenBLAS"), ("mlir", "MLIR (upstream)")]


def best_cells(rows):
    """(threads, workload, dtype, library) -> its best ok row (or a failure)."""
    cell = {}
    for r in rows:
        k = (r["threads"], r["workload"], r["dtype"], r["library"])
        old = cell.get(k)
        if old is None or old["status"] == "ok" and (
                r["status"] != "ok" or float(r["gflops"]) > float(old["gflops"])):
            cell[k] = r
    return cell


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--png")
    args = ap.parse_args()
    rows = list(csv.DictReader(open(args.csv)))
    keys = []
    for r in rows:
        k = (r["threads"], r["workload"], r["dtype"])
        if k not in keys:
            keys.append(k)
    cell = best_cells(rows)

    def gflops(k, lib):
        r = cell.get((*k, lib))
        return float(r["gflops"]) if r and r["status"] == "ok" else None

    print("| threads | workload | dtype | " + " | ".join(name for _, name in LIBS) +
          " | Tessel / oneDNN (NHWC) |")
    print("|---:|---|---|" + "---:|" * (len(LIBS) + 1))
    for k in keys:
        vals = [gflops(k, lib) for lib, _ in LIBS]
        fmt = lambda v: f"{v:.1f}" if v else "-"  # noqa: E731
        ratio = f"{vals[0] / vals[1]:.2f}x" if vals[0] and vals[1] else "-"
        print(f"| {k[0]} | {k[1]} | {k[2]} | " + " | ".join(map(fmt, vals)) + f" | {ratio} |")
    notes = [r for r in cell.values() if r["status"] != "ok"]
    if notes:
        print()
        for r in notes:
            print(f"- {r['workload']} {r['dtype']} {r['threads']}T {r['library']}: "
                  f"{r['status']} ({r['note']})")
    if args.png:
        plot(keys, gflops, args.png)


def plot(keys, gflops, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    threads = sorted({k[0] for k in keys})
    fig, axes = plt.subplots(len(threads), 1, figsize=(14, 4.5 * len(threads)),
                             squeeze=False)
    for ax, t in zip(axes[:, 0], threads):
        ks = [k for k in keys if k[0] == t]
        width = 0.8 / len(LIBS)
        for i, (lib, name) in enumerate(LIBS):
            ax.bar([j + i * width for j in range(len(ks))],
                   [gflops(k, lib) or 0 for k in ks], width, label=name)
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(ks))])
        ax.set_xticklabels([f"{k[1]}\n{k[2]}" for k in ks], fontsize=7)
        ax.set_ylabel("GFLOP/s")
        ax.set_title(f"{t} thread(s)")
        ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()

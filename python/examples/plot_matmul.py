"""Tessel's matmul against numpy (OpenBLAS) across sizes, as a plot.

    PYTHONPATH=build/python_packages python3 python/examples/plot_matmul.py [OUT.png]

Square f32 matmuls from 32 to 1024 on one thread (set OPENBLAS_NUM_THREADS=1
for a fair comparison; this script does it before numpy loads). Each result
is checked against numpy; times are the best of several calls. Needs
python3-matplotlib for the plot; without it prints the table only.
"""
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import tessel  # noqa: E402

SIZES = [32, 64, 128, 256, 384, 512, 768, 1024]


def best_seconds(fn, budget=0.3):
    fn()
    best, spent = float("inf"), 0.0
    while spent < budget:
        start = time.perf_counter()
        fn()
        took = time.perf_counter() - start
        best, spent = min(best, took), spent + took
    return best


def main():
    rng = np.random.default_rng(1)
    rows = []
    for n in SIZES:
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        c = np.empty((n, n), dtype=np.float32)
        tessel.matmul(a, b, out=c, threads=1)  # compiles (memo cached)
        error = np.abs(c - a.astype(np.float64) @ b).max() / n
        if error > 1e-5:
            print(f"FAILED: {n}^3 differs from numpy by {error}")
            return 1
        flops = 2.0 * n ** 3
        t_tessel = best_seconds(lambda: tessel.matmul(a, b, out=c, threads=1))
        t_numpy = best_seconds(lambda: np.matmul(a, b, out=c))
        rows.append((n, flops / t_tessel / 1e9, flops / t_numpy / 1e9))
        print(f"{n:5d}^3  Tessel {rows[-1][1]:7.1f} GFLOP/s   "
              f"numpy {rows[-1][2]:7.1f} GFLOP/s   ratio {rows[-1][1] / rows[-1][2]:.2f}")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(install python3-matplotlib for the plot)")
        return 0
    out = sys.argv[1] if len(sys.argv) > 1 else "matmul.png"
    sizes, ours, theirs = zip(*rows)
    plt.figure(figsize=(7, 4))
    plt.plot(sizes, ours, "o-", label="Tessel (tessel.matmul)")
    plt.plot(sizes, theirs, "s-", label="numpy (OpenBLAS)")
    plt.xscale("log", base=2)
    plt.xlabel("n (n x n x n, f32, one thread)")
    plt.ylabel("GFLOP/s")
    plt.legend()
    plt.grid(alpha=0.3)
    plt.tight_layout()
    plt.savefig(out, dpi=120)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

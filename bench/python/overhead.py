"""Per-call overhead of calling a Tessel kernel from Python.

    bench/python/run.sh            # pinned to one CPU, best of several rounds

For small kernels (where the overhead matters) it times, best of ROUNDS
rounds of CALLS calls each: the call from Python (`module.f(a, b, c)`), the
same kernel timed inside the library with no Python in the loop
(`Function.bench`), and numpy's own call of the same matmul as a yardstick.
The overhead is the difference of the first two. Every result is checked.
"""
import argparse
import time

import numpy as np

import tessel

SOURCE = """
func.func @f(%a: memref<{m}x{k}xf32>, %b: memref<{k}x{n}xf32>, %c: memref<{m}x{n}xf32>) {{
  spec.matmul %c = %a * %b : memref<{m}x{k}xf32> * memref<{k}x{n}xf32> -> memref<{m}x{n}xf32>
  return
}}
"""


def per_call(fn, calls, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print("| kernel | from Python (us) | inside the library (us) | overhead (us) | numpy matmul (us) |")
    print("|---|---:|---:|---:|---:|")
    for m, k, n in [(1, 1, 1), (4, 4, 4), (16, 16, 16), (32, 64, 32)]:
        module = tessel.compile(SOURCE.format(m=m, k=k, n=n), threads=1)
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        c = np.empty((m, n), dtype=np.float32)
        module.f(a, b, c)
        assert np.abs(c - a.astype(np.float64) @ b).max() < 1e-4, "wrong result"
        f = module.f
        python = per_call(lambda: f(a, b, c), args.calls, args.rounds)
        inside = min(f.bench(a, b, c, samples=args.rounds) for _ in range(3))
        numpy = per_call(lambda: np.matmul(a, b, out=c), args.calls, args.rounds)
        print(f"| {m}x{k}x{n} f32 | {python * 1e6:.2f} | {inside * 1e6:.2f} | "
              f"{(python - inside) * 1e6:.2f} | {numpy * 1e6:.2f} |")
        # tessel.matmul: its checks and kernel cache on top of the call.
        tessel.matmul(a, b, out=c, threads=1)
        assert np.abs(c - a.astype(np.float64) @ b).max() < 1e-4, "wrong result"
        whole = per_call(lambda: tessel.matmul(a, b, out=c, threads=1),
                         args.calls, args.rounds)
        print(f"| tessel.matmul {m}x{k}x{n} | {whole * 1e6:.2f} | "
              f"{inside * 1e6:.2f} | {(whole - inside) * 1e6:.2f} | |")


if __name__ == "__main__":
    main()

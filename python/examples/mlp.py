"""A small MLP layer with Tessel: y = relu(x @ W + b), checked against numpy.

    PYTHONPATH=build/python_packages python3 python/examples/mlp.py

The layer is stated as spec ops (a matmul, a bias add broadcast along rows,
a ReLU); Tessel searches a program for each and compiles the function once.
The same function written in linalg (what a framework emits) compiles the
same way: tessel.compile imports linalg first.
"""
import sys

import numpy as np

import tessel

BATCH, IN, OUT = 32, 256, 128

LAYER = f"""
func.func @layer(%x: memref<{BATCH}x{IN}xf32>, %w: memref<{IN}x{OUT}xf32>,
                 %b: memref<1x{OUT}xf32>, %y: memref<{BATCH}x{OUT}xf32>) {{
  spec.matmul %y = %x * %w : memref<{BATCH}x{IN}xf32> * memref<{IN}x{OUT}xf32>
      -> memref<{BATCH}x{OUT}xf32>
  spec.add %y = add(%y, %b) : memref<{BATCH}x{OUT}xf32>, memref<1x{OUT}xf32>
      -> memref<{BATCH}x{OUT}xf32>
  spec.relu %y = relu(%y) : memref<{BATCH}x{OUT}xf32> -> memref<{BATCH}x{OUT}xf32>
  return
}}
"""


def main():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, IN), dtype=np.float32)
    w = rng.standard_normal((IN, OUT), dtype=np.float32) / np.sqrt(IN)
    b = rng.standard_normal((1, OUT), dtype=np.float32)

    module = tessel.compile(LAYER, threads=1)
    y = np.empty((BATCH, OUT), dtype=np.float32)
    module.layer(x, w, b, y)

    want = np.maximum(x.astype(np.float64) @ w + b, 0)
    error = np.abs(y - want).max()
    seconds = module.bench("layer")
    numpy_seconds = min(_time(lambda: np.maximum(x @ w + b, 0)) for _ in range(5))
    print(f"layer {BATCH}x{IN} -> {OUT}: max |error| {error:.2e}; "
          f"Tessel {seconds * 1e6:.1f} us, numpy {numpy_seconds * 1e6:.1f} us")
    if not error < 1e-4:
        print("FAILED: the layer does not match numpy")
        return 1
    print("OK")
    return 0


def _time(fn, calls=200):
    import time
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


if __name__ == "__main__":
    sys.exit(main())

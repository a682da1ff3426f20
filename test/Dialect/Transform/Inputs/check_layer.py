# Compiles the module a transform schedule produced (argv[1]) with the
# Python package and checks @layer against numpy: y += x @ w; y += b;
# p = softmax(y) along rows.
import sys

import numpy as np

import tessel

module = tessel.compile(sys.argv[1], threads=1)
rng = np.random.default_rng(3)
x = rng.standard_normal((8, 32), dtype=np.float32)
w = rng.standard_normal((32, 16), dtype=np.float32)
b = rng.standard_normal((8, 16), dtype=np.float32)
y0 = rng.standard_normal((8, 16), dtype=np.float32)
y, p = y0.copy(), np.empty((8, 16), np.float32)
module.layer(x, w, b, y, p)
want_y = y0 + x.astype(np.float64) @ w + b
e = np.exp(want_y - want_y.max(axis=1, keepdims=True))
want_p = e / e.sum(axis=1, keepdims=True)
print("y error", np.abs(y - want_y).max(), "p error", np.abs(p - want_p).max())
assert np.abs(y - want_y).max() < 1e-4 and np.abs(p - want_p).max() < 1e-5
print("OK")

# RUN: %pytest %s
"""spec.reduce max and min on special values, checked against numpy: a NaN
anywhere in a row (the first lane, the middle, the masked last vector)
makes the row's result NaN, infinities and signed zeros compare as numbers.
Random finite data is the differential tests' business; this is the
kernels' NaN tracking, along the contiguous dim (per-lane accumulators)
and across rows (out's rows accumulate x's rows)."""
import numpy as np
import pytest

import tessel

LENGTHS = [1, 15, 16, 17, 64, 100, 257]


def reduce_source(fn, rows, cols, dim):
    x = f"memref<{rows}x{cols}xf32>"
    y = f"memref<{rows}x1xf32>" if dim == 1 else f"memref<1x{cols}xf32>"
    return (f"func.func @r(%x: {x}, %y: {y}) {{\n"
            f"  spec.reduce %y = {fn}(%x) along {dim} : {x} -> {y}\n"
            f"  return\n}}\n")


def special_rows(rng, rows, length):
    """Rows of random numbers, with NaN, infinities and zeros planted."""
    x = rng.standard_normal((rows, length)).astype(np.float32)
    for r in range(rows):
        kind = r % 6
        if kind == 1:
            x[r, 0] = np.nan                       # the first element
        elif kind == 2:
            x[r, length // 2] = np.nan             # the middle
        elif kind == 3:
            x[r, length - 1] = -np.nan             # the last, negative NaN
        elif kind == 4:
            x[r, rng.integers(length)] = np.inf
            x[r, rng.integers(length)] = -np.inf
        elif kind == 5:
            x[r, :] = -np.abs(x[r, :])
            x[r, rng.integers(length)] = 0.0
            x[r, rng.integers(length)] = -0.0
    return x


@pytest.mark.parametrize("fn", ["max", "min"])
@pytest.mark.parametrize("length", LENGTHS)
def test_along_rows_propagates_nan(fn, length, rng):
    rows = 12
    module = tessel.compile(reduce_source(fn, rows, length, 1), threads=1)
    x = special_rows(rng, rows, length)
    if fn == "min":
        x = -x
    y = np.zeros((rows, 1), np.float32)
    module.r(x, y)
    want = (np.max if fn == "max" else np.min)(x, axis=1, keepdims=True)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(want))
    np.testing.assert_array_equal(y[~np.isnan(y)], want[~np.isnan(want)])


@pytest.mark.parametrize("fn", ["max", "min"])
@pytest.mark.parametrize("length", LENGTHS)
def test_across_rows_propagates_nan(fn, length, rng):
    # Columns of x are the rows above: the reduction runs across rows.
    cols = 12
    module = tessel.compile(reduce_source(fn, length, cols, 0), threads=1)
    x = np.ascontiguousarray(special_rows(rng, cols, length).T)
    if fn == "min":
        x = -x
    y = np.zeros((1, cols), np.float32)
    module.r(x, y)
    want = (np.max if fn == "max" else np.min)(x, axis=0, keepdims=True)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(want))
    np.testing.assert_array_equal(y[~np.isnan(y)], want[~np.isnan(want)])

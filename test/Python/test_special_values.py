# RUN: %pytest %s
"""Maxima and minima on special values, checked against numpy: spec.reduce
max and min, where a NaN anywhere in a row (the first lane, the middle, the
masked last vector, or already in an accumulated output) makes the row's
result NaN and infinities and signed zeros compare as numbers; and the
elementwise max, min and relu, NaN from either operand. Random finite data
is the differential tests' business; this is the kernels' NaN handling
(compare-and-select code keeps only one operand's NaN by itself), along
the contiguous dim (per-lane accumulators) and across rows (out's rows
accumulate x's rows)."""
import numpy as np
import pytest

import tessel

LENGTHS = [1, 15, 16, 17, 64, 100, 257]


def reduce_source(fn, rows, cols, dim, accumulate=False):
    x = f"memref<{rows}x{cols}xf32>"
    y = f"memref<{rows}x1xf32>" if dim == 1 else f"memref<1x{cols}xf32>"
    op = "+=" if accumulate else "="
    return (f"func.func @r(%x: {x}, %y: {y}) {{\n"
            f"  spec.reduce %y {op} {fn}(%x) along {dim} : {x} -> {y}\n"
            f"  return\n}}\n")


def assert_same(got, want):
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(got)], want[~np.isnan(want)])


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
    assert_same(y, want)


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
    assert_same(y, want)


@pytest.mark.parametrize("fn", ["max", "min"])
@pytest.mark.parametrize("dim", [0, 1])
def test_accumulating_into_nan_stays_nan(fn, dim, rng):
    # y += max(x): a NaN already in y is the first accumulator's start (or
    # joins the row's total); an infinity in y wins or loses as a number.
    n = 40
    module = tessel.compile(reduce_source(fn, n, n, dim, accumulate=True),
                            threads=1)
    x = rng.standard_normal((n, n)).astype(np.float32)
    shape = (n, 1) if dim == 1 else (1, n)
    y0 = rng.standard_normal(shape).astype(np.float32)
    y0.flat[::3] = np.nan
    y0.flat[1::7] = np.inf
    y0.flat[2::7] = -np.inf
    y = y0.copy()
    module.r(x, y)
    pick = np.max if fn == "max" else np.min
    want = pick(np.concatenate([x, y0], axis=dim), axis=dim, keepdims=True)
    assert_same(y, want)


def binary_source(fn, rows, cols):
    t = f"memref<{rows}x{cols}xf32>"
    return (f"func.func @f(%x: {t}, %y: {t}, %z: {t}) {{\n"
            f"  spec.{fn} %z = {fn}(%x, %y) : {t}, {t} -> {t}\n"
            f"  return\n}}\n")


@pytest.mark.parametrize("fn", ["max", "min"])
def test_elementwise_nan_from_either_operand(fn, rng):
    rows, cols = 6, 37
    module = tessel.compile(binary_source(fn, rows, cols), threads=1)
    x = special_rows(rng, rows, cols)
    y = special_rows(rng, rows, cols)[::-1].copy()
    z = np.zeros((rows, cols), np.float32)
    module.f(x, y, z)
    assert np.isnan(x).any() and np.isnan(y).any()
    assert_same(z, (np.maximum if fn == "max" else np.minimum)(x, y))


def test_relu_passes_nan(rng):
    rows, cols = 6, 37
    t = f"memref<{rows}x{cols}xf32>"
    module = tessel.compile(
        f"func.func @f(%x: {t}, %z: {t}) {{\n"
        f"  spec.relu %z = relu(%x) : {t} -> {t}\n  return\n}}\n", threads=1)
    x = special_rows(rng, rows, cols)
    z = np.zeros((rows, cols), np.float32)
    module.f(x, z)
    assert_same(z, np.where(np.isnan(x), x, np.maximum(x, 0)))

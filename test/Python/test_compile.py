# RUN: %pytest %s
"""tessel.compile: modules of spec and linalg ops called on numpy arrays,
checked against numpy across shapes, dtypes and layouts."""
import threading

import numpy as np
import pytest

import tessel
from conftest import matmul_source


def reference_check(got, a, b, c0=None):
    """got == c0 + a @ b within a bound scaled by sum |a||b| (f32 sums)."""
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    want = a64 @ b64 + (0 if c0 is None else c0)
    scale = np.abs(a64) @ np.abs(b64) + 1e-30
    err = np.abs(got.astype(np.float64) - want) / scale
    assert err.max() < 1e-5, f"max scaled error {err.max()}"


SHAPES = [(1, 1, 1), (1, 7, 1), (13, 7, 5), (17, 31, 3), (64, 64, 64),
          (97, 101, 89), (128, 1, 256), (3, 257, 2)]


@pytest.mark.parametrize("m,k,n", SHAPES)
def test_matmul_function_matches_numpy(m, k, n, rng):
    module = tessel.compile(matmul_source("gemm", m, k, n), threads=1)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.full((m, n), np.nan, dtype=np.float32)
    module.gemm(a, b, c)
    reference_check(c, a, b)


def test_accumulate_adds_into_the_output(rng):
    module = tessel.compile(matmul_source("gemm", 33, 20, 17, accumulate=True),
                            threads=1)
    a = rng.standard_normal((33, 20), dtype=np.float32)
    b = rng.standard_normal((20, 17), dtype=np.float32)
    c0 = rng.standard_normal((33, 17), dtype=np.float32)
    c = c0.copy()
    module["gemm"](a, b, c)
    reference_check(c, a, b, c0)


def test_column_major_operand_in_its_own_layout_and_copied(rng):
    # B declared column-major: a transposed view goes straight in, a
    # row-major array is copied into that layout first.
    module = tessel.compile(
        matmul_source("gemm", 24, 40, 16, b_layout="strided<[1, 40]>"),
        threads=1)
    assert module.gemm.arguments[1]["strides"] == (1, 40)
    a = rng.standard_normal((24, 40), dtype=np.float32)
    bt = rng.standard_normal((16, 40), dtype=np.float32)
    for b in (bt.T, np.ascontiguousarray(bt.T)):
        c = np.zeros((24, 16), dtype=np.float32)
        module.gemm(a, b, c)
        reference_check(c, a, bt.T)


def test_non_contiguous_arrays_are_handled(rng):
    module = tessel.compile(matmul_source("gemm", 9, 11, 7), threads=1)
    big_a = rng.standard_normal((18, 30), dtype=np.float32)
    a = big_a[::2, 3:14]                                    # strided rows
    b = rng.standard_normal((11, 7), dtype=np.float32)[::-1]  # negative stride
    out = np.zeros((9, 20), dtype=np.float32)
    c = out[:, 5:19:2]                                      # strided output
    module.gemm(a, b, c)
    reference_check(c, a, b)
    # Nothing outside the output view was written.
    mask = np.ones_like(out, dtype=bool)
    mask[:, 5:19:2] = False
    assert not out[mask].any()


def test_bf16_inputs_as_uint16_bits(rng):
    module = tessel.compile(matmul_source("gemm", 16, 64, 32, dtype="bf16"),
                            threads=1)
    a = tessel.to_bf16(rng.standard_normal((16, 64)))
    b = tessel.to_bf16(rng.standard_normal((64, 32)))
    assert a.dtype == np.uint16
    c = np.zeros((16, 32), dtype=np.float32)
    module.gemm(a, b, c)
    reference_check(c, tessel.from_bf16(a), tessel.from_bf16(b))


def test_bf16_round_trip():
    x = np.array([1.0, -2.5, 3.140625, 1e-3, np.inf, np.nan], dtype=np.float32)
    back = tessel.from_bf16(tessel.to_bf16(x))
    assert back[0] == 1.0 and back[1] == -2.5 and back[2] == 3.140625
    assert abs(back[3] - 1e-3) < 1e-5 and np.isinf(back[4])
    assert np.isnan(back[5])
    # Bits in any integer type are taken; floats are not bits (cast to
    # integers they would be read as tiny numbers, with no error).
    assert tessel.from_bf16([0x3F80, 0xC020])[1] == -2.5
    with pytest.raises(TypeError, match="uint16"):
        tessel.from_bf16(np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="0 to 65535"):
        tessel.from_bf16(np.array([70000]))


def test_linalg_layer_imported_and_run(rng):
    # y = relu(x @ w + bias) in linalg, as a framework would emit it.
    source = """
    #id = affine_map<(i, j) -> (i, j)>
    #row = affine_map<(i, j) -> (j)>
    func.func @layer(%x: memref<8x32xf32>, %w: memref<32x16xf32>,
                     %bias: memref<16xf32>, %y: memref<8x16xf32>) {
      %zero = arith.constant 0.0 : f32
      linalg.fill ins(%zero : f32) outs(%y : memref<8x16xf32>)
      linalg.matmul ins(%x, %w : memref<8x32xf32>, memref<32x16xf32>)
                    outs(%y : memref<8x16xf32>)
      linalg.generic {indexing_maps = [#id, #row, #id],
                      iterator_types = ["parallel", "parallel"]}
          ins(%y, %bias : memref<8x16xf32>, memref<16xf32>)
          outs(%y : memref<8x16xf32>) {
        ^bb0(%v: f32, %b: f32, %o: f32):
          %s = arith.addf %v, %b : f32
          %r = arith.maximumf %s, %zero : f32
          linalg.yield %r : f32
      }
      return
    }
    """
    module = tessel.compile(source, threads=1)
    x = rng.standard_normal((8, 32), dtype=np.float32)
    w = rng.standard_normal((32, 16), dtype=np.float32)
    bias = rng.standard_normal(16, dtype=np.float32)
    y = np.empty((8, 16), dtype=np.float32)
    module.layer(x, w, bias, y)
    want = np.maximum(x.astype(np.float64) @ w + bias, 0)
    assert np.abs(y - want).max() < 1e-4
    assert [a["written"] for a in module.layer.arguments] == [False, False,
                                                               False, True]


@pytest.mark.parametrize("elem,dtype", [("f64", np.float64), ("i32", np.int32),
                                        ("i64", np.int64), ("i8", np.int8),
                                        ("f16", np.float16)])
def test_other_dtypes_through_upstream_lowering(elem, dtype, rng):
    # Tessel has no spec for these: upstream lowers them, still callable.
    source = f"""
    func.func @add(%a: memref<5x3x{elem}>, %b: memref<5x3x{elem}>,
                   %c: memref<5x3x{elem}>) {{
      linalg.add ins(%a, %b : memref<5x3x{elem}>, memref<5x3x{elem}>)
                 outs(%c : memref<5x3x{elem}>)
      return
    }}
    """
    module = tessel.compile(source, threads=1)
    a = (rng.standard_normal((5, 3)) * 10).astype(dtype)
    b = (rng.standard_normal((5, 3)) * 10).astype(dtype)
    c = np.zeros((5, 3), dtype=dtype)
    module.add(a, b, c)
    assert np.array_equal(c, a + b)


def test_in_place_and_overlapping_inputs_are_copied(rng):
    source = """
    func.func @shift_add(%a: memref<6xf32>, %b: memref<6xf32>,
                         %c: memref<6xf32>) {
      spec.add %c = add(%a, %b) : memref<6xf32>, memref<6xf32> -> memref<6xf32>
      return
    }
    """
    module = tessel.compile(source, threads=1)
    x = np.arange(8, dtype=np.float32)
    want = x[0:6] + x[1:7]
    module.shift_add(x[0:6], x[1:7], x[2:8])  # the output overlaps both
    assert np.array_equal(x[2:8], want)
    y = np.arange(6, dtype=np.float32)
    module.shift_add(y, y, y)                 # exactly in place
    assert np.array_equal(y, 2 * np.arange(6, dtype=np.float32))


def test_module_interface(rng):
    source = matmul_source("bench", 4, 4, 4) + matmul_source("other", 2, 3, 4)
    module = tessel.compile(source, threads=1)
    assert module.functions == ["bench", "other"]
    assert "other" in module and "nope" not in module
    # A function named like a method is reached by name.
    assert module["bench"].name == "bench"
    assert callable(module.bench)
    assert module["other"].flops == 2 * 2 * 3 * 4
    seconds = module.bench("other")
    assert 0 < seconds < 1
    a, b = np.ones((2, 3), np.float32), np.ones((3, 4), np.float32)
    c = np.zeros((2, 4), np.float32)
    assert 0 < module.bench("other", a, b, c, samples=2) < 1
    assert np.all(c == 3)


def test_uncallable_functions_are_left_out_with_a_reason():
    source = matmul_source("gemm", 4, 4, 4) + """
    func.func @dynamic(%a: memref<?xf32>) {
      return
    }
    """
    with pytest.warns(UserWarning, match="'dynamic' cannot be called"):
        module = tessel.compile(source, threads=1)
    assert module.functions == ["gemm"]
    with pytest.raises(KeyError, match="memref<\\?xf32>"):
        module["dynamic"]


def test_source_from_a_path(tmp_path, rng):
    path = tmp_path / "k.mlir"
    path.write_text(matmul_source("gemm", 5, 6, 7))
    for source in (path, str(path)):
        module = tessel.compile(source, threads=1)
        a = rng.standard_normal((5, 6), dtype=np.float32)
        b = rng.standard_normal((6, 7), dtype=np.float32)
        c = np.zeros((5, 7), np.float32)
        module.gemm(a, b, c)
        reference_check(c, a, b)


def test_two_threads_call_one_kernel(rng):
    module = tessel.compile(matmul_source("gemm", 96, 80, 72), threads=1)
    inputs = [(rng.standard_normal((96, 80), dtype=np.float32),
               rng.standard_normal((80, 72), dtype=np.float32))
              for _ in range(2)]
    results = [np.zeros((96, 72), np.float32) for _ in range(2)]
    errors = []

    def work(i):
        try:
            a, b = inputs[i]
            for _ in range(200):
                results[i][:] = 0
                module.gemm(a, b, results[i])
                reference_check(results[i], a, b)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_explain_and_database(tmp_path):
    db = tmp_path / "memo.db"
    text = tessel.explain(matmul_source("gemm", 64, 64, 64), threads=1, db=db)
    assert "spec.matmul" in text and "Matmul 64x64x64" in text
    stats = tessel.Database(db).stats()
    assert stats["specs_solved"] > 0 and stats["file_bytes"] > 0
    assert stats["target"]
    # The same database serves a compile of the same spec.
    module = tessel.compile(matmul_source("gemm", 64, 64, 64), threads=1, db=db)
    assert module.functions == ["gemm"]


def test_progress_callback_reports_a_long_search():
    reports = []
    tessel.explain(matmul_source("gemm", 384, 384, 384), threads=2,
                   search_threads=1, progress=reports.append)
    assert reports, "a search of several seconds reported nothing"
    assert all(r["seconds"] >= 1.0 for r in reports)
    assert reports[-1]["specs_solved"] > 0
    solved = [r["specs_solved"] for r in reports]
    assert solved == sorted(solved)


def test_two_threads_compile_with_one_database_at_once(tmp_path, rng):
    db = tmp_path / "shared.db"
    modules, errors = {}, []

    def work(m):
        try:
            modules[m] = tessel.compile(matmul_source("gemm", m, 24, 40),
                                        threads=1, db=db)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(m,)) for m in (40, 56)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for m, module in modules.items():
        a = rng.standard_normal((m, 24), dtype=np.float32)
        b = rng.standard_normal((24, 40), dtype=np.float32)
        c = np.zeros((m, 40), np.float32)
        module.gemm(a, b, c)
        reference_check(c, a, b)
    assert tessel.Database(db).stats()["specs_solved"] > 0


# The host's code and AVX2's (which every host here runs): on AVX-512, 2^k
# comes from vscalefps, else from two powers of two built in the exponent.
@pytest.mark.parametrize("target", ["host", "avx2"])
@pytest.mark.parametrize("fn", ["exp", "sigmoid"])
def test_exp_at_its_edges(fn, target):
    # Overflow, subnormal results (k odd and even, down to the rounding
    # point 2^-150), underflow to 0, infinities and NaN, in whole vectors
    # and a partial last one.
    edges = [0.0, -0.0, 1e-30, -1e-30, 1.0, -1.0, 0.5 * np.log(2), 20.0,
             88.5, 88.72, 88.73, 89.0, 1000.0, -87.3, -87.4, -95.0, -103.2,
             -103.3, -104.0, -1000.0, np.inf, -np.inf, np.nan, -103.27,
             -102.6, -103.972, -103.98]
    x = np.array(edges * 3, dtype=np.float32)
    n = x.size
    module = tessel.compile(
        f"func.func @f(%x: memref<{n}xf32>, %y: memref<{n}xf32>) {{\n"
        f"  spec.{fn} %y = {fn}(%x) : memref<{n}xf32> -> memref<{n}xf32>\n"
        "  return\n}\n", target=target, threads=1)
    y = np.full(n, 7.0, dtype=np.float32)
    module.f(x, y)
    x64 = x.astype(np.float64)
    with np.errstate(over="ignore"):
        want = np.exp(x64) if fn == "exp" else 1 / (1 + np.exp(-x64))
        want32 = want.astype(np.float32)
    assert np.array_equal(np.isnan(y), np.isnan(want32)), (x, y)
    finite = np.isfinite(want32)
    assert np.array_equal(y[~finite & ~np.isnan(y)],
                          want32[~finite & ~np.isnan(want32)]), (x, y)
    # A few ulps, and exp's subnormal results to within a few of their
    # spacing (on every ISA); sigmoid is 1 / (1 + e^-x), 0 once e^-x
    # overflows, short of its subnormal values by less than the smallest
    # normal number.
    ulp = np.spacing(np.abs(want32[finite])).astype(np.float64)
    slack = 0.0 if fn == "exp" else np.finfo(np.float32).tiny
    err = np.abs(y[finite].astype(np.float64) - want[finite])
    assert (err <= 4 * ulp + slack).all(), (x[finite], y[finite], want[finite])

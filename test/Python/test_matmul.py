# RUN: %pytest %s
"""tessel.matmul and tessel.batch_matmul on numpy arrays (and torch
tensors): results against numpy across shapes, dtypes and layouts; kernels
kept per process, and the memo kept per user so a second process starts
warm."""
import os

import numpy as np
import pytest

import tessel
from conftest import matmul_source, run_child


def assert_close(got, a, b, c0=0):
    a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
    want = a64 @ b64 + c0
    scale = np.abs(a64) @ np.abs(b64) + 1e-30
    assert got.dtype == np.float32
    assert (np.abs(got - want) / scale).max() < 1e-5


@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (7, 1, 13), (31, 37, 41),
                                   (64, 128, 96), (2, 200, 1), (101, 3, 5)])
def test_matmul_shapes(m, k, n, rng):
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    assert_close(tessel.matmul(a, b, threads=1), a, b)


def test_matmul_empty_dims_as_numpy_has_them():
    empty = tessel.matmul(np.ones((0, 3), np.float32), np.ones((3, 2), np.float32))
    assert empty.shape == (0, 2)
    zeros = tessel.matmul(np.ones((4, 0), np.float32), np.ones((0, 5), np.float32))
    assert zeros.shape == (4, 5) and not zeros.any()
    out = np.ones((4, 5), np.float32)
    tessel.matmul(np.ones((4, 0), np.float32), np.ones((0, 5), np.float32),
                  out=out, accumulate=True)
    assert (out == 1).all()


def test_matmul_layouts(rng):
    a = rng.standard_normal((40, 24), dtype=np.float32)
    bt = rng.standard_normal((16, 24), dtype=np.float32)
    assert_close(tessel.matmul(a, bt.T, threads=1), a, bt.T)          # nk
    assert_close(tessel.matmul(a.T.copy().T, bt.T, threads=1), a, bt.T)
    big = rng.standard_normal((50, 60), dtype=np.float32)
    assert_close(tessel.matmul(big[5:45:2, 10:34], bt.T, threads=1),
                 big[5:45:2, 10:34], bt.T)
    assert_close(tessel.matmul(a[::-1], bt.T, threads=1), a[::-1], bt.T)


def test_matmul_out_and_accumulate(rng):
    a = rng.standard_normal((12, 8), dtype=np.float32)
    b = rng.standard_normal((8, 10), dtype=np.float32)
    out = rng.standard_normal((12, 10), dtype=np.float32)
    c0 = out.astype(np.float64)
    result = tessel.matmul(a, b, out=out, accumulate=True, threads=1)
    assert result is out
    assert_close(out, a, b, c0)
    tessel.matmul(a, b, out=out, threads=1)
    assert_close(out, a, b)
    # A non-contiguous out is written through.
    wide = np.zeros((12, 30), dtype=np.float32)
    tessel.matmul(a, b, out=wide[:, ::3], threads=1)
    assert_close(wide[:, ::3], a, b)
    assert not wide[:, 1::3].any()


def test_matmul_bf16_bits(rng):
    a = tessel.to_bf16(rng.standard_normal((20, 64)))
    b = tessel.to_bf16(rng.standard_normal((64, 48)))
    assert_close(tessel.matmul(a, b, threads=1), tessel.from_bf16(a),
                 tessel.from_bf16(b))


def test_matmul_torch_tensors(rng):
    torch = pytest.importorskip("torch")
    a = torch.randn(9, 16, dtype=torch.float32)
    b = torch.randn(16, 5, dtype=torch.bfloat16)
    got = tessel.matmul(a.to(torch.bfloat16), b, threads=1)
    want = a.to(torch.bfloat16).float() @ b.float()
    assert np.abs(got - want.numpy()).max() < 1e-4
    # A compiled function takes tensors too, writing a float32 one in place.
    module = tessel.compile(matmul_source("gemm", 9, 16, 5), threads=1)
    out = torch.zeros(9, 5)
    module.gemm(a, b.float(), out)
    assert torch.allclose(out, a @ b.float(), atol=1e-5)


def test_batch_matmul(rng):
    a = rng.standard_normal((3, 17, 9), dtype=np.float32)
    b = rng.standard_normal((3, 9, 11), dtype=np.float32)
    got = tessel.batch_matmul(a, b, threads=1)
    for i in range(3):
        assert_close(got[i], a[i], b[i])


def test_kernels_are_kept_per_layout(rng):
    before = len(tessel._kernels)
    a = rng.standard_normal((6, 5), dtype=np.float32)
    b = rng.standard_normal((5, 4), dtype=np.float32)
    for _ in range(3):
        assert_close(tessel.matmul(a, b, threads=1), a, b)
    assert_close(tessel.matmul(a * 2, b + 1, threads=1), a * 2, b + 1)  # same key
    out = np.zeros((6, 4), np.float32)
    for _ in range(2):  # the repeat call writes `out` and accumulates
        tessel.matmul(a, b, out=out, accumulate=True, threads=1)
    assert_close(out, 2 * a, b)
    out.flags.writeable = False  # same layout, but now refused
    with pytest.raises(ValueError, match="read-only"):
        tessel.matmul(a, b, out=out, threads=1)
    assert len(tessel._kernels) == before + 2  # and the accumulating one
    tessel.matmul(a, np.asfortranarray(b), threads=1)  # another layout
    assert len(tessel._kernels) == before + 3


def test_second_process_starts_warm(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = run_child("""
import numpy as np, tessel
a = np.ones((48, 40), np.float32); b = np.ones((40, 56), np.float32)
assert (tessel.matmul(a, b, threads=1) == 40).all()
print(tessel._user_database("host", 1))
""", env)
    assert first.returncode == 0, first.stderr
    db = first.stdout.strip().splitlines()[-1]
    assert db.startswith(str(tmp_path / "cache" / "tessel"))
    assert tessel.Database(db).stats()["specs_solved"] > 0
    # With a budget of one expanded spec, only a warm memo gives the
    # program without the budget warning.
    second = run_child(f"""
import warnings, tessel
warnings.simplefilter("error")
m = tessel.compile('''{matmul_source("matmul", 48, 40, 56)}''', threads=1,
                   db={db!r}, search_budget=1)
print("warm")
""", env)
    assert second.returncode == 0, second.stderr
    assert "warm" in second.stdout
    cold = run_child(f"""
import warnings, tessel
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    tessel.compile('''{matmul_source("matmul", 48, 40, 56)}''', threads=1,
                   search_budget=1)
print(any("budget" in str(w.message) for w in caught))
""", env)
    assert cold.stdout.strip() == "True", cold.stdout + cold.stderr


def test_unwritable_cache_still_computes(tmp_path, monkeypatch, rng):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    a = rng.standard_normal((3, 2), dtype=np.float32)
    b = rng.standard_normal((2, 3), dtype=np.float32)
    assert_close(tessel.matmul(a, b, threads=2), a, b)
    assert not os.path.isdir(blocked)

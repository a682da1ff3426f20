# RUN: %pytest %s
"""Streaming stores: with a target whose memory.streaming-stores-from every
op here passes, elementwise outputs of rows of two lines or more are
written with non-temporal stores between a masked head up to the line
alignment and a masked tail. The result must be bitwise the one of
ordinary stores, at every misalignment of the output (element-misaligned
ones included), with broadcast and bf16 inputs, at one and two threads;
nothing outside the output is touched. In place, the output keeps
ordinary stores (its lines are read first anyway): the same check.
(test/Conversion/SpecToLoops/streaming-stores.mlir checks that such code
is emitted: vmovntps and sfence.)"""
import pathlib

import numpy as np
import pytest

import tessel

ROOT = pathlib.Path(__file__).resolve().parents[2]


def host_description():
    flags = pathlib.Path("/proc/cpuinfo").read_text()
    return "avx512" if " avx512f " in flags else "avx2"


@pytest.fixture(scope="module")
def targets(tmp_path_factory):
    """(streaming, ordinary) description files for this host's ISA."""
    text = (ROOT / "targets" / f"{host_description()}.target").read_text()
    assert "\nmemory.streaming-stores-from " in text
    paths = []
    for name, bytes_ in (("stream", "1"), ("ordinary", "0")):
        lines = [f"memory.streaming-stores-from {bytes_}"
                 if line.startswith("memory.streaming-stores-from ") else line
                 for line in text.splitlines()]
        path = tmp_path_factory.mktemp(name) / f"{name}.target"
        path.write_text("\n".join(lines) + "\n")
        paths.append(str(path))
    return paths


def both(source, targets, threads):
    return [tessel.compile(source, target=t, threads=threads) for t in targets]


PADDED = 136  # the output's row stride in floats


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", ["f32", "bf16"])
@pytest.mark.parametrize("rows,cols", [(1, 1), (3, 15), (5, 17), (9, 100),
                                       (4, 128)])
def test_unary_at_every_misalignment(rows, cols, dtype, threads, targets,
                                     rng):
    x_t = f"memref<{rows}x{cols}x{dtype}>"
    y_t = f"memref<{rows}x{cols}xf32, strided<[{PADDED}, 1]>>"
    source = (f"func.func @f(%x: {x_t}, %y: {y_t}) {{\n"
              f"  spec.gelu %y = gelu(%x) : {x_t} -> {y_t}\n  return\n}}\n")
    streamed, ordinary = both(source, targets, threads)
    x = rng.standard_normal((rows, cols)).astype(np.float32)
    if dtype == "bf16":
        x = tessel.to_bf16(x)
    for offset in range(17):
        memory = np.full(rows * PADDED + 32, -1.0, np.float32)
        y = memory[offset:offset + rows * PADDED].reshape(rows, PADDED)
        streamed.f(x, y[:, :cols])
        plain = np.full((rows, PADDED), -1.0, np.float32)
        ordinary.f(x, plain[:, :cols])
        np.testing.assert_array_equal(y[:, :cols], plain[:, :cols])
        # Nothing before, after or between the rows is written.
        np.testing.assert_array_equal(memory[:offset], -1.0)
        np.testing.assert_array_equal(memory[offset + rows * PADDED:], -1.0)
        np.testing.assert_array_equal(y[:, cols:], -1.0)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("cols", [7, 33, 160])
def test_binary_with_broadcast_bias_in_place(cols, threads, targets, rng):
    rows = 6
    x_t = f"memref<{rows}x{cols}xf32>"
    b_t = f"memref<1x{cols}xf32>"
    source = (f"func.func @f(%x: {x_t}, %b: {b_t}) {{\n"
              f"  spec.add %x = add(%x, %b) then relu : {x_t}, {b_t} -> {x_t}\n"
              f"  return\n}}\n")
    streamed, ordinary = both(source, targets, threads)
    x0 = rng.standard_normal((rows, cols)).astype(np.float32)
    bias = rng.standard_normal((1, cols)).astype(np.float32)
    for offset in range(0, 17, 3):
        memory = np.zeros(rows * cols + 32, np.float32)
        x = memory[offset:offset + rows * cols].reshape(rows, cols)
        x[...] = x0
        streamed.f(x, bias)
        plain = x0.copy()
        ordinary.f(plain, bias)
        np.testing.assert_array_equal(x, plain)
        assert (plain > 0).any() and (plain == 0).any()


@pytest.mark.parametrize("offset", [1, 2, 3])
def test_output_not_element_aligned(offset, targets, rng):
    # No vector of it is aligned: the kernel keeps ordinary stores (a
    # vmovntps there would fault).
    rows, cols = 8, 40
    t = f"memref<{rows}x{cols}xf32>"
    source = (f"func.func @f(%x: {t}, %y: {t}) {{\n"
              f"  spec.exp %y = exp(%x) : {t} -> {t}\n  return\n}}\n")
    streamed, ordinary = both(source, targets, 1)
    x = rng.standard_normal((rows, cols)).astype(np.float32)
    memory = bytearray(4 * rows * cols + 8)
    y = np.frombuffer(memory, np.float32, rows * cols, offset).reshape(
        rows, cols)
    assert not y.flags.aligned
    streamed.f(x, y)
    want = np.zeros((rows, cols), np.float32)
    ordinary.f(x, want)
    np.testing.assert_array_equal(y, want)
    assert memory[:offset] == bytearray(offset)

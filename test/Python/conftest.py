"""Shared fixtures of the Python package's tests."""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test gets its own memo cache (tessel.matmul writes one)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def rng():
    return np.random.default_rng(20261206)


def run_child(code, env=None):
    """Runs `code` in a fresh interpreter: a crash there cannot take the
    test run down, and its exit status and output say what happened."""
    child_env = dict(os.environ)
    child_env.update(env or {})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, env=child_env,
                          timeout=600)


def matmul_source(name, m, k, n, dtype="f32", accumulate=False,
                  a_layout="", b_layout="", c_layout=""):
    """A module with one spec.matmul function."""
    def t(shape, elem, layout):
        return f"memref<{shape}x{elem}{', ' + layout if layout else ''}>"
    a, b, c = (t(f"{m}x{k}", dtype, a_layout), t(f"{k}x{n}", dtype, b_layout),
               t(f"{m}x{n}", "f32", c_layout))
    op = "+=" if accumulate else "="
    return (f"func.func @{name}(%a: {a}, %b: {b}, %c: {c}) {{\n"
            f"  spec.matmul %c {op} %a * %b : {a} * {b} -> {c}\n"
            f"  return\n}}\n")

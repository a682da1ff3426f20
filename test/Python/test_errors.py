# RUN: %pytest %s
"""Every bad input raises a Python exception that says what is wrong, and
never crashes the interpreter: each case runs in a child process, which
must exit normally after printing the exception it caught."""
import pytest

from conftest import matmul_source, run_child

PRELUDE = f"""
import numpy as np, tessel
m = tessel.compile('''{matmul_source("gemm", 8, 6, 4)}''', threads=1)
a = np.ones((8, 6), np.float32)
b = np.ones((6, 4), np.float32)
c = np.zeros((8, 4), np.float32)
"""

CASES = {
    "wrong dtype": ("m.gemm(a.astype(np.float64), b, c)", "TypeError",
                    "argument #0 of 'gemm'"),
    "integer for float": ("m.gemm(a, b.astype(np.int32), c)", "TypeError",
                          "argument #1 of 'gemm'"),
    "wrong shape": ("m.gemm(a, b, np.zeros((8, 5), np.float32))", "ValueError",
                    "argument #2 of 'gemm' (memref<8x4xf32>) has shape 8x4"),
    "wrong rank": ("m.gemm(a.reshape(48), b, c)", "ValueError",
                   "has shape 8x6, got 48"),
    "scalar": ("m.gemm(np.float32(1), b, c)", "ValueError", "rank 0"),
    "read-only output": ("c.flags.writeable = False; m.gemm(a, b, c)",
                         "ValueError", "read-only"),
    "too few arguments": ("m.gemm(a, b)", "ValueError",
                          "takes 3 arguments"),
    "too many arguments": ("m.gemm(a, b, c, c)", "ValueError",
                           "takes 3 arguments"),
    "float32 for bf16": (
        "m3 = tessel.compile(" + repr(matmul_source("g", 2, 2, 2, dtype="bf16"))
        + "); m3.g(np.ones((2, 2), np.float32), np.ones((2, 2), np.float32), "
        "np.ones((2, 2), np.float32))", "TypeError", "tessel.to_bf16"),
    "big-endian array": ("m.gemm(a.astype('>f4'), b, c)", "TypeError",
                         "buffer format '>f'"),
    "zero-size operand in a function": (
        "tessel.compile('func.func @f(%a: memref<0x3xf32>, %b: memref<3x2xf32>,"
        " %c: memref<0x2xf32>) {\\n spec.matmul %c = %a * %b : memref<0x3xf32>"
        " * memref<3x2xf32> -> memref<0x2xf32>\\n return\\n}')", "Error",
        "empty dimension"),
    "not an array": ("m.gemm([[1.0] * 6] * 8, b, c)", "TypeError",
                     "argument #0"),
    "None argument": ("m.gemm(None, b, c)", "TypeError", "argument #0"),
    "unknown function by name": ("m['nope']", "KeyError", "no function 'nope'"),
    "unknown function attribute": ("m.nope", "AttributeError",
                                   "no function 'nope'"),
    "outputs sharing memory": (
        """m2 = tessel.compile('''
func.func @two(%x: memref<4xf32>, %y: memref<4xf32>, %z: memref<4xf32>) {
  spec.relu %y = relu(%x) : memref<4xf32> -> memref<4xf32>
  spec.neg %z = neg(%x) : memref<4xf32> -> memref<4xf32>
  return
}''', threads=1)
v = np.zeros(4, np.float32)
m2.two(np.ones(4, np.float32), v, v)""", "ValueError",
        "both written and share memory"),
    "self-overlapping output": (
        "m.gemm(a, b, np.lib.stride_tricks.as_strided(c, (8, 4), (4, 4)))",
        "ValueError", "elements share memory"),
    "garbage source": ("tessel.compile('this is not MLIR {')", "Error",
                       "<source>:1:1: error"),
    "binary garbage": ("tessel.compile(bytes(range(256)) * 4)", "Error",
                       "error"),
    "source of wrong type": ("tessel.compile(42)", "TypeError", "MLIR text"),
    "missing file": ("tessel.compile('/nonexistent/k.mlir')", "Error",
                     "cannot read /nonexistent/k.mlir"),
    "unknown target": (f"tessel.compile('''{matmul_source('g', 2, 2, 2)}''', "
                       "target='sparc')", "Error", "unknown target 'sparc'"),
    "negative threads": (f"tessel.compile('''{matmul_source('g', 2, 2, 2)}''', "
                         "threads=-1)", "ValueError", "threads"),
    "negative search budget": (
        "tessel.compile(" + repr(matmul_source("g", 2, 2, 2))
        + ", search_budget=-1)", "ValueError", "search_budget"),
    "huge thread count": (
        "tessel.compile(" + repr(matmul_source("g", 2, 2, 2))
        + ", threads=2**40)", "ValueError", "threads"),
    "mismatched verifier shapes": (
        "tessel.compile('''func.func @f(%a: memref<2x3xf32>, "
        "%b: memref<4x5xf32>, %c: memref<2x5xf32>) {\\n  spec.matmul %c = "
        "%a * %b : memref<2x3xf32> * memref<4x5xf32> -> memref<2x5xf32>\\n"
        "  return\\n}''')", "Error", "<source>:2:3: error"),
    "function returning a value": (
        "tessel.compile('func.func @f() -> f32 {\\n %z = arith.constant 0.0 "
        ": f32\\n return %z : f32\\n}')", "Error", "returns values"),
    "only dynamic shapes": (
        "tessel.compile('func.func @f(%a: memref<?x4xf32>) {\\n return\\n}')",
        "Error", "memref<?x4xf32>"),
    "no function at all": ("tessel.compile('module {}')", "Error",
                           "no public function"),
    "deep nesting": ("tessel.compile('(' * 5000)", "Error",
                     "nest deeper than 1000"),
    "damaged database": (
        f"""open('damaged.db', 'wb').write(b'TESSEL' + bytes(100))
tessel.compile('''{matmul_source('g', 2, 2, 2)}''', db='damaged.db')""",
        "Error", "damaged.db"),
    "database stats of a non-database": (
        "open('x.db', 'w').write('hello'); tessel.Database('x.db').stats()",
        "Error", "x.db"),
    "matmul mismatched shapes": (
        "tessel.matmul(np.ones((3, 4), np.float32), np.ones((5, 2), np.float32))",
        "ValueError", "do not match"),
    "matmul wrong rank": (
        "tessel.matmul(np.ones(3, np.float32), np.ones((3, 2), np.float32))",
        "ValueError", "2 dims"),
    "matmul float64": (
        "tessel.matmul(np.ones((3, 4)), np.ones((4, 2)))", "TypeError",
        "float32"),
    "matmul mixed dtypes": (
        "tessel.matmul(np.ones((3, 4), np.float32), "
        "np.ones((4, 2), np.uint16))", "TypeError", "one dtype"),
    "matmul wrong out shape": (
        "tessel.matmul(a, b, out=np.zeros((8, 5), np.float32))", "ValueError",
        "out must have shape"),
    "matmul read-only out": (
        "o = np.zeros((8, 4), np.float32); o.flags.writeable = False; "
        "tessel.matmul(a, b, out=o)", "ValueError", "read-only"),
    "batch_matmul mismatched batch": (
        "tessel.batch_matmul(np.ones((2, 3, 4), np.float32), "
        "np.ones((3, 4, 5), np.float32))", "ValueError", "do not match"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_raises(case, tmp_path):
    statement, exception, text = CASES[case]
    code = PRELUDE + f"""
import os
os.chdir({str(tmp_path)!r})
try:
{chr(10).join('    ' + line for line in statement.splitlines())}
except Exception as e:
    print("RAISED", type(e).__name__)
    print(e)
else:
    print("NOTHING RAISED")
"""
    child = run_child(code)
    assert child.returncode == 0, (
        f"the interpreter died ({child.returncode}):\n{child.stderr}")
    assert f"RAISED {exception}\n" in child.stdout, child.stdout + child.stderr
    assert text in child.stdout, child.stdout


def test_compile_error_carries_located_diagnostics():
    child = run_child("""
import tessel
try:
    tessel.compile('func.func @f(%a: memref<2xf32>) {\\n  spec.bogus %a\\n}')
except tessel.Error as e:
    print(e.diagnostics[0])
""")
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("<source>:2:3: error:"), child.stdout

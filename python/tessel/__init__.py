"""Tessel from Python: synthesize fast kernels and call them on numpy arrays.

    import numpy as np, tessel

    c = tessel.matmul(a, b)                     # compiled once per shape/layout
    m = tessel.compile(open("k.mlir").read())   # spec or linalg ops on memrefs
    m.gemm(a, b, c)                             # outputs are written in place
    print(tessel.explain(source))               # the program the search picked

Every memref argument is an array with the buffer protocol (numpy above all):
its dtype, shape and writability are checked against the function's
signature (TypeError / ValueError naming the argument); arrays laid out
otherwise than the signature are copied in and out around the call. The GIL
is released while a kernel runs, and one function may be called from several
threads at once. bfloat16 travels as its bits: numpy uint16 arrays (see
to_bf16 / from_bf16), or torch.bfloat16 tensors, which are viewed as such.
Compile errors raise tessel.Error with the located diagnostics.
"""

import hashlib
import os
import sys
import threading
import warnings

from . import _config


def _import_numpy():
    """numpy, from this interpreter or (same Python version) from where the
    build found it: Debian's python3-numpy serves a second interpreter too."""
    try:
        import numpy
        return numpy
    except ImportError:
        path = _config.NUMPY_PATH
        if (path and sys.version_info[:2] == _config.PYTHON_VERSION
                and path not in sys.path):
            sys.path.append(path)
            import numpy
            return numpy
        raise


np = _import_numpy()

from ._tessel import Error, Function  # noqa: E402
from . import _tessel  # noqa: E402

__version__ = _tessel.version
__all__ = ["Error", "Function", "Module", "Database", "compile", "explain",
           "matmul", "batch_matmul", "to_bf16", "from_bf16", "cache_dir"]


def _source_text(source):
    """MLIR text and a name for diagnostics, from text or a path."""
    if isinstance(source, os.PathLike) or (
            isinstance(source, str) and "\n" not in source and "{" not in source
            and (source.endswith(".mlir") or os.path.isfile(source))):
        path = os.fspath(source)
        try:
            with open(path, encoding="utf-8") as f:
                return f.read(), path
        except OSError as e:
            raise Error(f"cannot read {path}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise Error(f"{path} is not UTF-8 text") from None
    if isinstance(source, bytes):
        source = source.decode("utf-8", errors="replace")
    if not isinstance(source, str):
        raise TypeError("source must be MLIR text (str), or a path to a "
                        f".mlir file, got {type(source).__name__}")
    return source, "<source>"


def _options(target, threads, search_threads, search_budget, db,
             ignore_db_mismatch, progress):
    def count(name, value, bits):
        if value is None:
            return 0
        if not isinstance(value, int) or not 0 <= value < 2 ** bits:
            raise ValueError(f"{name} must be None or a count from 0 to "
                             f"2^{bits} - 1, got {value!r}")
        return value

    threads = count("threads", threads, 32)
    search_threads = count("search_threads", search_threads, 32)
    if search_budget is not None:
        search_budget = count("search_budget", search_budget, 64)
    if progress is not None and not callable(progress):
        raise TypeError("progress must be callable (it receives a dict)")
    return dict(target=str(target), threads=threads,
                search_threads=search_threads, search_budget=search_budget,
                db=os.fspath(db) if db is not None else "",
                ignore_db_mismatch=bool(ignore_db_mismatch), progress=progress)


class Module:
    """A compiled module: `module.NAME(*arrays)` or `module["NAME"](*arrays)`."""

    def __init__(self, native, name):
        self._native = native
        self._name = name
        self._functions = {f.name: f for f in native.functions()}
        for fname, fn in self._functions.items():
            # Methods keep their names; such functions are module["NAME"].
            if fname.isidentifier() and not hasattr(Module, fname):
                setattr(self, fname, fn)
        if native.diagnostics:
            warnings.warn(native.diagnostics, stacklevel=3)

    @property
    def functions(self):
        """The names of the callable functions."""
        return list(self._functions)

    @property
    def diagnostics(self):
        """Warnings and remarks printed while compiling."""
        return self._native.diagnostics

    def _missing(self, name):
        why = self._native.why_not_callable(name)
        if why:
            return f"{self._name}: '{name}' cannot be called: {why}"
        return (f"{self._name} has no function '{name}'; it has "
                f"{', '.join(self._functions) or 'none'}")

    def __getitem__(self, name):
        try:
            return self._functions[name]
        except KeyError:
            raise KeyError(self._missing(name)) from None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(self._missing(name))

    def __contains__(self, name):
        return name in self._functions

    def __iter__(self):
        return iter(self._functions.values())

    def bench(self, name, *arrays, samples=5):
        """Best seconds of one call of `name` over `samples` timed batches,
        on `arrays` or, without them, on random arrays of its own."""
        return self[name].bench(*arrays, samples=samples)

    def __repr__(self):
        return f"<tessel.Module {self._name}: {', '.join(self._functions)}>"


def compile(source, *, target="host", threads=None, db=None,
            search_threads=None, search_budget=None, ignore_db_mismatch=False,
            progress=None):
    """Compiles MLIR text (or a .mlir path) of spec or linalg ops on memrefs.

    target: "host", a shipped target ("avx512", "avx2", "zen5",
    "sapphire-rapids") or the path of a .target description; threads: cores
    to synthesize for and run on (None: all); db: a memo database file to read and update;
    progress: called with a dict (specs_solved, memo_hits, seconds, ...)
    while a search runs longer than a second.
    """
    text, name = _source_text(source)
    options = _options(target, threads, search_threads, search_budget, db,
                       ignore_db_mismatch, progress)
    return Module(_tessel.compile(text, name, **options), name)


def explain(source, *, target="host", threads=None, db=None,
            search_threads=None, search_budget=None, ignore_db_mismatch=False,
            progress=None):
    """Each spec op of `source` and the program the search picks, as text."""
    text, name = _source_text(source)
    options = _options(target, threads, search_threads, search_budget, db,
                       ignore_db_mismatch, progress)
    return _tessel.explain(text, name, **options)


class Database:
    """A memo database file (read only here)."""

    def __init__(self, path):
        self.path = os.fspath(path)

    def stats(self):
        """Target, tables, specs solved, boxes, side entries and file bytes."""
        return _tessel.database_stats(self.path)

    def __repr__(self):
        return f"<tessel.Database {self.path}>"


# --- bfloat16 ---------------------------------------------------------------

def to_bf16(x):
    """bfloat16 bits (uint16) of `x`, rounded to nearest even."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounded = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
    nan = np.isnan(np.asarray(x, dtype=np.float32))
    out = (rounded >> np.uint32(16)).astype(np.uint16)
    out[nan] = 0x7FC0
    return out


def from_bf16(bits):
    """float32 values of bfloat16 bits (uint16, as to_bf16 gives them)."""
    array = np.asarray(bits)
    if array.dtype != np.uint16:
        # Floats would be cast to integers and read as bits: no error, and
        # every value wrong.
        if array.dtype.kind not in "iu":
            raise TypeError(
                f"from_bf16 takes bfloat16 bits (uint16), not {array.dtype} "
                "values; to_bf16 gives the bits of floats")
        if array.size and (array.min() < 0 or array.max() > 0xFFFF):
            raise ValueError("from_bf16 takes bfloat16 bits: integers from 0 "
                             "to 65535")
    bits = np.ascontiguousarray(array, dtype=np.uint16)
    return (bits.astype(np.uint32) << np.uint32(16)).view(np.float32)


def _is_torch_tensor(x):
    return type(x).__module__.startswith("torch") and hasattr(x, "dtype")


def _as_buffer(x, where="the argument"):
    """A buffer-protocol view of an array-like that shares its memory:
    torch tensors (bfloat16 as uint16 bits) and __array_interface__ objects.
    Called by Function for objects without the buffer protocol."""
    if _is_torch_tensor(x):
        import torch
        if x.device.type != "cpu":
            raise TypeError(f"{where} is a torch tensor on {x.device}; "
                            "Tessel runs on the CPU")
        x = x.detach()
        if x.dtype == torch.bfloat16:
            return x.view(torch.int16).numpy().view(np.uint16)
        return x.numpy()
    if hasattr(x, "__array_interface__") or hasattr(x, "__array__"):
        return np.asarray(x)
    raise TypeError(f"{where} must be an array with the buffer protocol "
                    f"(e.g. numpy), got {type(x).__name__}")


# --- matmul -----------------------------------------------------------------

def cache_dir():
    """Where matmul keeps its memo databases: $XDG_CACHE_HOME/tessel (or
    ~/.cache/tessel)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tessel")


def _machine_key():
    """Names the database of this kind of machine: the cost model is a
    claim about it, and a home folder may be shared between machines."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            info = [line for line in f if line.startswith(("model name", "flags"))]
        text = "".join(sorted(set(info)))
    except OSError:
        text = ""
    text += str(os.cpu_count())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _user_database(target, threads):
    folder = cache_dir()
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return ""
    if not os.access(folder, os.W_OK):
        return ""
    # A database serves one target and core count.
    cores = threads or "all"
    return os.path.join(folder, f"memo-{target}-{cores}-{_machine_key()}.db")


_kernels = {}
_kernels_lock = threading.Lock()

_DTYPES = {"float32": "f32", "uint16": "bf16", "int16": "bf16"}


def _operand(x, name):
    if _is_torch_tensor(x):
        x = _as_buffer(x, name)
    elif not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.dtype.name not in _DTYPES:
        raise TypeError(f"{name} must be float32, or bfloat16 as uint16 bits "
                        f"(tessel.to_bf16) or torch.bfloat16; got {x.dtype}")
    return x


def _memref(x, elem):
    """The memref type of array `x`, or None if its strides have no memref
    form (negative or not a multiple of the element size)."""
    size = x.dtype.itemsize
    strides = []
    dense = 1
    for extent, stride in reversed(list(zip(x.shape, x.strides))):
        if extent == 1:
            stride = dense * size  # any stride works: one spelling, one kernel
        if stride < 0 or stride % size:
            return None
        strides.insert(0, stride // size)
        dense *= extent
    shape = "x".join(str(d) for d in x.shape)
    layout = ", ".join(str(s) for s in strides)
    return f"memref<{shape}x{elem}, strided<[{layout}]>>"


# Calls seen before on numpy arrays in their own layouts, by everything that
# picks the kernel: the repeat call skips the checks that chose it.
_repeat_calls = {}


def _repeat_key(a, b, out, threads, accumulate, target, rank):
    if type(a) is not np.ndarray or type(b) is not np.ndarray:
        return None
    if out is None:
        out_key = None
    elif type(out) is np.ndarray:
        out_key = (out.dtype.char, out.shape, out.strides, out.flags.writeable)
    else:
        return None
    return (rank, a.dtype.char, a.shape, a.strides, b.dtype.char, b.shape,
            b.strides, out_key, accumulate, target, threads)


def _matmul(a, b, out, threads, accumulate, target, rank):
    repeat = _repeat_key(a, b, out, threads, accumulate, target, rank)
    known = _repeat_calls.get(repeat) if repeat else None
    if known:
        fn, shape = known
        if out is None:
            out = (np.zeros if accumulate else np.empty)(shape, dtype=np.float32)
        fn(a, b, out)
        return out
    a = _operand(a, "a")
    b = _operand(b, "b")
    kind = "batch_matmul" if rank == 3 else "matmul"
    for name, x in (("a", a), ("b", b)):
        if x.ndim != rank:
            raise ValueError(f"tessel.{kind}: {name} must have {rank} dims, "
                             f"got shape {x.shape}")
    if a.shape[-1] != b.shape[-2] or a.shape[:-2] != b.shape[:-2]:
        raise ValueError(f"tessel.{kind}: shapes {a.shape} and {b.shape} do "
                         "not match (a: [batch,] m x k, b: [batch,] k x n)")
    elem = _DTYPES[a.dtype.name]
    if _DTYPES[b.dtype.name] != elem:
        raise TypeError(f"tessel.{kind}: a and b must have one dtype, got "
                        f"{a.dtype} and {b.dtype}")
    shape = a.shape[:-1] + b.shape[-1:]
    if out is None:
        out = (np.zeros if accumulate else np.empty)(shape, dtype=np.float32)
    else:
        out = _operand(out, "out") if not isinstance(out, np.ndarray) else out
        if out.dtype != np.float32:
            raise TypeError(f"tessel.{kind}: out must be float32, got {out.dtype}")
        if out.shape != shape:
            raise ValueError(f"tessel.{kind}: out must have shape {shape}, "
                             f"got {out.shape}")
        if not out.flags.writeable:
            raise ValueError(f"tessel.{kind}: out is read-only")
    if 0 in out.shape or a.shape[-1] == 0:
        # Nothing to compute, as numpy has it: an empty product is zero.
        if not accumulate:
            out[...] = 0
        return out
    operands = [a if _memref(a, elem) else np.ascontiguousarray(a),
                b if _memref(b, elem) else np.ascontiguousarray(b)]
    target_out = out if _memref(out, "f32") else np.array(out, order="C")
    types = (_memref(operands[0], elem), _memref(operands[1], elem),
             _memref(target_out, "f32"))
    key = (types, accumulate, target, threads)
    with _kernels_lock:
        fn = _kernels.get(key)
    if fn is None:
        op = "+=" if accumulate else "="
        source = (f"func.func @{kind}(%a: {types[0]}, %b: {types[1]}, "
                  f"%c: {types[2]}) {{\n"
                  f"  spec.matmul %c {op} %a * %b : {types[0]} * {types[1]} "
                  f"-> {types[2]}\n  return\n}}\n")
        module = compile(source, target=target, threads=threads,
                         db=_user_database(target, threads) or None,
                         ignore_db_mismatch=True)
        fn = module[kind]
        with _kernels_lock:
            _kernels[key] = fn
    fn(operands[0], operands[1], target_out)
    if target_out is not out:
        np.copyto(out, target_out)
    elif repeat and operands[0] is a and operands[1] is b:
        _repeat_calls[repeat] = (fn, shape)
    return out


def matmul(a, b, out=None, *, threads=None, accumulate=False, target="host"):
    """out = a @ b (or out += a @ b with accumulate=True) for 2-D float32
    arrays, or bfloat16 ones (uint16 bits or torch.bfloat16) into float32.

    The kernel is synthesized once per (shapes, dtypes, layouts, target,
    threads) and kept for the process; its search memo persists in
    cache_dir(), so the next process starts warm.
    """
    return _matmul(a, b, out, threads, accumulate, target, 2)


def batch_matmul(a, b, out=None, *, threads=None, accumulate=False,
                 target="host"):
    """matmul over a leading batch dim: a [batch, m, k], b [batch, k, n]."""
    return _matmul(a, b, out, threads, accumulate, target, 3)

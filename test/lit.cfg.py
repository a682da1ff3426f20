# Tessel's lit test suite: FileCheck tests of the tools, the mlir-opt plugin
# and the installed CMake package. Unit tests live in the Unit/ sub-suite.
import os
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Tessel"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt",
                   "external"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tessel_obj_root, "test")

config.substitutions.append(("%tessel_src_root", config.tessel_src_root))
config.substitutions.append(("%tessel_obj_root", config.tessel_obj_root))
config.substitutions.append(("%tessel_lib_dir", config.tessel_lib_dir))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cxx", config.cxx_compiler))
# C programs that call compiled kernels.
config.substitutions.append(("%cc", config.cxx_compiler.replace("clang++", "clang")))
config.substitutions.append(("%mlir_dir", config.mlir_dir))
config.substitutions.append(("%mlir_include_dir", config.mlir_include_dir))
config.substitutions.append(("%llvm_lib_dir", config.llvm_lib_dir))
# What upstream's integration tests link into mlir-runner (printMemrefF32,
# memref.copy), and the OpenMP runtime that parallel programs call.
config.substitutions.append(
    ("%runner_libs", ",".join(os.path.join(config.llvm_lib_dir, lib) for lib in
                              ["libmlir_runner_utils.so",
                               "libmlir_c_runner_utils.so", "libomp.so"])))
llvm_config.with_system_environment(["HOME", "TMPDIR"])
# target=host must not depend on a calibration the developer's machine has
# cached (`tessel calibrate`): the tests see an empty cache of their own.
config.environment["TESSEL_CACHE_DIR"] = os.path.join(
    config.tessel_obj_root, "test", "empty-tessel-cache")
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Upstream mlir-opt lives with the LLVM tools; ours are built here.
tool_dirs = [config.tessel_tools_dir, config.llvm_tools_dir]
tools = ["tessel-opt", "tessel", "mlir-opt", "mlir-translate", "mlir-runner",
         "llc", "llvm-nm"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

if config.sanitizers:
    import subprocess
    config.available_features.add("sanitizers")
    asan_runtime = subprocess.check_output(
        [config.cxx_compiler, "-print-file-name=libclang_rt.asan-x86_64.so"],
        text=True).strip()
    # Programs the tests build themselves use the same runtime as Tessel.
    config.substitutions.append(
        ("%sanitizer_flags", "-fsanitize=address,undefined -shared-libasan "
         "-Wl,-rpath," + os.path.dirname(asan_runtime)))
    config.environment["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=1"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    # Upstream mlir-opt is not instrumented: preload the shared ASan runtime
    # so the instrumented plugin can resolve it.
    config.substitutions.append(("%preload_asan", "env LD_PRELOAD=" + asan_runtime))
else:
    config.substitutions.append(("%sanitizer_flags", ""))
    config.substitutions.append(("%preload_asan", ""))

# The differential tests run every %every-th of their random cases: all of
# them in the Release build, every fourth under the sanitizers, where the
# compiler runs 4-8x slower (CI runs both within its time budget). The
# sample is of the same sequence, so the sanitized cases are a subset.
config.substitutions.append(("%every", "4" if config.sanitizers else "1"))

# The Python package, from the build tree: %pytest runs pytest on a file,
# %with_package runs a command with the package importable. Under the
# sanitizers the uninstrumented interpreter preloads the ASan runtime (and
# leaves leak checking off: CPython keeps its objects to the end).
# %asan_python_env prefixes a Python command that loads Tessel's libraries.
python_sanitized = ""
if config.sanitizers:
    python_sanitized = ("env LD_PRELOAD=" + asan_runtime +
                        " ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
config.substitutions.append(("%asan_python_env", python_sanitized))
package_env = (python_sanitized + " env PYTHONPATH=" +
               os.path.join(config.tessel_obj_root, "python_packages"))
config.substitutions.append(("%with_package", package_env))
config.substitutions.append(
    ("%pytest", package_env + " " + sys.executable +
     " -m pytest -q -p no:cacheprovider"))
if config.python_package:
    config.available_features.add("python-package")

#!/usr/bin/env bash
# Shared set-up for demo.sh and test.sh: install what is missing from Debian's
# archive, configure (once) and build (incrementally).
#
#   source scripts/setup.sh [--sanitize]
#
# Sets TESSEL_ROOT and TESSEL_BUILD_DIR. --sanitize (or TESSEL_SANITIZE=1)
# builds in build-sanitize/ with AddressSanitizer and UBSan.
set -euo pipefail

TESSEL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESSEL_SANITIZE=${TESSEL_SANITIZE:-0}
for arg in "$@"; do
  case "$arg" in
    --sanitize) TESSEL_SANITIZE=1 ;;
    *) echo "setup: unknown option '$arg'" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
done
if [ "$TESSEL_SANITIZE" = 1 ]; then
  TESSEL_BUILD_DIR=${TESSEL_BUILD_DIR:-$TESSEL_ROOT/build-sanitize}
else
  TESSEL_BUILD_DIR=${TESSEL_BUILD_DIR:-$TESSEL_ROOT/build}
fi
export TESSEL_ROOT TESSEL_BUILD_DIR

TESSEL_PACKAGES=(
  cmake ninja-build python3
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  clang-22 lld-22 libclang-rt-22-dev libomp-22-dev
  libgtest-dev
  python3-dev pybind11-dev python3-numpy python3-pytest  # the Python package
  python3-torch  # torch tensors into Python calls (tested), a benchmark peer
  libopenblas0  # the demo's peer, loaded at run time by `tessel bench`
)

tessel_install_packages() {
  local missing=()
  for pkg in "${TESSEL_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" > /dev/null
}

tessel_configure() {
  [ -f "$TESSEL_BUILD_DIR/build.ninja" ] && return 0
  local sanitize=OFF
  [ "$TESSEL_SANITIZE" = 1 ] && sanitize=ON
  cmake -G Ninja -S "$TESSEL_ROOT" -B "$TESSEL_BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DPython3_EXECUTABLE=/usr/bin/python3 \
    -DTESSEL_ENABLE_SANITIZERS=$sanitize > "$TESSEL_BUILD_DIR.configure.log" 2>&1 ||
    { cat "$TESSEL_BUILD_DIR.configure.log" >&2; return 1; }
}

tessel_build() {
  # The machine has 2 cores; more jobs only thrash.
  ninja -C "$TESSEL_BUILD_DIR" -j2 "$@"
}

tessel_install_packages
tessel_configure

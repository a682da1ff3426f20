// An AVX-512 register tile becomes zmm FMAs once compiled (whatever the host).
// RUN: tessel-opt %s --tessel-to-llvm="target=avx512 threads=1" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mcpu=znver4 | FileCheck %s
// Same for bf16 with vdpbf16ps.
// RUN: tessel-opt %s --tessel-to-llvm="target=avx512 threads=1" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mcpu=znver4 \
// RUN:   | FileCheck %s --check-prefix=BF16

// CHECK-LABEL: gemm:
// CHECK: vfmadd231ps {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// BF16: vdpbf16ps {{.*}}%zmm{{[0-9]+}}, %zmm{{[0-9]+}}

func.func @gemm(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  spec.matmul %c = %a * %b : memref<64x64xf32> * memref<64x64xf32> -> memref<64x64xf32>
  return
}
func.func @gemm_bf16(%a: memref<64x64xbf16>, %b: memref<64x64xbf16>, %c: memref<64x64xf32>) {
  spec.matmul %c = %a * %b : memref<64x64xbf16> * memref<64x64xbf16> -> memref<64x64xf32>
  return
}

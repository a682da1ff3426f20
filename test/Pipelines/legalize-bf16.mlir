// Without AVX512-BF16, bf16 code must not call __truncsfbf2 (neither the JIT
// nor Debian 12's libgcc has it): rounding to bf16 becomes integer ops and
// masked bf16 loads and stores move i16 lanes.
// RUN: tessel-opt %s --split-input-file --tessel-legalize-bf16 | FileCheck %s
// The whole pipeline for AVX2 leaves no such call anywhere in the object,
// whatever llc makes of it (also for bf16 arithmetic in ops left to
// upstream's loops); with AVX512-BF16 the rounding is one vcvtneps2bf16.
// RUN: tessel-opt %S/Inputs/bf16-rounding.mlir --tessel-to-llvm="target=avx2 threads=1" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mcpu=znver3 \
// RUN:   | FileCheck %s --check-prefix=AVX2 --implicit-check-not=__truncsfbf2
// RUN: tessel-opt %S/Inputs/bf16-rounding.mlir --tessel-to-llvm="target=avx512 threads=1" \
// RUN:   | mlir-translate --mlir-to-llvmir | llc -O3 -mcpu=znver4 \
// RUN:   | FileCheck %s --check-prefix=BF16

// CHECK-LABEL: func.func @casts
// CHECK-NOT: arith.truncf
// CHECK: arith.shrui
// CHECK-NOT: arith.truncf
// AVX2-LABEL: casts:
// AVX2-LABEL: rounded:
// AVX2-LABEL: summed:
// BF16-LABEL: casts:
// BF16: vcvtneps2bf16
func.func @casts(%x: vector<8xf32>) -> vector<8xbf16> {
  %y = arith.truncf %x : vector<8xf32> to vector<8xbf16>
  return %y : vector<8xbf16>
}

// -----

// CHECK-LABEL: llvm.func @masked
// CHECK: %[[PASS:.*]] = llvm.bitcast %{{.*}} : vector<8xbf16> to vector<8xi16>
// CHECK: %[[LOAD:.*]] = llvm.intr.masked.load %{{.*}}, %{{.*}}, %[[PASS]] {{.*}} -> vector<8xi16>
// CHECK: llvm.bitcast %[[LOAD]] : vector<8xi16> to vector<8xbf16>
// CHECK: %[[LANES:.*]] = llvm.bitcast %{{.*}} : vector<8xbf16> to vector<8xi16>
// CHECK: llvm.intr.masked.store %[[LANES]], {{.*}} : vector<8xi16>, vector<8xi1> into !llvm.ptr
llvm.func @masked(%p: !llvm.ptr, %m: vector<8xi1>, %v: vector<8xbf16>) -> vector<8xbf16> {
  %z = llvm.mlir.constant(dense<0.0> : vector<8xbf16>) : vector<8xbf16>
  %l = llvm.intr.masked.load %p, %m, %z {alignment = 2 : i32} : (!llvm.ptr, vector<8xi1>, vector<8xbf16>) -> vector<8xbf16>
  llvm.intr.masked.store %v, %p, %m {alignment = 2 : i32} : vector<8xbf16>, vector<8xi1> into !llvm.ptr
  llvm.return %l : vector<8xbf16>
}

// -----

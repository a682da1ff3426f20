// A spec op inside a parallel loop gets a serial program (its loop already
// shares out the cores); with one core, the loop itself runs as a plain
// scf.for, so the module needs no OpenMP runtime.
// RUN: tessel-opt %s --tessel-synthesize="target=avx512 threads=2" | FileCheck %s --check-prefix=TWO
// RUN: tessel-opt %s --tessel-synthesize="target=avx512 threads=1" | FileCheck %s --check-prefix=ONE

// TWO-LABEL: func.func @blocks(
// TWO: scf.forall
// TWO:   call @blocks_matmul(
// TWO-LABEL: func.func @outside(
// TWO-NOT: scf.forall
// TWO:   call @outside_matmul(
// The program inside the loop is serial ("par" missing), the one outside
// parallel.
// TWO: func.func private @blocks_matmul({{.*}}tessel.spec = "MatmulAccum 64x64x64 ({{[^"]*}})"}
// TWO-NOT: scf.forall
// TWO: func.func private @outside_matmul({{.*}}tessel.spec = "MatmulAccum 64x64x64 ({{[^"]*}}) par"}
// TWO: scf.forall

// ONE-LABEL: func.func @blocks(
// ONE-NOT: scf.forall
// ONE: scf.for
// ONE:   call @blocks_matmul(

func.func @blocks(%a: memref<256x64xf32>, %b: memref<64x64xf32>, %c: memref<256x64xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  scf.forall (%i) = (%c0) to (%c256) step (%c64) {
    %av = memref.subview %a[%i, 0] [64, 64] [1, 1] : memref<256x64xf32> to memref<64x64xf32, strided<[64, 1], offset: ?>>
    %cv = memref.subview %c[%i, 0] [64, 64] [1, 1] : memref<256x64xf32> to memref<64x64xf32, strided<[64, 1], offset: ?>>
    spec.matmul %cv += %av * %b : memref<64x64xf32, strided<[64, 1], offset: ?>> * memref<64x64xf32> -> memref<64x64xf32, strided<[64, 1], offset: ?>>
  }
  return
}

func.func @outside(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  spec.matmul %c += %a * %b : memref<64x64xf32> * memref<64x64xf32> -> memref<64x64xf32>
  return
}

// --tessel-to-llvm lowers a whole module: spec ops through synthesis, and
// linalg ops the import left alone (a ReLU generic here) through upstream's
// loop lowering, so that mlir-translate takes the result.
// RUN: tessel-opt %s --tessel-to-llvm="target=avx512 threads=1" | FileCheck %s
// RUN: tessel-opt %s --tessel-to-llvm="target=avx512 threads=1" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR

// CHECK-NOT: linalg.
// CHECK-NOT: spec.
// CHECK-LABEL: llvm.func @layer
// CHECK: llvm.intr.maximum
// IR: define void @layer

#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @layer(%x: memref<4x8xf32>, %w: memref<8x16xf32>,
                 %y: memref<4x16xf32>) {
  spec.fill %y = zero : memref<4x16xf32>
  spec.matmul %y += %x * %w : memref<4x8xf32> * memref<8x16xf32> -> memref<4x16xf32>
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]}
      outs(%y : memref<4x16xf32>) {
  ^bb0(%a: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }
  return
}

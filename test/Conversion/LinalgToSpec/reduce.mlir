// Reductions in linalg (linalg.reduce and generics with one reduced loop)
// whose bodies compute a sum or a maximum become accumulating spec.reduce
// ops, the output viewed with a unit dimension where the reduced loop is.
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s
// RUN: tessel-opt %s --tessel-import-linalg --tessel-to-llvm="target=avx512 threads=1" | FileCheck %s --check-prefix=LLVM
// LLVM-NOT: linalg.
// LLVM-NOT: spec.
// LLVM: llvm.func @rows

// CHECK: reduce.mlir:31:3: remark: left to upstream lowering: the body computes no sum, maximum or minimum
// CHECK-LABEL: func.func @rows
// CHECK: %[[ROW:.*]] = memref.expand_shape %arg1 {{\[\[}}0, 1]] output_shape [32, 1] : memref<32xf32> into memref<32x1xf32>
// CHECK: spec.reduce %[[ROW]] += sum(%arg0) along 1 : memref<32x100xf32> -> memref<32x1xf32>
// CHECK: spec.reduce %{{.*}} += max(%arg2) along 0 : memref<32x100xbf16> -> memref<1x100xf32>
// CHECK: linalg.reduce
func.func @rows(%x: memref<32x100xf32>, %s: memref<32xf32>, %h: memref<32x100xbf16>, %m: memref<100xf32>) {
  linalg.reduce ins(%x : memref<32x100xf32>) outs(%s : memref<32xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %r = arith.addf %acc, %in : f32
      linalg.yield %r : f32
    }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>],
                  iterator_types = ["reduction", "parallel"]}
      ins(%h : memref<32x100xbf16>) outs(%m : memref<100xf32>) {
  ^bb0(%in: bf16, %acc: f32):
    %e = arith.extf %in : bf16 to f32
    %r = arith.maximumf %e, %acc : f32
    linalg.yield %r : f32
  }
  // A product is neither.
  linalg.reduce ins(%x : memref<32x100xf32>) outs(%s : memref<32xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %r = arith.mulf %acc, %in : f32
      linalg.yield %r : f32
    }
  return
}

// Minima import too, and a fill of +inf (their identity) becomes spec.fill.
// CHECK-LABEL: func.func @column_min
// CHECK: spec.fill %{{.*}} = inf : memref<100xf32>
// CHECK: spec.reduce %{{.*}} += min(%arg0) along 0 : memref<32x100xf32> -> memref<1x100xf32>
func.func @column_min(%x: memref<32x100xf32>, %m: memref<100xf32>) {
  %inf = arith.constant 0x7F800000 : f32
  linalg.fill ins(%inf : f32) outs(%m : memref<100xf32>)
  linalg.reduce ins(%x : memref<32x100xf32>) outs(%m : memref<100xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %r = arith.minimumf %in, %acc : f32
      linalg.yield %r : f32
    }
  return
}

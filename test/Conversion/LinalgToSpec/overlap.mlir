// Linalg ops whose output shares memory with an input are left to upstream
// lowering (which keeps linalg's loop-order meaning), with the reason; an
// elementwise op exactly in place is imported.
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: tessel-opt %s --tessel-import-linalg | FileCheck %s

// CHECK-LABEL: func.func @matmul_in_place
func.func @matmul_in_place(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  // REMARK: overlap.mlir:[[@LINE+2]]:3: remark: left to upstream lowering: the output overlaps input #0, which synthesized code does not compute in place
  // CHECK: linalg.matmul
  linalg.matmul ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%a : memref<8x8xf32>)
  return
}

// CHECK-LABEL: func.func @add_in_place
func.func @add_in_place(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  // REMARK-NOT: overlap.mlir:[[@LINE+2]]
  // CHECK: spec.add %{{.*}} = add(%{{.*}}, %{{.*}})
  linalg.add ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%a : memref<8x8xf32>)
  return
}

// In place but transposed: each output element reads another's input.
// CHECK-LABEL: func.func @transposed_in_place
func.func @transposed_in_place(%a: memref<8x8xf32>) {
  // REMARK: overlap.mlir:[[@LINE+2]]:3: remark: left to upstream lowering: the output overlaps input #0
  // CHECK: linalg.generic
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<8x8xf32>) outs(%a : memref<8x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = math.exp %x : f32
    linalg.yield %e : f32
  }
  return
}

// CHECK-LABEL: func.func @reduce_into_input
func.func @reduce_into_input(%a: memref<8x1xf32>) {
  %v = memref.collapse_shape %a [[0, 1]] : memref<8x1xf32> into memref<8xf32>
  // REMARK: overlap.mlir:[[@LINE+2]]:3: remark: left to upstream lowering: the output overlaps input #0
  // CHECK: linalg.reduce
  linalg.reduce ins(%a : memref<8x1xf32>) outs(%v : memref<8xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// Linalg ops whose output shares memory with an input, or may (an input
// chosen at run time), or lies in a constant global, are left to upstream
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

// An input chosen at run time may be the output.
// CHECK-LABEL: func.func @select_may_be_the_output
func.func @select_may_be_the_output(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %p: i1) {
  %s = arith.select %p, %a, %b : memref<8x8xf32>
  // REMARK: overlap.mlir:[[@LINE+2]]:3: remark: left to upstream lowering: the output may overlap input #0, which synthesized code does not compute in place
  // CHECK: linalg.matmul
  linalg.matmul ins(%s, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%a : memref<8x8xf32>)
  return
}

// CHECK-LABEL: func.func @select_of_other_buffers
func.func @select_of_other_buffers(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>, %p: i1) {
  %s = arith.select %p, %a, %b : memref<8x8xf32>
  // REMARK-NOT: overlap.mlir:[[@LINE+2]]
  // CHECK: spec.matmul
  linalg.matmul ins(%s, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%c : memref<8x8xf32>)
  return
}

// A constant global is read-only: writing it is left to upstream.
memref.global "private" constant @c : memref<4x4xf32> = dense<1.0>
// CHECK-LABEL: func.func @fill_constant_global
func.func @fill_constant_global() {
  %g = memref.get_global @c : memref<4x4xf32>
  %z = arith.constant 0.0 : f32
  // REMARK: overlap.mlir:[[@LINE+2]]:3: remark: left to upstream lowering: operand #1 is a view of constant global @c, which cannot be written
  // CHECK: linalg.fill
  linalg.fill ins(%z : f32) outs(%g : memref<4x4xf32>)
  return
}

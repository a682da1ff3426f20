// transform.tessel.import folds a padded copy feeding a convolution into
// the convolution's padding, and then removes the padded buffer (its
// allocation, zero fill, copy and dealloc) as --tessel-import-linalg does;
// the handle it returns holds the convolution and the output's fill, not
// the erased ops.
// RUN: tessel-opt %s --transform-interpreter 2>&1 | FileCheck %s

// CHECK-NOT: remark
// CHECK: import-padded.mlir:[[#@LINE+17]]:3: remark: imported
// CHECK-NEXT: linalg.fill ins(%z : f32) outs(%o
// CHECK: import-padded.mlir:[[#@LINE+16]]:3: remark: imported
// CHECK-NOT: remark
// CHECK-LABEL: func.func @padded_copy
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: spec.fill %arg2 = zero
// CHECK-NEXT: %[[V:.*]] = memref.subview %arg0[0, 0, 0, 0] [1, 8, 7, 4]
// CHECK-NEXT: spec.conv2d %arg2 += conv(%[[V]], %arg1) {format = "nhwc_hwcf", padding = array<i64: 1, 2, 1, 0>}
// CHECK-NEXT: return
func.func @padded_copy(%x: memref<1x8x8x4xf32>, %w: memref<3x3x4x8xf32>, %o: memref<1x8x7x8xf32>) {
  %z = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x10x10x4xf32>
  linalg.fill ins(%z : f32) outs(%p : memref<1x10x10x4xf32>)
  %v = memref.subview %p[0, 1, 2, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>
  memref.copy %x, %v : memref<1x8x8x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x7x8xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : memref<1x10x10x4xf32>, memref<3x3x4x8xf32>) outs(%o : memref<1x8x7x8xf32>)
  memref.dealloc %p : memref<1x10x10x4xf32>
  return
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %ops = transform.structured.match ops{["linalg.fill", "linalg.conv_2d_nhwc_hwcf"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %spec = transform.tessel.import %ops : (!transform.any_op) -> !transform.any_op
    transform.debug.emit_remark_at %spec, "imported" : !transform.any_op
    transform.yield
  }
}

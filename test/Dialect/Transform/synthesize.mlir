// A transform schedule hands matched linalg ops to Tessel
// (transform.tessel.import, then transform.tessel.synthesize) and leaves
// the others alone; the result then lowers like any synthesized module.
// RUN: tessel-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/schedule.mlir --transform-interpreter 2>&1 | FileCheck %s
// RUN: tessel-opt %s --transform-preload-library=transform-library-paths=%S/Inputs/schedule.mlir --transform-interpreter --tessel-to-llvm | FileCheck %s --check-prefix=LLVM

// CHECK: synthesize.mlir:[[#@LINE+6]]:3: remark: synthesized
// CHECK-LABEL: func.func @layer
// CHECK: call @layer_matmul(
// CHECK: linalg.add
// CHECK: call @layer_reduce(
func.func @layer(%x: memref<8x32xf32>, %w: memref<32x16xf32>, %b: memref<8x16xf32>, %y: memref<8x16xf32>, %p: memref<8x16xf32>) {
  linalg.matmul ins(%x, %w : memref<8x32xf32>, memref<32x16xf32>) outs(%y : memref<8x16xf32>)
  linalg.add ins(%y, %b : memref<8x16xf32>, memref<8x16xf32>) outs(%y : memref<8x16xf32>)
  linalg.softmax dimension(1) ins(%y : memref<8x16xf32>) outs(%p : memref<8x16xf32>)
  return
}
// CHECK: func.func private @layer_matmul({{.*}}) attributes {tessel.spec = "MatmulAccum 8x32x16

// LLVM-NOT: linalg.
// LLVM-NOT: spec.
// LLVM: llvm.func @layer

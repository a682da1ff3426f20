// Spec ops the engine has no kind for are decomposed before synthesis:
// softmax into a row maximum, a subtract, an exp, a row sum and a divide
// (row statistics in scratch buffers, intermediates in the output), and
// rank-0 operands into one-element vectors. `tessel explain` shows the ops
// it synthesizes.
// RUN: tessel explain %s --threads=1 | FileCheck %s
// RUN: not tessel explain %S/Inputs/softmax-bf16.mlir 2>&1 | FileCheck %s --check-prefix=BF16

// CHECK-LABEL: spec.reduce %alloc = max(%arg0) along 0 : memref<5x3xf32> -> memref<1x3xf32>
// CHECK: Reduce
// CHECK-LABEL: spec.sub %arg1 = sub(%arg0, %alloc) : memref<5x3xf32>, memref<1x3xf32> -> memref<5x3xf32>
// CHECK-LABEL: spec.exp %arg1 = exp(%arg1) : memref<5x3xf32> -> memref<5x3xf32>
// CHECK-LABEL: spec.reduce %alloc_0 = sum(%arg1) along 0 : memref<5x3xf32> -> memref<1x3xf32>
// CHECK-LABEL: spec.div %arg1 = div(%arg1, %alloc_0) : memref<5x3xf32>, memref<1x3xf32> -> memref<5x3xf32>
func.func @columns(%x: memref<5x3xf32>, %y: memref<5x3xf32>) {
  spec.softmax %y = softmax(%x) along 0 : memref<5x3xf32> -> memref<5x3xf32>
  return
}

// CHECK-LABEL: spec.fill %expand_shape = zero : memref<1xf32>
func.func @scalar(%y: memref<f32>) {
  spec.fill %y = zero : memref<f32>
  return
}

// BF16: softmax-bf16.mlir:2:3: error: 'spec.softmax' op is synthesized for f32 only; its input is 'bf16'

// A module --tessel-to-llvm cannot lower completely fails with a located
// error per op that is left, never exit 0 with a half-lowered module.
// RUN: not tessel-opt %s --tessel-to-llvm=target=avx512 -split-input-file -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s

// Ops on tensors are named before anything is lowered (the pipeline's
// conversions would rewrite the insides of ops they cannot lower, such as a
// dynamic-size linalg.matmul's body, and leave IR that does not verify).
// CHECK: tessel-to-llvm-incomplete.mlir:[[@LINE+3]]:8: error: 'tensor.empty' works on tensors; --tessel-to-llvm lowers buffers: bufferize first (--one-shot-bufferize)
// CHECK: tessel-to-llvm-incomplete.mlir:[[@LINE+3]]:8: error: 'linalg.add' works on tensors; --tessel-to-llvm lowers buffers: bufferize first
func.func @add(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.add ins(%x, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
// CHECK-NOT: 'func.return' works on tensors

// -----

// CHECK: tessel-to-llvm-incomplete.mlir:[[@LINE+2]]:8: error: 'linalg.matmul' works on tensors; --tessel-to-llvm lowers buffers: bufferize first
func.func @dynamic(%x: tensor<?x?xf32>, %w: tensor<?x?xf32>, %c: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = linalg.matmul ins(%x, %w : tensor<?x?xf32>, tensor<?x?xf32>) outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Named is the op that stopped the lowering, not the casts its memref
// arguments left behind; on memrefs, without the hint about bufferization.
// CHECK-NOT: unrealized_conversion_cast
// CHECK: tessel-to-llvm-incomplete.mlir:[[@LINE+2]]:3: error: 'linalg.softmax' is left after lowering to the llvm dialect: Tessel does not synthesize it and the pipeline's upstream conversions do not lower it{{$}}
func.func @softmax(%a: memref<8x8xf32>, %c: memref<8x8xf32>) {
  linalg.softmax dimension(1) ins(%a : memref<8x8xf32>) outs(%c : memref<8x8xf32>)
  return
}
// CHECK-NOT: error

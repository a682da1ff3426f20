// A module --tessel-to-llvm cannot lower completely fails with a located
// error per op that is left, never exit 0 with a half-lowered module.
// RUN: not tessel-opt %s --tessel-to-llvm=target=avx512 -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s

// CHECK: tessel-to-llvm-incomplete.mlir:[[@LINE+3]]:8: error: 'tensor.empty' is left after lowering to the llvm dialect
// CHECK: tessel-to-llvm-incomplete.mlir:[[@LINE+3]]:8: error: 'linalg.add' is left after lowering to the llvm dialect
func.func @add(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.add ins(%x, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
// CHECK-NOT: error

// With `report`, every linalg op the import leaves alone gets a remark with
// the reason, at its location; imported ops get none.
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false 2>&1 >/dev/null | FileCheck %s

func.func @left(%a: memref<?x32xf32>, %b: memref<32x16xf32>, %c: memref<?x16xf32>,
                %d: memref<8x16xf32>, %t: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  // CHECK: report.mlir:[[@LINE+1]]:3: remark: left to upstream lowering: spec.fill writes only zero
  linalg.fill ins(%one : f32) outs(%b : memref<32x16xf32>)
  // CHECK-NOT: report.mlir:[[@LINE+1]]
  linalg.fill ins(%zero : f32) outs(%d : memref<8x16xf32>)
  // CHECK: report.mlir:[[@LINE+1]]:3: remark: left to upstream lowering: an operand is not a memref with static sizes
  linalg.matmul ins(%a, %b : memref<?x32xf32>, memref<32x16xf32>) outs(%c : memref<?x16xf32>)
  // CHECK: report.mlir:[[@LINE+1]]:8: remark: left to upstream lowering: not an elementwise op of one or two inputs on memrefs (ops on tensors: bufferize first)
  %r = linalg.exp ins(%t : tensor<4x4xf32>) outs(%t : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

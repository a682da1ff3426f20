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
  // CHECK: report.mlir:[[@LINE+1]]:3: remark: left to upstream lowering: operand #0 (memref<?x32xf32>): it has dynamic sizes (only matrix products import with dynamic sizes)
  linalg.exp ins(%a : memref<?x32xf32>) outs(%a : memref<?x32xf32>)
  // CHECK-NOT: report.mlir:[[@LINE+1]]
  linalg.matmul ins(%a, %b : memref<?x32xf32>, memref<32x16xf32>) outs(%c : memref<?x16xf32>)
  // CHECK-NOT: report.mlir:[[@LINE+1]]
  %r = linalg.exp ins(%t : tensor<4x4xf32>) outs(%t : tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: report.mlir:[[@LINE+1]]:8: remark: left to upstream lowering: an operand is read transposed (a tensor has no transposed view; a buffer has, after bufferization)
  %p = linalg.transpose ins(%r : tensor<4x4xf32>) outs(%t : tensor<4x4xf32>) permutation = [1, 0]
  return %p : tensor<4x4xf32>
}

// CHECK: report.mlir:[[@LINE+2]]:3: remark: left to upstream lowering: operand #0 (memref<?x8x8xf32>): with dynamic sizes, Tessel takes 2-D matrices whose last dimension has static stride 1
func.func @dynamic_batch(%a: memref<?x8x8xf32>, %c: memref<?x8x8xf32>) {
  linalg.batch_matmul ins(%a, %a : memref<?x8x8xf32>, memref<?x8x8xf32>) outs(%c : memref<?x8x8xf32>)
  return
}

// Empty operands have nothing to compute; rank-0 ones are imported.
func.func @empty(%e: memref<0x4xf32>, %s: memref<f32>) {
  %zero = arith.constant 0.0 : f32
  // CHECK: report.mlir:[[@LINE+1]]:3: remark: left to upstream lowering: operand #1 (memref<0x4xf32>): it is empty (nothing to compute)
  linalg.fill ins(%zero : f32) outs(%e : memref<0x4xf32>)
  // CHECK-NOT: report.mlir:[[@LINE+1]]
  linalg.fill ins(%zero : f32) outs(%s : memref<f32>)
  return
}

// Strides known only at run time: the op is imported behind a check that
// the innermost strides are 1; the remark is about the fallback copy.
func.func @runtime_strides(%a: memref<8x4xf32, strided<[?, ?], offset: ?>>,
                           %b: memref<4x8xf32, strided<[?, 1], offset: ?>>,
                           %c: memref<8x8xf32>,
                           %g: memref<8x8xf32, 1>) {
  // CHECK: report.mlir:[[@LINE+1]]:3: remark: left to upstream lowering: this copy runs when an innermost stride is not 1 at run time; Tessel's program runs when they are
  linalg.matmul ins(%a, %b : memref<8x4xf32, strided<[?, ?], offset: ?>>, memref<4x8xf32, strided<[?, 1], offset: ?>>) outs(%c : memref<8x8xf32>)
  // A guarded op that cannot be imported anyway is left as it was.
  // CHECK: report.mlir:[[@LINE+1]]:3: remark: left to upstream lowering: operand #2 (memref<8x8xf32, 1>): it is not in main memory
  linalg.matmul ins(%a, %b : memref<8x4xf32, strided<[?, ?], offset: ?>>, memref<4x8xf32, strided<[?, 1], offset: ?>>) outs(%g : memref<8x8xf32, 1>)
  return
}

// A static row pitch narrower than the narrowest block (16).
// CHECK: report.mlir:[[@LINE+2]]:3: remark: left to upstream lowering: a row pitch of 8 elements is narrower than the narrowest block (16)
func.func @narrow_pitch(%a: memref<?x?xf32, strided<[8, 1]>>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32, strided<[8, 1]>>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

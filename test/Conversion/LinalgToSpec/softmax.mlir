// linalg.softmax on f32 memrefs becomes spec.softmax (which synthesis
// decomposes); the forms synthesis does not compute are left alone with a
// remark under the report option.
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s
// RUN: not tessel-opt %s --tessel-import-linalg --tessel-to-llvm="target=avx512 threads=1" 2>&1 | FileCheck %s --check-prefix=LLVM

// CHECK: softmax.mlir:17:3: remark: left to upstream lowering: synthesis computes f32 softmax
// CHECK: softmax.mlir:18:3: remark: left to upstream lowering: the output may overlap the input
// CHECK-LABEL: func.func @rows
// CHECK: spec.softmax %arg1 = softmax(%arg0) along 1 : memref<6x13xf32> -> memref<6x13xf32>
// CHECK: spec.softmax %arg0 = softmax(%arg1) along 0 : memref<6x13xf32> -> memref<6x13xf32>
// CHECK: linalg.softmax
// CHECK: linalg.softmax
func.func @rows(%x: memref<6x13xf32>, %y: memref<6x13xf32>, %h: memref<4x8xbf16>) {
  linalg.softmax dimension(1) ins(%x : memref<6x13xf32>) outs(%y : memref<6x13xf32>)
  linalg.softmax dimension(0) ins(%y : memref<6x13xf32>) outs(%x : memref<6x13xf32>)
  linalg.softmax dimension(1) ins(%h : memref<4x8xbf16>) outs(%h : memref<4x8xbf16>)
  linalg.softmax dimension(1) ins(%x : memref<6x13xf32>) outs(%x : memref<6x13xf32>)
  return
}

// Upstream does not lower linalg.softmax on memrefs: a located error, not a
// half-lowered module.
// LLVM: softmax.mlir:17:3: error: 'linalg.softmax' is left after lowering to the llvm dialect

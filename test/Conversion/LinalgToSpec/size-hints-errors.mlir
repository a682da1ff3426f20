// Size hints that say nothing usable are errors at the op, not ignored.
// RUN: tessel-opt %s --tessel-import-linalg --split-input-file --verify-diagnostics

func.func @count(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  // expected-error @+1 {{'tessel.likely_sizes' must be an array<i64> of 3 positive sizes, one per loop of the op; got array<i64: 37, 41>}}
  linalg.matmul {tessel.likely_sizes = array<i64: 37, 41>}
      ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @zero(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  // expected-error @+1 {{'tessel.max_sizes' must be an array<i64> of 3 positive sizes, one per loop of the op; got array<i64: 0, 8, 8>}}
  linalg.matmul {tessel.max_sizes = array<i64: 0, 8, 8>}
      ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @kind(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  // expected-error @+1 {{'tessel.max_sizes' must be an array<i64> of 3 positive sizes, one per loop of the op; got [64, 64, 64]}}
  linalg.matmul {tessel.max_sizes = [64, 64, 64]}
      ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @where(%x: f32) -> f32 {
  // expected-error @+1 {{'tessel.likely_sizes' belongs on a linalg op}}
  %y = arith.addf %x, %x {tessel.likely_sizes = array<i64: 4>} : f32
  return %y : f32
}

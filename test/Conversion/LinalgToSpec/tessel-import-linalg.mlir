// RUN: tessel-opt %s --tessel-import-linalg --split-input-file | FileCheck %s
// The result verifies and round-trips:
// RUN: tessel-opt %s --tessel-import-linalg --split-input-file | tessel-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<64x32xf32>, %[[B:.*]]: memref<32x16xf32>, %[[C:.*]]: memref<64x16xf32>)
func.func @matmul(%a: memref<64x32xf32>, %b: memref<32x16xf32>, %c: memref<64x16xf32>) {
  %zero = arith.constant 0.0 : f32
  // CHECK: spec.matmul %[[C]] += %[[A]] * %[[B]] : memref<64x32xf32> * memref<32x16xf32> -> memref<64x16xf32>
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x16xf32>) outs(%c : memref<64x16xf32>)
  // CHECK-NOT: linalg.
  return
}

// -----

// A zero fill then a matmul into the same buffer is one overwriting matmul
// (its program starts the accumulators at zero); view ops between the two
// do not matter, other ops do.
// CHECK-LABEL: func @fill_then_matmul
// CHECK-SAME: (%[[A:.*]]: memref<64x32xf32>, %[[B:.*]]: memref<16x32xf32>, %[[C:.*]]: memref<64x16xf32>, %[[D:.*]]: memref<64x16xf32>)
// CHECK-NOT: spec.fill
// CHECK: %[[T:.*]] = memref.transpose %[[B]]
// CHECK: spec.matmul %[[C]] = %[[A]] * %[[T]]
// CHECK: spec.fill %[[D]] = zero
// CHECK: spec.max
// CHECK: spec.matmul %[[D]] += %[[A]]
func.func @fill_then_matmul(%a: memref<64x32xf32>, %b: memref<16x32xf32>, %c: memref<64x16xf32>, %d: memref<64x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<64x16xf32>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : memref<64x32xf32>, memref<16x32xf32>) outs(%c : memref<64x16xf32>)
  linalg.fill ins(%zero : f32) outs(%d : memref<64x16xf32>)
  linalg.max ins(%c, %c : memref<64x16xf32>, memref<64x16xf32>) outs(%c : memref<64x16xf32>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : memref<64x32xf32>, memref<16x32xf32>) outs(%d : memref<64x16xf32>)
  return
}

// -----

// B stored N x K (what matmul_transpose_b was) is read through a transposed,
// strided view.
// CHECK-LABEL: func @matmul_transpose_b
// CHECK-SAME: (%[[A:.*]]: memref<64x32xf32>, %[[B:.*]]: memref<16x32xf32>, %[[C:.*]]: memref<64x16xf32>)
func.func @matmul_transpose_b(%a: memref<64x32xf32>, %b: memref<16x32xf32>, %c: memref<64x16xf32>) {
  // CHECK: %[[BT:.*]] = memref.transpose %[[B]] (d0, d1) -> (d1, d0) : memref<16x32xf32> to memref<32x16xf32, strided<[1, 32]>>
  // CHECK: spec.matmul %[[C]] += %[[A]] * %[[BT]] : memref<64x32xf32> * memref<32x16xf32, strided<[1, 32]>> -> memref<64x16xf32>
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>,
                                 affine_map<(d0, d1, d2) -> (d1, d2)>,
                                 affine_map<(d0, d1, d2) -> (d0, d1)>]
    ins(%a, %b : memref<64x32xf32>, memref<16x32xf32>) outs(%c : memref<64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func @matmul_transpose_a
// CHECK: %[[AT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<32x64xf32> to memref<64x32xf32, strided<[1, 64]>>
// CHECK: spec.matmul %{{.*}} += %[[AT]] * %{{.*}} : memref<64x32xf32, strided<[1, 64]>> * memref<32x16xf32> -> memref<64x16xf32>
func.func @matmul_transpose_a(%a: memref<32x64xf32>, %b: memref<32x16xf32>, %c: memref<64x16xf32>) {
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>,
                                 affine_map<(d0, d1, d2) -> (d2, d1)>,
                                 affine_map<(d0, d1, d2) -> (d0, d1)>]
    ins(%a, %b : memref<32x64xf32>, memref<32x16xf32>) outs(%c : memref<64x16xf32>)
  return
}

// -----

// CHECK-LABEL: func @batch_matmul
// CHECK: spec.matmul %{{.*}} += %{{.*}} * %{{.*}} : memref<4x8x16xbf16> * memref<4x16x32xbf16> -> memref<4x8x32xf32>
// CHECK: %[[BT:.*]] = memref.transpose %{{.*}} (d0, d1, d2) -> (d0, d2, d1) : memref<4x32x16xbf16> to memref<4x16x32xbf16, strided<[512, 1, 16]>>
// CHECK: spec.matmul %{{.*}} += %{{.*}} * %[[BT]] : memref<4x8x16xbf16> * memref<4x16x32xbf16, strided<[512, 1, 16]>> -> memref<4x8x32xf32>
func.func @batch_matmul(%a: memref<4x8x16xbf16>, %b: memref<4x16x32xbf16>, %bt: memref<4x32x16xbf16>, %c: memref<4x8x32xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<4x8x16xbf16>, memref<4x16x32xbf16>) outs(%c : memref<4x8x32xf32>)
  linalg.batch_matmul indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>,
                                       affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>,
                                       affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>]
    ins(%a, %bt : memref<4x8x16xbf16>, memref<4x32x16xbf16>) outs(%c : memref<4x8x32xf32>)
  return
}

// -----

// Vectors become 1 x K and K x 1 matrices.
// CHECK-LABEL: func @matvec
// CHECK-SAME: (%[[A:.*]]: memref<128x64xf32>, %[[X:.*]]: memref<64xf32>, %[[Y:.*]]: memref<128xf32>)
// CHECK: %[[XV:.*]] = memref.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [64, 1] : memref<64xf32> into memref<64x1xf32>
// CHECK: %[[YV:.*]] = memref.expand_shape %[[Y]] {{\[\[}}0, 1]] output_shape [128, 1] : memref<128xf32> into memref<128x1xf32>
// CHECK: spec.matmul %[[YV]] += %[[A]] * %[[XV]] : memref<128x64xf32> * memref<64x1xf32> -> memref<128x1xf32>
func.func @matvec(%a: memref<128x64xf32>, %x: memref<64xf32>, %y: memref<128xf32>) {
  linalg.matvec ins(%a, %x : memref<128x64xf32>, memref<64xf32>) outs(%y : memref<128xf32>)
  return
}

// -----

// CHECK-LABEL: func @vecmat
// CHECK-SAME: (%[[X:.*]]: memref<2048xbf16>, %[[W:.*]]: memref<2048x16384xbf16>, %[[Y:.*]]: memref<16384xf32>)
// CHECK: %[[XV:.*]] = memref.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [1, 2048] : memref<2048xbf16> into memref<1x2048xbf16>
// CHECK: %[[YV:.*]] = memref.expand_shape %[[Y]] {{\[\[}}0, 1]] output_shape [1, 16384] : memref<16384xf32> into memref<1x16384xf32>
// CHECK: spec.matmul %[[YV]] += %[[XV]] * %[[W]] : memref<1x2048xbf16> * memref<2048x16384xbf16> -> memref<1x16384xf32>
func.func @vecmat(%x: memref<2048xbf16>, %w: memref<2048x16384xbf16>, %y: memref<16384xf32>) {
  linalg.vecmat ins(%x, %w : memref<2048xbf16>, memref<2048x16384xbf16>) outs(%y : memref<16384xf32>)
  return
}

// -----

// Subviews keep their strided layouts.
// CHECK-LABEL: func @subview
// CHECK: spec.matmul %{{.*}} += %{{.*}} * %{{.*}} : memref<8x8xf32, strided<[64, 1], offset: 8>> * memref<8x8xf32> -> memref<8x8xf32>
func.func @subview(%big: memref<64x64xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  %a = memref.subview %big[0, 8] [8, 8] [1, 1] : memref<64x64xf32> to memref<8x8xf32, strided<[64, 1], offset: 8>>
  linalg.matmul ins(%a, %b : memref<8x8xf32, strided<[64, 1], offset: 8>>, memref<8x8xf32>) outs(%c : memref<8x8xf32>)
  return
}

// -----

// CHECK-LABEL: func @fills
func.func @fills(%f: memref<16xf32>, %i: memref<16xi32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %lowest = arith.constant -3.40282347E+38 : f32
  %imin = arith.constant -2147483648 : i32
  %izero = arith.constant 0 : i32
  // CHECK: spec.fill %{{.*}} = neg_inf : memref<16xf32>
  linalg.fill ins(%ninf : f32) outs(%f : memref<16xf32>)
  // CHECK: spec.fill %{{.*}} = min : memref<16xf32>
  linalg.fill ins(%lowest : f32) outs(%f : memref<16xf32>)
  // CHECK: spec.fill %{{.*}} = min : memref<16xi32>
  linalg.fill ins(%imin : i32) outs(%i : memref<16xi32>)
  // CHECK: spec.fill %{{.*}} = zero : memref<16xi32>
  linalg.fill ins(%izero : i32) outs(%i : memref<16xi32>)
  return
}

// -----

// Everything the spec dialect cannot state is left alone.
// CHECK-LABEL: func @left_alone
func.func @left_alone(%a: memref<?x32xf32>, %b: memref<32x16xf32>, %c: memref<?x16xf32>,
                      %d: memref<8x8xf64>, %u: memref<8x8xi8>, %ui: memref<8x8xi32>,
                      %t: tensor<8x8xf32>, %f: memref<8x8xf32>, %h: memref<8x8xf16>,
                      %s: memref<8x8xf32, strided<[?, 1]>>) -> tensor<8x8xf32> {
  %one = arith.constant 1.0 : f32
  %negzero = arith.constant -0.0 : f32
  // CHECK: linalg.fill ins(%{{.*}} : f32)
  linalg.fill ins(%one : f32) outs(%f : memref<8x8xf32>)
  // CHECK: linalg.fill ins(%{{.*}} : f32)
  linalg.fill ins(%negzero : f32) outs(%f : memref<8x8xf32>)
  // Dynamic shapes, except in matrix products (dynamic-sizes.mlir).
  // CHECK: linalg.exp ins(%{{.*}} : memref<?x32xf32>)
  linalg.exp ins(%a : memref<?x32xf32>) outs(%a : memref<?x32xf32>)
  // The output is an input (and has a run-time row stride).
  // CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x8xf32, strided<[?, 1]>>, memref<8x8xf32>)
  linalg.matmul ins(%s, %f : memref<8x8xf32, strided<[?, 1]>>, memref<8x8xf32>) outs(%f : memref<8x8xf32>)
  // f64.
  // CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x8xf64>, memref<8x8xf64>)
  linalg.matmul ins(%d, %d : memref<8x8xf64>, memref<8x8xf64>) outs(%d : memref<8x8xf64>)
  // Unsigned integer products.
  // CHECK: linalg.matmul {cast = #linalg.type_fn<cast_unsigned>}
  linalg.matmul {cast = #linalg.type_fn<cast_unsigned>} ins(%u, %u : memref<8x8xi8>, memref<8x8xi8>) outs(%ui : memref<8x8xi32>)
  // A narrowing accumulation.
  // CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x8xf32>, memref<8x8xf32>) outs(%{{.*}} : memref<8x8xf16>)
  linalg.matmul ins(%f, %f : memref<8x8xf32>, memref<8x8xf32>) outs(%h : memref<8x8xf16>)
  // Tensors are values: an output that is also an input is fine (tensors.mlir).
  // CHECK: %[[R:.*]] = spec.matmul %{{.*}} += %{{.*}} * %{{.*}} : tensor<8x8xf32> * tensor<8x8xf32> -> tensor<8x8xf32>
  %r = linalg.matmul ins(%t, %t : tensor<8x8xf32>, tensor<8x8xf32>) outs(%t : tensor<8x8xf32>) -> tensor<8x8xf32>
  // CHECK-NOT: spec.
  // CHECK: return %[[R]]
  return %r : tensor<8x8xf32>
}

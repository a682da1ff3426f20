// Matrix products with dynamic sizes become loops over static blocks: each
// dynamic dimension in blocks of 256, 64 and 16 (K: 512, 128 and 16; the
// last maybe padded), a static one in blocks of 256 (K: 512) and one exact
// remainder; every block is a view of its operand.
// RUN: tessel-opt %s --tessel-import-linalg --split-input-file | FileCheck %s

// Every size dynamic: 3 x 3 x 3 block shapes.
// CHECK-LABEL: func.func @all_dynamic(
// CHECK-NOT: linalg.matmul
// CHECK-COUNT-27: spec.matmul
// CHECK-NOT: spec.matmul
func.func @all_dynamic(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// A dynamic row count with static weights (K = 300, N = 16): three
// row-block sizes, each over all of K (a static K up to 512 is one block).
// B's block is viewed outside the loop over rows, which is parallel where
// no block sticks out.
// CHECK-LABEL: func.func @dynamic_rows(
// CHECK-SAME: %[[A:.*]]: memref<?x300xf32>, %[[B:.*]]: memref<300x16xf32>, %[[C:.*]]: memref<?x16xf32>)
// CHECK: scf.for %[[N:.*]] =
// CHECK:   scf.for %[[K:.*]] =
// CHECK:     %[[BV:.*]] = memref.subview %[[B]][%[[K]], %[[N]]] [300, 16] [1, 1]
// CHECK:     scf.forall (%[[M:.*]]) =
// CHECK:       %[[AV:.*]] = memref.subview %[[A]][%[[M]], %[[K]]] [256, 300] [1, 1]
// CHECK:       %[[CV:.*]] = memref.subview %[[C]][%[[M]], %[[N]]] [256, 16] [1, 1]
// CHECK:       spec.matmul %[[CV]] += %[[AV]] * %[[BV]] : memref<256x300xf32, strided<[300, 1], offset: ?>> * memref<300x16xf32, strided<[16, 1], offset: ?>> -> memref<256x16xf32, strided<[16, 1], offset: ?>>
// CHECK-COUNT-2: spec.matmul
// CHECK-NOT: spec.matmul
func.func @dynamic_rows(%a: memref<?x300xf32>, %b: memref<300x16xf32>, %c: memref<?x16xf32>) {
  linalg.matmul ins(%a, %b : memref<?x300xf32>, memref<300x16xf32>) outs(%c : memref<?x16xf32>)
  return
}

// -----

// The last block of a dynamic dimension may stick out: then A, B and C go
// through zero-padded copies, C's part inside written back.
// CHECK-LABEL: func.func @padded(
// CHECK: scf.if
// CHECK:   spec.fill %{{.*}} = zero : memref<16x16xf32{{.*}}>
// CHECK:   scf.for
// CHECK:     memref.load
// CHECK:     memref.store
func.func @padded(%a: memref<?x16xf32>, %b: memref<16x16xf32>, %c: memref<?x16xf32>) {
  linalg.matmul ins(%a, %b : memref<?x16xf32>, memref<16x16xf32>) outs(%c : memref<?x16xf32>)
  return
}

// -----

// A zero fill of C before the product: each block's first step along K
// overwrites C; the fill runs only if K is 0 (no step at all).
// CHECK-LABEL: func.func @zeroed(
// CHECK-SAME: %[[A:[^:]*]]: memref<?x?xf32>
// CHECK-NOT: linalg.fill
// CHECK: %[[K:.*]] = memref.dim %[[A]], %c1
// CHECK: %[[EMPTY:.*]] = arith.cmpi eq, %[[K]], %{{.*}} : index
// CHECK: scf.if %[[EMPTY]] {
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: }
// CHECK: scf.for
// CHECK: scf.for %[[KB:[^ ]*]] =
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[KB]], %{{.*}} : index
// CHECK: scf.if %[[FIRST]] {
// CHECK: spec.matmul %{{.*}} = %{{.*}} * %{{.*}} : memref<256x512xf32
// CHECK: } else {
// CHECK: spec.matmul %{{.*}} += %{{.*}} * %{{.*}} : memref<256x512xf32
// CHECK-COUNT-52: spec.matmul
// CHECK-NOT: spec.matmul
func.func @zeroed(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?xf32>)
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// With a static K the fill goes.
// CHECK-LABEL: func.func @zeroed_rows(
// CHECK-NOT: linalg.fill
// CHECK: spec.matmul %{{.*}} = 
// CHECK: spec.matmul %{{.*}} += 
func.func @zeroed_rows(%a: memref<?x300xf32>, %b: memref<300x16xf32>, %c: memref<?x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x16xf32>)
  linalg.matmul ins(%a, %b : memref<?x300xf32>, memref<300x16xf32>) outs(%c : memref<?x16xf32>)
  return
}

// -----

// The likely sizes get a static program, run when the sizes match; the
// blocks serve every other size.
// CHECK-LABEL: func.func @likely(
// CHECK-SAME: %[[A:[^:]*]]: memref<?x?xf32>, %[[B:[^:]*]]: memref<?x?xf32>, %[[C:[^:]*]]: memref<?x?xf32>)
// CHECK-DAG: %[[M:.*]] = memref.dim %[[A]], %c0
// CHECK-DAG: %[[K:.*]] = memref.dim %[[A]], %c1
// CHECK-DAG: %[[N:.*]] = memref.dim %[[B]], %c1
// CHECK-DAG: %[[ISM:.*]] = arith.cmpi eq, %[[M]], %c37
// CHECK-DAG: %[[ISN:.*]] = arith.cmpi eq, %[[N]], %c41
// CHECK-DAG: %[[ISK:.*]] = arith.cmpi eq, %[[K]], %c43
// CHECK: scf.if %{{.*}} {
// CHECK-DAG: %[[SA:.*]] = memref.cast %[[A]] : memref<?x?xf32> to memref<37x43xf32>
// CHECK-DAG: %[[SB:.*]] = memref.cast %[[B]] : memref<?x?xf32> to memref<43x41xf32>
// CHECK-DAG: %[[SC:.*]] = memref.cast %[[C]] : memref<?x?xf32> to memref<37x41xf32>
// CHECK: spec.matmul %[[SC]] += %[[SA]] * %[[SB]] : memref<37x43xf32> * memref<43x41xf32> -> memref<37x41xf32>
// CHECK-NEXT: } else {
// CHECK-COUNT-27: spec.matmul
// CHECK-NOT: spec.matmul
func.func @likely(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  linalg.matmul {tessel.likely_sizes = array<i64: 37, 41, 43>}
      ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// Upper bounds drop the blocks larger than them: declared (M <= 40: blocks
// of 16 only) or proven by value bounds (M <= 100 through affine.min: no
// blocks of 256).
// CHECK-LABEL: func.func @bounded(
// CHECK-COUNT-1: spec.matmul %{{.*}} += %{{.*}} : memref<16x64xf32
// CHECK-NOT: spec.matmul
// CHECK-LABEL: func.func @proven(
// CHECK: spec.matmul %{{.*}} += %{{.*}} : memref<64x64xf32
// CHECK: spec.matmul %{{.*}} += %{{.*}} : memref<16x64xf32
// CHECK-NOT: spec.matmul
func.func @bounded(%a: memref<?x64xf32>, %b: memref<64x64xf32>, %c: memref<?x64xf32>) {
  linalg.matmul {tessel.max_sizes = array<i64: 40, 64, 64>}
      ins(%a, %b : memref<?x64xf32>, memref<64x64xf32>) outs(%c : memref<?x64xf32>)
  return
}
func.func @proven(%a: memref<?x64xf32>, %b: memref<64x64xf32>, %c: memref<?x64xf32>, %n: index) {
  %m = affine.min affine_map<(d0) -> (d0, 100)>(%n)
  %sa = memref.subview %a[0, 0] [%m, 64] [1, 1] : memref<?x64xf32> to memref<?x64xf32, strided<[64, 1]>>
  %sc = memref.subview %c[0, 0] [%m, 64] [1, 1] : memref<?x64xf32> to memref<?x64xf32, strided<[64, 1]>>
  linalg.matmul ins(%sa, %b : memref<?x64xf32, strided<[64, 1]>>, memref<64x64xf32>)
                outs(%sc : memref<?x64xf32, strided<[64, 1]>>)
  return
}

// -----

// A static row pitch bounds a dynamic row: B's rows hold at most 200
// elements, so N has no blocks of 256 (2 x 3 x 3 block shapes).
// CHECK-LABEL: func.func @pitch_bound(
// CHECK-NOT: x256xf32
// CHECK-COUNT-18: spec.matmul
// CHECK-NOT: spec.matmul
func.func @pitch_bound(%a: memref<?x?xf32>, %b: memref<?x?xf32, strided<[200, 1], offset: ?>>, %c: memref<?x?xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32, strided<[200, 1], offset: ?>>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// A likely size that an operand's static size contradicts never runs: no
// static program for it.
// CHECK-LABEL: func.func @likely_contradicted(
// CHECK-NOT: memref<128x128xf32>
// CHECK: spec.matmul
func.func @likely_contradicted(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x32xf32>) {
  linalg.matmul {tessel.likely_sizes = array<i64: 128, 128, 128>}
      ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x32xf32>)
  return
}

// Copies, transposes and casts (linalg.copy, linalg.transpose, generics
// whose body yields the input, as it is or cast) become spec.move; a copy
// that broadcasts spec.broadcast; an integer narrowing and a
// copy onto its own input are left alone.
// RUN: tessel-opt %s --tessel-import-linalg -split-input-file | FileCheck %s
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false -split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// CHECK-LABEL: func.func @copy(
// CHECK: spec.move %arg1 = %arg0 : memref<8x16xf32> -> memref<8x16xf32>
func.func @copy(%a: memref<8x16xf32>, %b: memref<8x16xf32>) {
  linalg.copy ins(%a : memref<8x16xf32>) outs(%b : memref<8x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @transpose(
// CHECK: %[[T:.*]] = memref.transpose %arg0 (d0, d1) -> (d1, d0) : memref<8x16xf32> to memref<16x8xf32, strided<[1, 16]>>
// CHECK: spec.move %arg1 = %[[T]] : memref<16x8xf32, strided<[1, 16]>> -> memref<16x8xf32>
func.func @transpose(%a: memref<8x16xf32>, %b: memref<16x8xf32>) {
  linalg.transpose ins(%a : memref<8x16xf32>) outs(%b : memref<16x8xf32>) permutation = [1, 0]
  return
}

// -----

// CHECK-LABEL: func.func @widen(
// CHECK: spec.move %arg1 = %arg0 : memref<8x16xbf16> -> memref<8x16xf32>
func.func @widen(%a: memref<8x16xbf16>, %b: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<8x16xbf16>) outs(%b : memref<8x16xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  }
  return
}

// -----

// A copy that adds dims is a spec.broadcast (one dim, or a bias over the
// channels of an NCHW image); one that casts while it broadcasts is left
// alone, and so is a broadcasting body that is nearly a copy (x * 1.000001:
// no catalog function).
// REMARK: moves.mlir:[[# @LINE + 21]]:3: remark: left to upstream lowering: a copy that broadcasts and casts (spec.broadcast repeats in the same type)
// REMARK: moves.mlir:[[# @LINE + 27]]:3: remark: left to upstream lowering: the body computes no function of the elementwise catalog
// CHECK-LABEL: func.func @broadcast(
// CHECK: %[[V:.*]] = memref.expand_shape %arg0 {{\[\[}}0, 1]] output_shape [1, 16]
// CHECK: spec.broadcast %arg1 = broadcast(%[[V]]) along [0] : memref<1x16xf32> -> memref<8x16xf32>
// CHECK: %[[W:.*]] = memref.expand_shape %arg0 {{\[\[}}0, 1, 2]] output_shape [1, 1, 16]
// CHECK: spec.broadcast %arg2 = broadcast(%[[W]]) along [0, 1] : memref<1x1x16xf32> -> memref<4x8x16xf32>
// CHECK: %[[B:.*]] = memref.expand_shape %arg3 {{\[\[}}0, 1, 2, 3]] output_shape [1, 16, 1, 1]
// CHECK: spec.broadcast %arg4 = broadcast(%[[B]]) along [0, 2, 3] : memref<1x16x1x1xf32> -> memref<2x16x5x7xf32>
// CHECK: linalg.generic
// CHECK: linalg.generic
func.func @broadcast(%a: memref<16xf32>, %b: memref<8x16xf32>, %c: memref<4x8x16xf32>,
                     %bias: memref<16xf32>, %image: memref<2x16x5x7xf32>, %h: memref<16xbf16>) {
  linalg.broadcast ins(%a : memref<16xf32>) outs(%b : memref<8x16xf32>) dimensions = [0]
  linalg.broadcast ins(%a : memref<16xf32>) outs(%c : memref<4x8x16xf32>) dimensions = [0, 1]
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : memref<16xf32>) outs(%image : memref<2x16x5x7xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%h : memref<16xbf16>) outs(%b : memref<8x16xf32>) {
  ^bb0(%x: bf16, %o: f32):
    %y = arith.extf %x : bf16 to f32
    linalg.yield %y : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<16xf32>) outs(%b : memref<8x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %k = arith.constant 1.000001 : f32
    %y = arith.mulf %x, %k : f32
    linalg.yield %y : f32
  }
  return
}

// -----

// Narrowing floats is a cast synthesis does not make (the dialect states
// it; the import leaves it to upstream rather than fail in synthesis).
// REMARK: moves.mlir:[[# @LINE + 4]]:3: remark: left to upstream lowering: a cast synthesis does not make (it widens bf16/f16 to f32, i8 to i16 or i32, i16 to i32)
// CHECK-LABEL: func.func @narrow_float(
// CHECK: linalg.copy
func.func @narrow_float(%a: memref<8x16xf32>, %b: memref<8x16xf16>) {
  linalg.copy ins(%a : memref<8x16xf32>) outs(%b : memref<8x16xf16>)
  return
}

// -----

// Narrowing integers is no move.
// REMARK: moves.mlir:[[# @LINE + 3]]:3: remark: left to upstream lowering: synthesis computes elementwise ops on f32 or bf16 inputs
// CHECK-LABEL: func.func @narrow_int(
func.func @narrow_int(%a: memref<8x16xi32>, %b: memref<8x16xi8>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<8x16xi32>) outs(%b : memref<8x16xi8>) {
  ^bb0(%x: i32, %o: i8):
    %y = arith.trunci %x : i32 to i8
    linalg.yield %y : i8
  }
  return
}

// -----

// REMARK: moves.mlir:[[# @LINE + 3]]:3: remark: left to upstream lowering: the output overlaps input #0
// CHECK-LABEL: func.func @onto_itself(
func.func @onto_itself(%a: memref<8x8xf32>) {
  linalg.transpose ins(%a : memref<8x8xf32>) outs(%a : memref<8x8xf32>) permutation = [1, 0]
  return
}

// Before bufferization, linalg on tensors imports as spec ops with tensor
// semantics: unit dimensions come and go through tensor.expand_shape and
// tensor.collapse_shape; what needs a transposed view waits for buffers.
// RUN: tessel-opt %s --tessel-import-linalg --split-input-file | FileCheck %s
// RUN: tessel-opt %s --tessel-import-linalg=report --split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// CHECK-LABEL: func.func @linear(
// CHECK-SAME: %[[X:.*]]: tensor<37x64xf32>, %[[W:.*]]: tensor<64x29xf32>
func.func @linear(%x: tensor<37x64xf32>, %w: tensor<64x29xf32>) -> tensor<37x29xf32> {
  // The zero fill becomes the matmul's overwrite.
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<37x29xf32>
  // CHECK-NOT: spec.fill
  // CHECK: %[[M:.*]] = spec.matmul %[[E]] = %[[X]] * %[[W]] : tensor<37x64xf32> * tensor<64x29xf32> -> tensor<37x29xf32>
  // CHECK: return %[[M]]
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x29xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<37x29xf32>) -> tensor<37x29xf32>
  %m = linalg.matmul ins(%x, %w : tensor<37x64xf32>, tensor<64x29xf32>)
                     outs(%f : tensor<37x29xf32>) -> tensor<37x29xf32>
  return %m : tensor<37x29xf32>
}

// -----

// A filled tensor that something else reads stays a fill.
// CHECK-LABEL: func.func @fill_used_twice(
func.func @fill_used_twice(%x: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  // CHECK: %[[F:.*]] = spec.fill
  // CHECK: spec.matmul %[[F]] += 
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %m = linalg.matmul ins(%x, %x : tensor<8x8xf32>, tensor<8x8xf32>)
                     outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %m, %f : tensor<8x8xf32>, tensor<8x8xf32>
}

// -----

// A vector gains its unit dimension for the spec op and loses it after.
// CHECK-LABEL: func.func @matvec(
func.func @matvec(%a: tensor<16x32xbf16>, %x: tensor<32xbf16>, %y: tensor<16xf32>) -> tensor<16xf32> {
  // CHECK-DAG: %[[XV:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [32, 1] : tensor<32xbf16> into tensor<32x1xbf16>
  // CHECK-DAG: %[[YV:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [16, 1] : tensor<16xf32> into tensor<16x1xf32>
  // CHECK: %[[R:.*]] = spec.matmul %[[YV]] += %{{.*}} * %[[XV]] : tensor<16x32xbf16> * tensor<32x1xbf16> -> tensor<16x1xf32>
  // CHECK: %[[C:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1]] : tensor<16x1xf32> into tensor<16xf32>
  // CHECK: return %[[C]]
  %r = linalg.matvec ins(%a, %x : tensor<16x32xbf16>, tensor<32xbf16>) outs(%y : tensor<16xf32>) -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

// Row maxima of a batch, keeping no dimension.
// CHECK-LABEL: func.func @reduce(
func.func @reduce(%x: tensor<2x5x7xf32>, %m: tensor<2x7xf32>) -> tensor<2x7xf32> {
  // CHECK: %[[MV:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [2, 1, 7]
  // CHECK: %[[R:.*]] = spec.reduce %[[MV]] += max(%{{.*}}) along 1 : tensor<2x5x7xf32> -> tensor<2x1x7xf32>
  // CHECK: tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2]] : tensor<2x1x7xf32> into tensor<2x7xf32>
  %r = linalg.reduce ins(%x : tensor<2x5x7xf32>) outs(%m : tensor<2x7xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.maximumf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %r : tensor<2x7xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_and_bias(
func.func @softmax_and_bias(%x: tensor<4x9xf32>, %b: tensor<9xf32>) -> tensor<4x9xf32> {
  %e = tensor.empty() : tensor<4x9xf32>
  // CHECK: %[[S:.*]] = spec.softmax %{{.*}} = softmax(%{{.*}}) along 1 : tensor<4x9xf32> -> tensor<4x9xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<4x9xf32>) outs(%e : tensor<4x9xf32>) -> tensor<4x9xf32>
  // CHECK: %[[BV:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 9]
  // CHECK: spec.add %[[S]] = add(%[[S]], %[[BV]]) : tensor<4x9xf32>, tensor<1x9xf32> -> tensor<4x9xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%s, %b : tensor<4x9xf32>, tensor<9xf32>) outs(%s : tensor<4x9xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %a = arith.addf %u, %v : f32
    linalg.yield %a : f32
  } -> tensor<4x9xf32>
  return %r : tensor<4x9xf32>
}

// -----

// Left alone, each with its reason.
// CHECK-LABEL: func.func @left(
// CHECK: linalg.matmul
// CHECK: linalg.exp
func.func @left(%x: tensor<8x4xf32>, %w: tensor<6x4xf32>, %o: tensor<8x6xf32>,
                %d: tensor<?x4xf32>) -> (tensor<8x6xf32>, tensor<?x4xf32>) {
  // REMARK: tensors.mlir:[[@LINE+1]]:8: remark: left to upstream lowering: an operand cannot be viewed in the matmul's dimension order (a transposed tensor becomes a view after bufferization)
  %m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                      affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
       ins(%x, %w : tensor<8x4xf32>, tensor<6x4xf32>) outs(%o : tensor<8x6xf32>) -> tensor<8x6xf32>
  // REMARK: tensors.mlir:[[@LINE+1]]:8: remark: left to upstream lowering: operand #0 (tensor<?x4xf32>): it is a tensor with dynamic sizes (those import after bufferization)
  %r = linalg.exp ins(%d : tensor<?x4xf32>) outs(%d : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %m, %r : tensor<8x6xf32>, tensor<?x4xf32>
}

// -----

// The output may already be the user's own reshape: the result keeps its
// type.
// CHECK-LABEL: func.func @own_expand(
// CHECK: %[[E:.*]] = tensor.expand_shape
// CHECK: %[[F:.*]] = spec.fill %[[E]] = zero : tensor<4x8xf32>
// CHECK-NOT: tensor.collapse_shape
// CHECK: return %[[F]] : tensor<4x8xf32>
func.func @own_expand(%t: tensor<32xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.expand_shape %t [[0, 1]] output_shape [4, 8] : tensor<32xf32> into tensor<4x8xf32>
  %r = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// An op left alone is left as it was: no view made for one operand before
// another turned out transposed.
// CHECK-LABEL: func.func @left_untouched(
// CHECK-NOT: tensor.expand_shape
// CHECK: linalg.generic
func.func @left_untouched(%v: tensor<4xf32>, %m: tensor<4x6xf32>, %o: tensor<6x4xf32>) -> tensor<6x4xf32> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> (j, i)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%v, %m : tensor<4xf32>, tensor<4x6xf32>) outs(%o : tensor<6x4xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>

// Encoded (sparse) tensors are left alone.
// CHECK-LABEL: func.func @sparse(
// CHECK: linalg.matmul
func.func @sparse(%a: tensor<8x8xf32, #CSR>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // REMARK: tensors.mlir:[[@LINE+1]]:8: remark: left to upstream lowering: operand #0 (tensor<8x8xf32, #sparse{{.*}}>): it has an encoding (a sparse or otherwise encoded tensor)
  %r = linalg.matmul ins(%a, %b : tensor<8x8xf32, #CSR>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

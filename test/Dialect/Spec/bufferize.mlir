// One-shot bufferization turns spec ops on tensors into spec ops on the
// buffers, in place on the output's buffer. Buffers with a run-time
// innermost stride (function arguments) are cast to unit stride when it is
// 1, else copied into contiguous buffers (an output is copied back).
// RUN: tessel-opt %s --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s

// CHECK-LABEL: func.func @accumulate(
// CHECK-SAME: %[[A:[^:]*]]: memref<4x8xf32, strided<[?, ?], offset: ?>>,
// CHECK-SAME: %[[B:[^:]*]]: memref<8x16xf32, strided<[?, ?], offset: ?>>,
// CHECK-SAME: %[[C:[^:]*]]: memref<4x16xf32, strided<[?, ?], offset: ?>>)
func.func @accumulate(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>,
                      %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // CHECK: %{{.*}}, %{{.*}}, %{{.*}}:2, %[[AS:.*]]:2 = memref.extract_strided_metadata %[[A]]
  // CHECK: %[[AUNIT:.*]] = arith.cmpi eq, %[[AS]]#1, %{{.*}} : index
  // CHECK: %[[AV:.*]] = scf.if %[[AUNIT]] -> (memref<4x8xf32, strided<[?, 1], offset: ?>>) {
  // CHECK:   memref.cast %[[A]] : memref<4x8xf32, strided<[?, ?], offset: ?>> to memref<4x8xf32, strided<[?, 1], offset: ?>>
  // CHECK: } else {
  // CHECK:   %[[ACOPY:.*]] = memref.alloc() {{.*}} : memref<4x8xf32>
  // CHECK:   linalg.copy ins(%[[A]] : {{.*}}) outs(%[[ACOPY]] : memref<4x8xf32>)
  // CHECK:   memref.cast %[[ACOPY]]
  // CHECK: }
  // CHECK: %[[BV:.*]] = scf.if
  // The output is read (accumulating): its copy starts from its elements.
  // CHECK: %[[CUNIT:.*]] = arith.cmpi eq
  // CHECK: %[[CV:.*]] = scf.if %[[CUNIT]]
  // CHECK: } else {
  // CHECK:   linalg.copy ins(%[[C]] : {{.*}}) outs(%{{.*}} : memref<4x16xf32>)
  // CHECK: }
  // CHECK: spec.matmul %[[CV]] += %[[AV]] * %[[BV]] : memref<4x8xf32, strided<[?, 1], offset: ?>> * memref<8x16xf32, strided<[?, 1], offset: ?>> -> memref<4x16xf32, strided<[?, 1], offset: ?>>
  // CHECK: %[[COPIED:.*]] = arith.xori %[[CUNIT]], %{{.*}} : i1
  // CHECK: scf.if %[[COPIED]] {
  // CHECK:   linalg.copy ins(%[[CV]] : {{.*}}) outs(%[[C]] : {{.*}})
  // CHECK: }
  // CHECK: return %[[C]]
  %r = spec.matmul %c += %a * %b : tensor<4x8xf32> * tensor<8x16xf32> -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// An overwritten output that starts as tensor.empty is a new buffer, not
// read and not copied; the op's result is that buffer. An elementwise op
// may then overwrite its input's buffer (ReLU in place).
// CHECK-LABEL: func.func @overwrite(
func.func @overwrite(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<4x16xf32>
  // CHECK: %[[XV:.*]] = scf.if
  // CHECK-NOT: linalg.copy {{.*}}outs(%[[OUT]] :
  // CHECK: spec.exp %[[OUT]] = exp(%[[XV]]) : memref<4x16xf32, strided<[?, 1], offset: ?>> -> memref<4x16xf32>
  // CHECK-NEXT: spec.relu %[[OUT]] = relu(%[[OUT]]) : memref<4x16xf32> -> memref<4x16xf32>
  // CHECK: return %[[OUT]]
  %e = tensor.empty() : tensor<4x16xf32>
  %y = spec.exp %e = exp(%x) : tensor<4x16xf32> -> tensor<4x16xf32>
  %r = spec.relu %y = relu(%y) : tensor<4x16xf32> -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// A new buffer has static strides: no check.
// CHECK-LABEL: func.func @local(
func.func @local() -> tensor<1x16xf32> {
  // CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<1x16xf32>
  // CHECK-NEXT: spec.fill %[[OUT]] = zero : memref<1x16xf32>
  // CHECK: return %[[OUT]]
  %e = tensor.empty() : tensor<1x16xf32>
  %z = spec.fill %e = zero : tensor<1x16xf32>
  return %z : tensor<1x16xf32>
}

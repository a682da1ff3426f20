// RUN: tessel-opt %s | FileCheck %s
// Round trip through the generic form, too.
// RUN: tessel-opt %s --mlir-print-op-generic | tessel-opt | FileCheck %s
// RUN: tessel-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func @matmul
func.func @matmul(%a: memref<64x32xf32>, %b: memref<32x16xf32>, %c: memref<64x16xf32>) {
  // CHECK: spec.matmul %{{.*}} = %{{.*}} * %{{.*}} : memref<64x32xf32> * memref<32x16xf32> -> memref<64x16xf32>
  spec.matmul %c = %a * %b : memref<64x32xf32> * memref<32x16xf32> -> memref<64x16xf32>
  // CHECK: spec.matmul %{{.*}} += %{{.*}} * %{{.*}} :
  spec.matmul %c += %a * %b : memref<64x32xf32> * memref<32x16xf32> -> memref<64x16xf32>
  // GENERIC: "spec.matmul"(%{{.*}}, %{{.*}}, %{{.*}}) <{accumulate}> : (memref<64x32xf32>, memref<32x16xf32>, memref<64x16xf32>) -> ()
  return
}

// CHECK-LABEL: func @batched_mixed_precision
func.func @batched_mixed_precision(%a: memref<4x8x16xbf16>, %b: memref<4x16x32xbf16>, %c: memref<4x8x32xf32>,
                                   %qa: memref<8x16xi8>, %qb: memref<16x32xi8>, %qc: memref<8x32xi32>) {
  // CHECK: spec.matmul {{.*}} : memref<4x8x16xbf16> * memref<4x16x32xbf16> -> memref<4x8x32xf32>
  spec.matmul %c = %a * %b : memref<4x8x16xbf16> * memref<4x16x32xbf16> -> memref<4x8x32xf32>
  // CHECK: spec.matmul {{.*}} : memref<8x16xi8> * memref<16x32xi8> -> memref<8x32xi32>
  spec.matmul %qc += %qa * %qb : memref<8x16xi8> * memref<16x32xi8> -> memref<8x32xi32>
  return
}

// Matrix-vector and vector-matrix products are shapes of spec.matmul; the
// weights may be stored transposed (a permuted layout) or packed.
// CHECK-LABEL: func @vector_matrix
func.func @vector_matrix(%x: memref<1x2048xf32>, %w: memref<2048x16384xf32, #spec.layout<[d1, d0]>>,
                         %p: memref<2048x16384xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>,
                         %y: memref<1x16384xf32>, %m: memref<16384x2048xf32>, %v: memref<2048x1xf32>, %r: memref<16384x1xf32>) {
  // CHECK: memref<2048x16384xf32, #spec.layout<[d1, d0]>>
  spec.matmul %y = %x * %w : memref<1x2048xf32> * memref<2048x16384xf32, #spec.layout<[d1, d0]>> -> memref<1x16384xf32>
  // CHECK: memref<2048x16384xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>
  spec.matmul %y = %x * %p : memref<1x2048xf32> * memref<2048x16384xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>> -> memref<1x16384xf32>
  spec.matmul %r = %m * %v : memref<16384x2048xf32> * memref<2048x1xf32> -> memref<16384x1xf32>
  return
}

// Strided views (as memref.subview makes them) and memory levels.
// CHECK-LABEL: func @views_and_levels
func.func @views_and_levels(%a: memref<8x8xf32, strided<[64, 1], offset: ?>>,
                            %l1: memref<8x8xf32, #spec.memory<l1>>,
                            %v: memref<8x16xf32, #spec.memory<vrf, vector = 16>>,
                            %s: memref<1x1xf32, #spec.memory<rf>>) {
  // CHECK: spec.move %{{.*}} = %{{.*}} : memref<8x8xf32, strided<[64, 1], offset: ?>> -> memref<8x8xf32, #spec.memory<l1>>
  spec.move %l1 = %a : memref<8x8xf32, strided<[64, 1], offset: ?>> -> memref<8x8xf32, #spec.memory<l1>>
  // CHECK: memref<8x16xf32, #spec.memory<vrf, vector = 16>>
  spec.fill %v = zero : memref<8x16xf32, #spec.memory<vrf, vector = 16>>
  spec.fill %s = neg_inf : memref<1x1xf32, #spec.memory<rf>>
  return
}

// CHECK-LABEL: func @moves
func.func @moves(%b: memref<256x512xf32>, %packed: memref<256x512xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>,
                 %wb: memref<64x64xbf16>, %wf: memref<64x64xf32>, %i8: memref<16xi8>, %i32: memref<16xi32>) {
  // CHECK: spec.move %{{.*}} = %{{.*}} : memref<256x512xf32> -> memref<256x512xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>
  spec.move %packed = %b : memref<256x512xf32> -> memref<256x512xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>
  // CHECK: spec.move {{.*}} : memref<64x64xbf16> -> memref<64x64xf32>
  spec.move %wf = %wb : memref<64x64xbf16> -> memref<64x64xf32>
  // CHECK: spec.move {{.*}} : memref<64x64xf32> -> memref<64x64xbf16>
  spec.move %wb = %wf : memref<64x64xf32> -> memref<64x64xbf16>
  // CHECK: spec.move {{.*}} : memref<16xi8> -> memref<16xi32>
  spec.move %i32 = %i8 : memref<16xi8> -> memref<16xi32>
  return
}

// CHECK-LABEL: func @fills
func.func @fills(%f: memref<4x4xf32>, %i: memref<4xi32>) {
  // CHECK: spec.fill %{{.*}} = zero : memref<4x4xf32>
  spec.fill %f = zero : memref<4x4xf32>
  // CHECK: spec.fill %{{.*}} = neg_inf : memref<4x4xf32>
  spec.fill %f = neg_inf : memref<4x4xf32>
  // CHECK: spec.fill %{{.*}} = min : memref<4xi32>
  spec.fill %i = min : memref<4xi32>
  // GENERIC: "spec.fill"(%{{.*}}) <{value = 2 : i32}> : (memref<4xi32>) -> ()
  return
}

// CHECK-LABEL: func @conv
func.func @conv(%img: memref<1x64x58x58xf32>, %f: memref<64x64x3x3xf32>, %o: memref<1x64x56x56xf32>) {
  // CHECK: spec.conv2d %{{.*}} = conv(%{{.*}}, %{{.*}}) : memref<1x64x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x56xf32>
  spec.conv2d %o = conv(%img, %f) : memref<1x64x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x56xf32>
  // CHECK: spec.conv2d %{{.*}} += conv
  spec.conv2d %o += conv(%img, %f) : memref<1x64x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x56xf32>
  return
}

// CHECK-LABEL: func @conv_nhwc_strided
func.func @conv_nhwc_strided(%img: memref<1x57x57x128xbf16>, %f: memref<3x3x128x128xbf16>, %o: memref<1x14x28x128xf32>) {
  // CHECK: spec.conv2d %{{.*}} = conv(%{{.*}}, %{{.*}}) {dilations = array<i64: 2, 1>, format = "nhwc_hwcf", strides = array<i64: 4, 2>}
  spec.conv2d %o = conv(%img, %f) {format = "nhwc_hwcf", strides = array<i64: 4, 2>, dilations = array<i64: 2, 1>} : memref<1x57x57x128xbf16>, memref<3x3x128x128xbf16> -> memref<1x14x28x128xf32>
  return
}

// CHECK-LABEL: func @conv_padded
func.func @conv_padded(%img: memref<1x56x56x64xf32>, %f: memref<3x3x64x64xf32>, %o: memref<1x56x56x64xf32>, %o2: memref<1x57x55x64xf32>) {
  // CHECK: spec.conv2d %{{.*}} = conv(%{{.*}}, %{{.*}}) {format = "nhwc_hwcf", padding = array<i64: 1, 1>}
  spec.conv2d %o = conv(%img, %f) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x56x56x64xf32>, memref<3x3x64x64xf32> -> memref<1x56x56x64xf32>
  // CHECK: padding = array<i64: 2, 0, 1, 1>
  spec.conv2d %o2 = conv(%img, %f) {format = "nhwc_hwcf", padding = array<i64: 2, 0, 1, 1>} : memref<1x56x56x64xf32>, memref<3x3x64x64xf32> -> memref<1x57x55x64xf32>
  return
}

// CHECK-LABEL: func @conv_depthwise
func.func @conv_depthwise(%img: memref<1x112x112x32xf32>, %f: memref<3x3x32xf32>, %o: memref<1x56x56x32xf32>, %img2: memref<1x32x112x112xbf16>, %f2: memref<32x3x3xbf16>, %o2: memref<1x32x55x55xf32>) {
  // CHECK: spec.conv2d %{{.*}} = conv(%{{.*}}, %{{.*}}) {format = "nhwc_hwc", padding = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>}
  spec.conv2d %o = conv(%img, %f) {format = "nhwc_hwc", strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>} : memref<1x112x112x32xf32>, memref<3x3x32xf32> -> memref<1x56x56x32xf32>
  // CHECK: spec.conv2d %{{.*}} += conv(%{{.*}}, %{{.*}}) {format = "nchw_chw", strides = array<i64: 2, 2>}
  spec.conv2d %o2 += conv(%img2, %f2) {format = "nchw_chw", strides = array<i64: 2, 2>} : memref<1x32x112x112xbf16>, memref<32x3x3xbf16> -> memref<1x32x55x55xf32>
  return
}

// CHECK-LABEL: func @softmax_family
func.func @softmax_family(%x: memref<32x1024xf32>, %y: memref<32x1024xf32>, %m: memref<32x1xf32>, %row: memref<1x1024xf32>) {
  // CHECK: spec.softmax %{{.*}} = softmax(%{{.*}}) along 1 : memref<32x1024xf32> -> memref<32x1024xf32>
  spec.softmax %y = softmax(%x) along 1 : memref<32x1024xf32> -> memref<32x1024xf32>
  // CHECK: spec.reduce %{{.*}} = max(%{{.*}}) along 1 : memref<32x1024xf32> -> memref<32x1xf32>
  spec.reduce %m = max(%x) along 1 : memref<32x1024xf32> -> memref<32x1xf32>
  // CHECK: spec.reduce %{{.*}} += sum(%{{.*}}) along 1
  spec.reduce %m += sum(%x) along 1 : memref<32x1024xf32> -> memref<32x1xf32>
  // GENERIC: "spec.reduce"(%{{.*}}, %{{.*}}) <{accumulate, dim = 1 : i64, kind = 0 : i32}>
  // CHECK: spec.broadcast %{{.*}} = broadcast(%{{.*}}) along [0] : memref<1x1024xf32> -> memref<32x1024xf32>
  spec.broadcast %y = broadcast(%row) along [0] : memref<1x1024xf32> -> memref<32x1024xf32>
  return
}

// CHECK-LABEL: func @elementwise
func.func @elementwise(%x: memref<32x64xf32>, %bias: memref<1x64xf32>, %d: memref<32x1xf32>) {
  // CHECK: spec.add %{{.*}} = add(%{{.*}}, %{{.*}}) : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
  spec.add %x = add(%x, %bias) : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
  // CHECK: spec.add %{{.*}} = add(%{{.*}}, %{{.*}}) then gelu_tanh : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
  spec.add %x = add(%x, %bias) then gelu_tanh : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
  // CHECK: spec.mul %{{.*}} = mul(
  spec.mul %x = mul(%x, %x) : memref<32x64xf32>, memref<32x64xf32> -> memref<32x64xf32>
  // CHECK: spec.div %{{.*}} = div(
  spec.div %x = div(%x, %d) : memref<32x64xf32>, memref<32x1xf32> -> memref<32x64xf32>
  // CHECK: spec.max %{{.*}} = max(
  spec.max %x = max(%x, %bias) : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
  // CHECK: spec.relu %{{.*}} = relu(%{{.*}}) : memref<32x64xf32> -> memref<32x64xf32>
  spec.relu %x = relu(%x) : memref<32x64xf32> -> memref<32x64xf32>
  return
}

// Either input broadcasts; bf16 inputs may give an f32 output.
// CHECK-LABEL: func @elementwise_more
func.func @elementwise_more(%x: memref<32x64xbf16>, %col: memref<32x1xbf16>,
                            %y: memref<32x64xf32>, %s: memref<1x1xf32>) {
  // CHECK: spec.sub %{{.*}} = sub(%{{.*}}, %{{.*}}) : memref<32x1xbf16>, memref<32x64xbf16> -> memref<32x64xf32>
  spec.sub %y = sub(%col, %x) : memref<32x1xbf16>, memref<32x64xbf16> -> memref<32x64xf32>
  // CHECK: spec.min %{{.*}} = min(
  spec.min %y = min(%s, %y) : memref<1x1xf32>, memref<32x64xf32> -> memref<32x64xf32>
  // CHECK: spec.neg %{{.*}} = neg(
  spec.neg %y = neg(%y) : memref<32x64xf32> -> memref<32x64xf32>
  // CHECK: spec.abs %{{.*}} = abs(
  spec.abs %y = abs(%y) : memref<32x64xf32> -> memref<32x64xf32>
  // CHECK: spec.exp %{{.*}} = exp(%{{.*}}) : memref<32x64xbf16> -> memref<32x64xf32>
  spec.exp %y = exp(%x) : memref<32x64xbf16> -> memref<32x64xf32>
  // CHECK: spec.tanh %{{.*}} = tanh(
  spec.tanh %y = tanh(%y) : memref<32x64xf32> -> memref<32x64xf32>
  // CHECK: spec.sigmoid %{{.*}} = sigmoid(
  spec.sigmoid %y = sigmoid(%y) : memref<32x64xf32> -> memref<32x64xf32>
  // CHECK: spec.gelu %{{.*}} = gelu(
  spec.gelu %y = gelu(%y) : memref<32x64xf32> -> memref<32x64xf32>
  // CHECK: spec.gelu_tanh %{{.*}} = gelu_tanh(
  spec.gelu_tanh %y = gelu_tanh(%y) : memref<32x64xf32> -> memref<32x64xf32>
  return
}

// Before bufferization, spec ops work on tensors and return their output's
// new value (the type of `out`).
// CHECK-LABEL: func @on_tensors
func.func @on_tensors(%a: tensor<64x32xbf16>, %b: tensor<32x16xbf16>, %c: tensor<64x16xf32>) -> tensor<64x16xf32> {
  // CHECK: %[[Z:.*]] = spec.fill %{{.*}} = zero : tensor<64x16xf32>
  %z = spec.fill %c = zero : tensor<64x16xf32>
  // CHECK: %[[M:.*]] = spec.matmul %[[Z]] += %{{.*}} * %{{.*}} : tensor<64x32xbf16> * tensor<32x16xbf16> -> tensor<64x16xf32>
  %m = spec.matmul %z += %a * %b : tensor<64x32xbf16> * tensor<32x16xbf16> -> tensor<64x16xf32>
  // CHECK: spec.relu %[[M]] = relu(%[[M]]) : tensor<64x16xf32> -> tensor<64x16xf32>
  %r = spec.relu %m = relu(%m) : tensor<64x16xf32> -> tensor<64x16xf32>
  // GENERIC: "spec.relu"(%{{.*}}, %{{.*}}) : (tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<64x16xf32>
  return %r : tensor<64x16xf32>
}

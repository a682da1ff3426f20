// The named 2-D convolutions become accumulating spec.conv2d ops of the
// same format, strides and dilations (an overwriting one after a zero
// fill, on memrefs and on tensors); what synthesis does not convolve is
// left with a remark saying why.
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s

// Remarks come before the module.
// CHECK: conv.mlir:49:3: remark: left to upstream lowering: synthesis convolves f32 or bf16 inputs into f32

// CHECK-LABEL: func.func @nhwc_fill
// CHECK-NOT: linalg.
// CHECK: spec.conv2d %{{.*}} = conv(%{{.*}}, %{{.*}}) {format = "nhwc_hwcf", strides = array<i64: 2, 2>} : memref<1x17x17x8xf32>, memref<3x3x8x16xf32> -> memref<1x8x8x16xf32>
func.func @nhwc_fill(%img: memref<1x17x17x8xf32>, %f: memref<3x3x8x16xf32>, %o: memref<1x8x8x16xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x8x16xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%img, %f : memref<1x17x17x8xf32>, memref<3x3x8x16xf32>) outs(%o : memref<1x8x8x16xf32>)
  return
}

// linalg lets the image reach past the last window: a view of the part
// the windows reach.
// CHECK-LABEL: func.func @larger_image
// CHECK: %[[V:.*]] = memref.subview %{{.*}}[0, 0, 0, 0] [1, 10, 10, 8] [1, 1, 1, 1] : memref<1x12x13x8xf32> to memref<1x10x10x8xf32, strided<[1248, 104, 8, 1]>>
// CHECK: spec.conv2d %{{.*}} = conv(%[[V]], %{{.*}}) {format = "nhwc_hwcf"}
func.func @larger_image(%img: memref<1x12x13x8xf32>, %f: memref<3x3x8x16xf32>, %o: memref<1x8x8x16xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x8x16xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%img, %f : memref<1x12x13x8xf32>, memref<3x3x8x16xf32>) outs(%o : memref<1x8x8x16xf32>)
  return
}

// CHECK-LABEL: func.func @nchw
// CHECK: spec.conv2d %{{.*}} += conv(%{{.*}}, %{{.*}}) {dilations = array<i64: 2, 3>} : memref<2x3x10x12xf32>, memref<5x3x3x3xf32> -> memref<2x5x6x6xf32>
func.func @nchw(%img: memref<2x3x10x12xf32>, %f: memref<5x3x3x3xf32>, %o: memref<2x5x6x6xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<[2, 3]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%img, %f : memref<2x3x10x12xf32>, memref<5x3x3x3xf32>) outs(%o : memref<2x5x6x6xf32>)
  return
}

// CHECK-LABEL: func.func @fhwc_bf16
// CHECK: spec.conv2d %{{.*}} += conv(%{{.*}}, %{{.*}}) {format = "nhwc_fhwc"} : memref<1x9x9x4xbf16>, memref<7x3x3x4xbf16> -> memref<1x7x7x7xf32>
func.func @fhwc_bf16(%img: memref<1x9x9x4xbf16>, %f: memref<7x3x3x4xbf16>, %o: memref<1x7x7x7xf32>) {
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%img, %f : memref<1x9x9x4xbf16>, memref<7x3x3x4xbf16>) outs(%o : memref<1x7x7x7xf32>)
  return
}

// CHECK-LABEL: func.func @f16
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @f16(%img: memref<1x9x9x4xf16>, %f: memref<3x3x4x7xf16>, %o: memref<1x7x7x7xf16>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%img, %f : memref<1x9x9x4xf16>, memref<3x3x4x7xf16>) outs(%o : memref<1x7x7x7xf16>)
  return
}

// CHECK-LABEL: func.func @tensors
// CHECK-NOT: linalg.
// CHECK: %[[S:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 10, 10, 8] [1, 1, 1, 1] : tensor<1x11x10x8xf32> to tensor<1x10x10x8xf32>
// CHECK: spec.conv2d %{{.*}} = conv(%[[S]], %{{.*}}) {format = "nhwc_hwcf"} : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32> -> tensor<1x8x8x16xf32>
func.func @tensors(%img: tensor<1x11x10x8xf32>, %f: tensor<3x3x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x16xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%img, %f : tensor<1x11x10x8xf32>, tensor<3x3x8x16xf32>) outs(%o : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
}

// A zero tensor.pad of the rows and columns becomes the padding (the pad
// reaches one row further than the stride-2 windows: no bottom padding).
// CHECK-LABEL: func.func @padded
// CHECK-NOT: tensor.pad
// CHECK: spec.conv2d %{{.*}} = conv(%arg0, %arg1) {format = "nhwc_hwcf", padding = array<i64: 1, 1, 0, 1>, strides = array<i64: 2, 2>} : tensor<1x8x7x3xf32>, tensor<3x3x3x16xf32> -> tensor<1x4x4x16xf32>
func.func @padded(%img: tensor<1x8x7x3xf32>, %f: tensor<3x3x3x16xf32>) -> tensor<1x4x4x16xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %img low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x8x7x3xf32> to tensor<1x10x9x3xf32>
  %e = tensor.empty() : tensor<1x4x4x16xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %f : tensor<1x10x9x3xf32>, tensor<3x3x3x16xf32>) outs(%o : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %r : tensor<1x4x4x16xf32>
}

// Padding with a value other than zero, or of the channels, stays a pad.
// CHECK-LABEL: func.func @not_zero_padded
// CHECK: tensor.pad
// CHECK: spec.conv2d
// CHECK-NOT: padding
// CHECK: tensor.pad
// CHECK: spec.conv2d
// CHECK-NOT: padding
// CHECK: return
func.func @not_zero_padded(%img: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x16xf32>, %f4: tensor<3x3x4x16xf32>) -> (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) {
  %z = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %img low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %one : f32
  } : tensor<1x8x8x3xf32> to tensor<1x10x10x3xf32>
  %e = tensor.empty() : tensor<1x8x8x16xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %f : tensor<1x10x10x3xf32>, tensor<3x3x3x16xf32>) outs(%o : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %q = tensor.pad %img low[0, 1, 1, 0] high[0, 1, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x8x8x3xf32> to tensor<1x10x10x4xf32>
  %r2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%q, %f4 : tensor<1x10x10x4xf32>, tensor<3x3x4x16xf32>) outs(%o : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %r, %r2 : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>
}

// Depthwise convolutions: one filter per channel.
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: linalg.depthwise
// CHECK: spec.conv2d %{{.*}} += conv(%{{.*}}, %{{.*}}) {dilations = array<i64: 1, 2>, format = "nhwc_hwc", strides = array<i64: 2, 1>} : memref<1x9x9x8xf32>, memref<3x3x8xf32> -> memref<1x4x5x8xf32>
// CHECK: spec.conv2d %{{.*}} += conv(%{{.*}}, %{{.*}}) {format = "nchw_chw"} : memref<2x5x7x7xbf16>, memref<5x3x3xbf16> -> memref<2x5x5x5xf32>
func.func @depthwise(%img: memref<1x9x9x8xf32>, %f: memref<3x3x8xf32>, %o: memref<1x4x5x8xf32>,
                     %img2: memref<2x5x7x7xbf16>, %f2: memref<5x3x3xbf16>, %o2: memref<2x5x5x5xf32>) {
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%img, %f : memref<1x9x9x8xf32>, memref<3x3x8xf32>) outs(%o : memref<1x4x5x8xf32>)
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%img2, %f2 : memref<2x5x7x7xbf16>, memref<5x3x3xbf16>) outs(%o2 : memref<2x5x5x5xf32>)
  return
}

// A pad of a dynamically sized source, or with negative (cropping)
// amounts, stays a pad (the convolution imports on its result); a pad that
// something else also reads folds into the padding and stays for that.
// CHECK-LABEL: func.func @pads_kept
// CHECK: %[[P0:.*]] = tensor.pad
// CHECK: spec.conv2d {{.*}}conv(%[[P0]], %{{.*}}) {format = "nhwc_hwc"} : tensor<1x10x10x8xf32>
// CHECK: %[[P1:.*]] = tensor.pad
// CHECK: spec.conv2d {{.*}}conv(%[[P1]], %{{.*}}) {format = "nhwc_hwc"} : tensor<1x9x9x8xf32>
// CHECK: %[[P2:.*]] = tensor.pad %arg2
// CHECK: spec.conv2d {{.*}}conv(%arg2, %{{.*}}) {format = "nhwc_hwc", padding = array<i64: 1, 1, 1, 1>}
// CHECK: return {{.*}}, {{.*}}, {{.*}}, %[[P2]]
func.func @pads_kept(%dyn: tensor<1x?x?x8xf32>, %x: tensor<1x8x8x8xf32>, %y: tensor<1x8x8x8xf32>, %w: tensor<3x3x8xf32>)
    -> (tensor<1x8x8x8xf32>, tensor<1x7x7x8xf32>, tensor<1x8x8x8xf32>, tensor<1x10x10x8xf32>) {
  %z = arith.constant 0.0 : f32
  %p0 = tensor.pad %dyn low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x?x?x8xf32> to tensor<1x10x10x8xf32>
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p0, %w : tensor<1x10x10x8xf32>, tensor<3x3x8xf32>) outs(%o : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %p1 = tensor.pad %x low[0, -1, 1, 0] high[0, 2, 0, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x8x8x8xf32> to tensor<1x9x9x8xf32>
  %e1 = tensor.empty() : tensor<1x7x7x8xf32>
  %o1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x7x7x8xf32>) -> tensor<1x7x7x8xf32>
  %r1 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p1, %w : tensor<1x9x9x8xf32>, tensor<3x3x8xf32>) outs(%o1 : tensor<1x7x7x8xf32>) -> tensor<1x7x7x8xf32>
  %p2 = tensor.pad %y low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x8x8x8xf32> to tensor<1x10x10x8xf32>
  %r2 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p2, %w : tensor<1x10x10x8xf32>, tensor<3x3x8xf32>) outs(%o : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %r0, %r1, %r2, %p2 : tensor<1x8x8x8xf32>, tensor<1x7x7x8xf32>, tensor<1x8x8x8xf32>, tensor<1x10x10x8xf32>
}

// On buffers (a bufferized tensor.pad): a zero-filled allocation, a copy of
// the image into its interior, the convolution on it. The padding folds,
// and the padded buffer goes (allocation, fill, copy, dealloc); with the
// source written between the copy and the convolution, or the buffer read
// by another op, it stays.
// CHECK-LABEL: func.func @padded_copies
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: %[[V:.*]] = memref.subview %arg0[0, 0, 0, 0] [1, 8, 7, 4]
// CHECK: spec.conv2d %arg2 = conv(%[[V]], %arg1) {format = "nhwc_hwcf", padding = array<i64: 1, 2, 1, 0>} : memref<1x8x7x4xf32, strided<[256, 32, 4, 1]>>, memref<3x3x4x8xf32> -> memref<1x8x7x8xf32>
// CHECK: memref.alloc
// CHECK: memref.copy
// CHECK: spec.conv2d %arg2 = conv(%{{.*}}, %arg1) {format = "nhwc_hwcf"}
// CHECK: %[[B:.*]] = memref.alloc
// CHECK: spec.move
// CHECK: spec.conv2d %arg2 = conv(%{{.*}}, %arg1) {format = "nhwc_hwcf"}
func.func @padded_copies(%x: memref<1x8x8x4xf32>, %w: memref<3x3x4x8xf32>, %o: memref<1x8x7x8xf32>, %other: memref<1x8x8x4xf32>) {
  %z = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x10x10x4xf32>
  linalg.fill ins(%z : f32) outs(%p : memref<1x10x10x4xf32>)
  %v = memref.subview %p[0, 1, 2, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>
  memref.copy %x, %v : memref<1x8x8x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x7x8xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : memref<1x10x10x4xf32>, memref<3x3x4x8xf32>) outs(%o : memref<1x8x7x8xf32>)
  memref.dealloc %p : memref<1x10x10x4xf32>
  // A write between the copy and the convolution.
  %q = memref.alloc() : memref<1x10x10x4xf32>
  linalg.fill ins(%z : f32) outs(%q : memref<1x10x10x4xf32>)
  %qv = memref.subview %q[0, 1, 2, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>
  memref.copy %x, %qv : memref<1x8x8x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>
  linalg.fill ins(%z : f32) outs(%x : memref<1x8x8x4xf32>)
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x7x8xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%q, %w : memref<1x10x10x4xf32>, memref<3x3x4x8xf32>) outs(%o : memref<1x8x7x8xf32>)
  // The padded buffer read by another op too.
  %r = memref.alloc() : memref<1x10x10x4xf32>
  linalg.fill ins(%z : f32) outs(%r : memref<1x10x10x4xf32>)
  %rv = memref.subview %r[0, 1, 2, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>
  linalg.copy ins(%x : memref<1x8x8x4xf32>) outs(%rv : memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 48>>)
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x7x8xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%r, %w : memref<1x10x10x4xf32>, memref<3x3x4x8xf32>) outs(%o : memref<1x8x7x8xf32>)
  %rs = memref.subview %r[0, 0, 0, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1]>>
  memref.copy %rs, %other : memref<1x8x8x4xf32, strided<[400, 40, 4, 1]>> to memref<1x8x8x4xf32>
  return
}

// Padded copies that stay: the source freed before the convolution, the
// source being the output, a converting copy. Strides and dilations left
// out are 1.
// CHECK-LABEL: func.func @padded_copies_kept
// CHECK: memref.copy
// CHECK: spec.conv2d %{{.*}} = conv(%alloc{{.*}}, %arg1) {format = "nhwc_hwcf"}
// CHECK: memref.copy %arg0
// CHECK: spec.conv2d %arg0 += conv(%alloc{{.*}}, %arg4) {format = "nhwc_hwc"}
// CHECK: linalg.copy
// CHECK: spec.conv2d %arg2 = conv(%alloc{{.*}}, %arg1) {format = "nhwc_hwcf"}
func.func @padded_copies_kept(%x: memref<1x8x8x4xf32>, %w: memref<3x3x4x8xf32>, %o: memref<1x8x8x8xf32>, %s: memref<1x8x8x4xf64>, %wd: memref<3x3x4xf32>) {
  %z = arith.constant 0.0 : f32
  %x2 = memref.alloc() : memref<1x8x8x4xf32>
  %p = memref.alloc() : memref<1x10x10x4xf32>
  linalg.fill ins(%z : f32) outs(%p : memref<1x10x10x4xf32>)
  %v = memref.subview %p[0, 1, 1, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 44>>
  memref.copy %x2, %v : memref<1x8x8x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 44>>
  memref.dealloc %x2 : memref<1x8x8x4xf32>
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x8x8xf32>)
  linalg.conv_2d_nhwc_hwcf ins(%p, %w : memref<1x10x10x4xf32>, memref<3x3x4x8xf32>) outs(%o : memref<1x8x8x8xf32>)
  %q = memref.alloc() : memref<1x10x10x4xf32>
  linalg.fill ins(%z : f32) outs(%q : memref<1x10x10x4xf32>)
  %qv = memref.subview %q[0, 1, 1, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 44>>
  memref.copy %x, %qv : memref<1x8x8x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 44>>
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%q, %wd : memref<1x10x10x4xf32>, memref<3x3x4xf32>) outs(%x : memref<1x8x8x4xf32>)
  %r = memref.alloc() : memref<1x10x10x4xf32>
  linalg.fill ins(%z : f32) outs(%r : memref<1x10x10x4xf32>)
  %rv = memref.subview %r[0, 1, 1, 0] [1, 8, 8, 4] [1, 1, 1, 1] : memref<1x10x10x4xf32> to memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 44>>
  linalg.copy ins(%s : memref<1x8x8x4xf64>) outs(%rv : memref<1x8x8x4xf32, strided<[400, 40, 4, 1], offset: 44>>)
  linalg.fill ins(%z : f32) outs(%o : memref<1x8x8x8xf32>)
  linalg.conv_2d_nhwc_hwcf ins(%r, %w : memref<1x10x10x4xf32>, memref<3x3x4x8xf32>) outs(%o : memref<1x8x8x8xf32>)
  return
}

// torch-mlir's convolution with a bias: the bias broadcast over the batch
// and the pixels initialises the output, and the convolution accumulates.
// Both become spec ops.
// CHECK-LABEL: func.func @torch_bias
// CHECK: %[[E:.*]] = tensor.expand_shape %arg2 {{\[\[}}0, 1, 2, 3]] output_shape [1, 4, 1, 1]
// CHECK: %[[B:.*]] = spec.broadcast %{{.*}} = broadcast(%[[E]]) along [0, 2, 3] : tensor<1x4x1x1xf32> -> tensor<1x4x7x7xf32>
// CHECK: spec.conv2d %[[B]] += conv(%arg0, %arg1) : tensor<1x3x9x9xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x7x7xf32>
func.func @torch_bias(%x: tensor<1x3x9x9xf32>, %w: tensor<4x3x3x3xf32>, %bias: tensor<4xf32>) -> tensor<1x4x7x7xf32> {
  %e = tensor.empty() : tensor<1x4x7x7xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : tensor<4xf32>) outs(%e : tensor<1x4x7x7xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
    ins(%x, %w : tensor<1x3x9x9xf32>, tensor<4x3x3x3xf32>) outs(%b : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  return %r : tensor<1x4x7x7xf32>
}

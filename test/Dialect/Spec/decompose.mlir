// Spec ops the engine has no kind for are decomposed before synthesis:
// softmax into a row maximum, a subtract with an exp epilogue, a row sum,
// its reciprocal and a multiply (row statistics in scratch buffers,
// intermediates in the output), a padded convolution into unpadded ones
// over its border and interior regions (the filters cut to the taps that
// reach the image; zero where the windows see only padding), per tap, or
// on a zero-bordered copy of the image, and rank-0 operands into
// one-element vectors. `tessel explain` shows the ops it synthesizes.
// RUN: tessel explain %s --threads=1 | FileCheck %s
// RUN: tessel explain %s --threads=1 --target=%S/Inputs/small-l2.target | FileCheck %s --check-prefix=SMALL-L2
// RUN: not tessel explain %S/Inputs/softmax-bf16.mlir 2>&1 | FileCheck %s --check-prefix=BF16

// CHECK-LABEL: spec.reduce %alloc = max(%arg0) along 0 : memref<5x3xf32> -> memref<1x3xf32>
// CHECK: Reduce
// CHECK-LABEL: spec.sub %arg1 = sub(%arg0, %alloc) then exp : memref<5x3xf32>, memref<1x3xf32> -> memref<5x3xf32>
// CHECK: Sub+Exp
// CHECK-LABEL: spec.reduce %alloc_0 = sum(%arg1) along 0 : memref<5x3xf32> -> memref<1x3xf32>
// CHECK-LABEL: spec.reciprocal %alloc_0 = reciprocal(%alloc_0) : memref<1x3xf32> -> memref<1x3xf32>
// CHECK-LABEL: spec.mul %arg1 = mul(%arg1, %alloc_0) : memref<5x3xf32>, memref<1x3xf32> -> memref<5x3xf32>
func.func @columns(%x: memref<5x3xf32>, %y: memref<5x3xf32>) {
  spec.softmax %y = softmax(%x) along 0 : memref<5x3xf32> -> memref<5x3xf32>
  return
}

// CHECK-LABEL: spec.fill %expand_shape = zero : memref<1xf32>
func.func @scalar(%y: memref<f32>) {
  spec.fill %y = zero : memref<f32>
  return
}

// BF16: softmax-bf16.mlir:2:3: error: 'spec.softmax' op is synthesized for f32 only; its input is 'bf16'

// A blocked operand has no strided views, so decompositions take it whole
// (they once made views of a made-up type): a large softmax is not cut into
// row blocks, and a padded convolution runs on a zero-bordered copy of the
// image, with its pair-packed filters as given. The target is the one
// whose vdpbf16ps reads such filters (on AVX2, which widens them, the
// convolution's search alone takes minutes; what is checked is the same).
// RUN: tessel explain --threads=1 --target=avx512 %S/Inputs/blocked-operands.mlir | FileCheck %s --check-prefix=BLOCKED
// BLOCKED: ReduceMax along 1 (4096x1024 f32 GL [1][0][1:16], 4096x1 f32 GL [0])
// BLOCKED: spec.move %{{.*}} = %arg0 : memref<1x14x14x256xbf16> -> memref<1x14x14x256xbf16, strided<[65536, 4096, 256, 1], offset: 4352>>
// BLOCKED: Conv 1x14x14x256 by 3x3x256 (image: 1x16x16x256 bf16 GL [1][2][3], filter: 3x3x256x256 bf16 GL [0][1][2][3][2:2], out: 1x14x14x256 f32 GL [1][2][3])

// 3x3 with padding 1 on a 5x5 image: per dim, a border output with taps
// 1-2, three interior outputs with every tap, a border with taps 0-1 (the
// filters read again per region move fewer bytes than a padded copy).
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x2x2x2xf32, strided<[50, 10, 2, 1]>>, memref<2x2x2x1xf32, strided<[6, 2, 1, 1], offset: 8>> -> memref<1x1x1x1xf32, strided<[25, 5, 1, 1]>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x2x5x2xf32, strided<[50, 10, 2, 1]>>, memref<2x3x2x1xf32, strided<[6, 2, 1, 1], offset: 6>> -> memref<1x1x3x1xf32, strided<[25, 5, 1, 1], offset: 1>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x2x2x2xf32, strided<[50, 10, 2, 1], offset: 6>>, memref<2x2x2x1xf32, strided<[6, 2, 1, 1], offset: 6>> -> memref<1x1x1x1xf32, strided<[25, 5, 1, 1], offset: 4>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x5x2x2xf32, strided<[50, 10, 2, 1]>>, memref<3x2x2x1xf32, strided<[6, 2, 1, 1], offset: 2>> -> memref<1x3x1x1xf32, strided<[25, 5, 1, 1], offset: 5>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x5x5x2xf32, strided<[50, 10, 2, 1]>>, memref<3x3x2x1xf32, strided<[6, 2, 1, 1]>> -> memref<1x3x3x1xf32, strided<[25, 5, 1, 1], offset: 6>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x5x2x2xf32, strided<[50, 10, 2, 1], offset: 6>>, memref<3x2x2x1xf32, strided<[6, 2, 1, 1]>> -> memref<1x3x1x1xf32, strided<[25, 5, 1, 1], offset: 9>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x2x2x2xf32, strided<[50, 10, 2, 1], offset: 30>>, memref<2x2x2x1xf32, strided<[6, 2, 1, 1], offset: 2>> -> memref<1x1x1x1xf32, strided<[25, 5, 1, 1], offset: 20>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x2x5x2xf32, strided<[50, 10, 2, 1], offset: 30>>, memref<2x3x2x1xf32, strided<[6, 2, 1, 1]>> -> memref<1x1x3x1xf32, strided<[25, 5, 1, 1], offset: 21>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x2x2x2xf32, strided<[50, 10, 2, 1], offset: 36>>, memref<2x2x2x1xf32, strided<[6, 2, 1, 1]>> -> memref<1x1x1x1xf32, strided<[25, 5, 1, 1], offset: 24>>
// CHECK-NOT: spec.conv2d
// CHECK-NOT: padding
func.func @padded_conv(%x: memref<1x5x5x2xf32>, %w: memref<3x3x2x1xf32>, %o: memref<1x5x5x1xf32>) {
  spec.conv2d %o = conv(%x, %w) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x5x5x2xf32>, memref<3x3x2x1xf32> -> memref<1x5x5x1xf32>
  return
}

// A 1x1 image padded by 1: only the centre output takes a tap; the
// others are zero when overwriting and left alone when accumulating.
// CHECK-LABEL: spec.fill %subview = zero : memref<1x1x1x1xf32, strided<[9, 3, 1, 1]>>
// CHECK-COUNT-3: spec.fill
// CHECK: spec.conv2d {{.*}} : memref<1x1x1x1xf32, strided<[1, 1, 1, 1]>>, memref<1x1x1x1xf32, strided<[1, 1, 1, 1]>> -> memref<1x1x1x1xf32, strided<[9, 3, 1, 1], offset: 4>>
// CHECK-COUNT-4: spec.fill
func.func @only_padding(%x: memref<1x1x1x1xf32>, %w: memref<1x1x1x1xf32>, %o: memref<1x3x3x1xf32>) {
  spec.conv2d %o = conv(%x, %w) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x1x1x1xf32>, memref<1x1x1x1xf32> -> memref<1x3x3x1xf32>
  return
}

// CHECK-NOT: spec.fill
// CHECK: spec.conv2d {{.*}} += conv
// CHECK-NOT: spec.fill
func.func @only_padding_accumulating(%x: memref<1x1x1x1xf32>, %w: memref<1x1x1x1xf32>, %o: memref<1x3x3x1xf32>) {
  spec.conv2d %o += conv(%x, %w) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x1x1x1xf32>, memref<1x1x1x1xf32> -> memref<1x3x3x1xf32>
  return
}

// Small images under large filters: regions would read the filters again
// (16 taps' worth instead of 9). Tap by tap, the output is zeroed, then
// each tap multiplies the image pixels it meets into the outputs that meet
// them (tap (0, 0): pixel (0, 0) into output (1, 1); tap (1, 1): all):
// the image and output (2 KiB) are read again per tap from cache, and
// nothing is multiplied by padding.
// CHECK-LABEL: spec.fill %arg2 = zero : memref<1x2x2x64xf32>
// CHECK: spec.conv2d %{{.*}} += conv(%{{.*}}, %{{.*}}) {format = "nhwc_hwcf"} : memref<1x1x1x64xf32, strided<[256, 128, 64, 1]>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1]>> -> memref<1x1x1x64xf32, strided<[256, 128, 64, 1], offset: 192>>
// CHECK: spec.conv2d {{.*}} : memref<1x1x2x64xf32, strided<[256, 128, 64, 1]>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 4096>> -> memref<1x1x2x64xf32, strided<[256, 128, 64, 1], offset: 128>>
// CHECK: spec.conv2d {{.*}} : memref<1x1x1x64xf32, strided<[256, 128, 64, 1], offset: 64>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 8192>> -> memref<1x1x1x64xf32, strided<[256, 128, 64, 1], offset: 128>>
// CHECK: spec.conv2d {{.*}} : memref<1x2x1x64xf32, strided<[256, 128, 64, 1]>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 12288>> -> memref<1x2x1x64xf32, strided<[256, 128, 64, 1], offset: 64>>
// CHECK: spec.conv2d {{.*}} : memref<1x2x2x64xf32, strided<[256, 128, 64, 1]>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 16384>> -> memref<1x2x2x64xf32, strided<[256, 128, 64, 1]>>
// CHECK: spec.conv2d {{.*}} : memref<1x2x1x64xf32, strided<[256, 128, 64, 1], offset: 64>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 20480>> -> memref<1x2x1x64xf32, strided<[256, 128, 64, 1]>>
// CHECK: spec.conv2d {{.*}} : memref<1x1x1x64xf32, strided<[256, 128, 64, 1], offset: 128>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 24576>> -> memref<1x1x1x64xf32, strided<[256, 128, 64, 1], offset: 64>>
// CHECK: spec.conv2d {{.*}} : memref<1x1x2x64xf32, strided<[256, 128, 64, 1], offset: 128>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 28672>> -> memref<1x1x2x64xf32, strided<[256, 128, 64, 1]>>
// CHECK: spec.conv2d {{.*}} : memref<1x1x1x64xf32, strided<[256, 128, 64, 1], offset: 192>>, memref<1x1x64x64xf32, strided<[12288, 4096, 64, 1], offset: 32768>> -> memref<1x1x1x64xf32, strided<[256, 128, 64, 1]>>
// CHECK-NOT: spec.conv2d
// The image and output fit even an 8 KiB L2:
// SMALL-L2-LABEL: spec.fill %arg2 = zero : memref<1x2x2x64xf32>
// SMALL-L2-COUNT-9: spec.conv2d %{{.*}} += conv
func.func @per_tap(%x: memref<1x2x2x64xf32>, %w: memref<3x3x64x64xf32>, %o: memref<1x2x2x64xf32>) {
  spec.conv2d %o = conv(%x, %w) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x2x2x64xf32>, memref<3x3x64x64xf32> -> memref<1x2x2x64xf32>
  return
}

// Tap by tap with strides, dilations and asymmetric padding (NCHW,
// accumulating: no fill): tap row 0 meets the image only from output row 1.
// CHECK-LABEL: spec.conv2d %{{.*}} += conv({{.*}}) {strides = array<i64: 2, 3>} : memref<1x64x1x4xf32, strided<[1920, 30, 6, 1]>>, memref<64x64x1x1xf32, strided<[576, 9, 3, 1]>> -> memref<1x64x1x2xf32, strided<[256, 4, 2, 1], offset: 2>>
// CHECK-COUNT-8: spec.conv2d %{{.*}} += conv
// CHECK-NOT: spec.conv2d
func.func @per_tap_strided(%x: memref<1x64x5x6xf32>, %w: memref<64x64x3x3xf32>, %o: memref<1x64x2x2xf32>) {
  spec.conv2d %o += conv(%x, %w) {format = "nchw_fchw", strides = array<i64: 2, 3>, dilations = array<i64: 2, 1>, padding = array<i64: 2, 0, 1, 1>} : memref<1x64x5x6xf32>, memref<64x64x3x3xf32> -> memref<1x64x2x2xf32>
  return
}

// NHWC/FHWC, one image row padded by 2 above and below under filter rows
// at stride 2: output row 0 meets it at filter row 2, output row 1 at row
// 0, and filter row 1 at neither: its three taps are left out (the zero
// fill stands for them), the other six each cover one output row.
// CHECK-LABEL: spec.fill %arg2 = zero : memref<1x2x3x32xf32>
// CHECK-COUNT-6: spec.conv2d %{{.*}} += conv({{.*}}) {format = "nhwc_fhwc", strides = array<i64: 2, 1>} : memref<1x1x{{[23]}}x32xf32{{.*}}>, memref<32x1x1x32xf32
// CHECK-NOT: spec.conv2d
func.func @per_tap_fhwc(%x: memref<1x1x3x32xf32>, %w: memref<32x3x3x32xf32>, %o: memref<1x2x3x32xf32>) {
  spec.conv2d %o = conv(%x, %w) {format = "nhwc_fhwc", strides = array<i64: 2, 1>, padding = array<i64: 2, 1, 2, 1>} : memref<1x1x3x32xf32>, memref<32x3x3x32xf32> -> memref<1x2x3x32xf32>
  return
}

// When the output and image do not fit the target's L2 together (11 KiB
// here, against the 8 KiB of small-l2.target; 28x28 layers of 128 channels
// against a 512 KiB budget), rereading them per tap would come from memory:
// a zero-bordered copy of the image instead, borders filled, the image
// moved in, one unpadded conv.
// CHECK-LABEL: spec.fill %arg2 = zero : memref<1x6x6x64xf32>
// CHECK-COUNT-9: spec.conv2d %{{.*}} += conv
// SMALL-L2-LABEL: spec.fill %subview = zero : memref<1x1x8x16xf32, strided<[1024, 128, 16, 1]>>
// SMALL-L2: spec.fill %{{.*}} = zero : memref<1x1x8x16xf32, strided<[1024, 128, 16, 1], offset: 896>>
// SMALL-L2: spec.fill %{{.*}} = zero : memref<1x6x1x16xf32, strided<[1024, 128, 16, 1], offset: 128>>
// SMALL-L2: spec.fill %{{.*}} = zero : memref<1x6x1x16xf32, strided<[1024, 128, 16, 1], offset: 240>>
// SMALL-L2: spec.move %{{.*}} = %arg0 : memref<1x6x6x16xf32> -> memref<1x6x6x16xf32, strided<[1024, 128, 16, 1], offset: 144>>
// SMALL-L2: spec.conv2d %arg2 = conv(%alloc, %arg1) {format = "nhwc_hwcf"} : memref<1x8x8x16xf32>, memref<3x3x16x64xf32> -> memref<1x6x6x64xf32>
func.func @padded_copy(%x: memref<1x6x6x16xf32>, %w: memref<3x3x16x64xf32>, %o: memref<1x6x6x64xf32>) {
  spec.conv2d %o = conv(%x, %w) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x6x6x16xf32>, memref<3x3x16x64xf32> -> memref<1x6x6x64xf32>
  return
}

// Depthwise NCHW/CHW with stride 2, dilation 2 along w and asymmetric
// padding: rows take taps {2}, {0, 1, 2} (two outputs) and {0, 1}; no
// column reaches the padding (the right one is past the last window).
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x3x1x7xf32, strided<[126, 42, 7, 1]>>, memref<3x1x3xf32, strided<[9, 3, 1], offset: 6>> -> memref<1x3x1x2xf32, strided<[24, 8, 2, 1]>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x3x5x7xf32, strided<[126, 42, 7, 1]>>, memref<3x3x3xf32, strided<[9, 3, 1]>> -> memref<1x3x2x2xf32, strided<[24, 8, 2, 1], offset: 2>>
// CHECK-LABEL: spec.conv2d {{.*}} : memref<1x3x2x7xf32, strided<[126, 42, 7, 1], offset: 28>>, memref<3x2x3xf32, strided<[9, 3, 1]>> -> memref<1x3x1x2xf32, strided<[24, 8, 2, 1], offset: 6>>
func.func @depthwise_padded(%x: memref<1x3x6x7xf32>, %w: memref<3x3x3xf32>, %o: memref<1x3x4x2xf32>) {
  spec.conv2d %o = conv(%x, %w) {format = "nchw_chw", strides = array<i64: 2, 2>, dilations = array<i64: 1, 2>, padding = array<i64: 2, 0, 1, 1>} : memref<1x3x6x7xf32>, memref<3x3x3xf32> -> memref<1x3x4x2xf32>
  return
}

// A unary op in place right after the binary op that wrote its buffer is
// that op's epilogue; not when another op comes between, when it reads
// another buffer, or when the binary op has an epilogue already.
// CHECK-LABEL: spec.add %arg2 = add(%arg0, %arg1) then relu
// CHECK: Add+Relu
// CHECK-NOT: spec.relu %arg2
// CHECK-LABEL: spec.mul %arg3 = mul(%arg0, %arg0) : memref<4x16xf32>
// CHECK-LABEL: spec.fill
// CHECK-LABEL: spec.exp %arg3 = exp(%arg3)
// CHECK-LABEL: spec.sub %arg3 = sub(%arg0, %arg1) then tanh
// CHECK-LABEL: spec.neg %arg3 = neg(%arg3)
// CHECK-LABEL: spec.max %arg3 = max(%arg0, %arg1)
// CHECK-LABEL: spec.abs %arg2 = abs(%arg3)
func.func @epilogues(%x: memref<4x16xf32>, %b: memref<1x16xf32>, %y: memref<4x16xf32>, %z: memref<4x16xf32>) {
  spec.add %y = add(%x, %b) : memref<4x16xf32>, memref<1x16xf32> -> memref<4x16xf32>
  spec.relu %y = relu(%y) : memref<4x16xf32> -> memref<4x16xf32>
  spec.mul %z = mul(%x, %x) : memref<4x16xf32>, memref<4x16xf32> -> memref<4x16xf32>
  spec.fill %y = zero : memref<4x16xf32>
  spec.exp %z = exp(%z) : memref<4x16xf32> -> memref<4x16xf32>
  spec.sub %z = sub(%x, %b) then tanh : memref<4x16xf32>, memref<1x16xf32> -> memref<4x16xf32>
  spec.neg %z = neg(%z) : memref<4x16xf32> -> memref<4x16xf32>
  spec.max %z = max(%x, %b) : memref<4x16xf32>, memref<1x16xf32> -> memref<4x16xf32>
  spec.abs %y = abs(%z) : memref<4x16xf32> -> memref<4x16xf32>
  return
}

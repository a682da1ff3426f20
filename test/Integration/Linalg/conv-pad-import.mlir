// Padding torch-mlir's way: a zero `tensor.pad` of the image's rows and
// columns feeding a named convolution (3x3 padding 1 NHWC/HWCF; stride 2
// with asymmetric padding NCHW/FCHW, the pad reaching past the last
// window; a MobileNet-style depthwise 3x3 stride 2 NHWC/HWC) folds into spec.conv2d's padding under `tessel-import-linalg`,
// then one-shot bufferization, upstream's deallocation pipeline and
// `tessel-to-llvm` (upstream mlir-opt with the plugin), then mlir-runner.
// The same pads and convolutions on dynamically sized tensors (which the
// import leaves to upstream) are the reference; inputs are small integers,
// so every sum is exact and the two must agree exactly.

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-import-linalg)" -o %t.spec.mlir
// RUN: FileCheck %s --check-prefix=SPEC < %t.spec.mlir
// RUN: %preload_asan mlir-opt %t.spec.mlir --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(one-shot-bufferize{bufferize-function-boundaries}, buffer-deallocation-pipeline, tessel-to-llvm)" \
// RUN:   -o %t.ll.mlir
// RUN: mlir-runner %t.ll.mlir -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

// SPEC-LABEL: func.func @same(
// SPEC-NOT: tensor.pad
// SPEC-NOT: linalg.
// SPEC: spec.conv2d %{{.*}} = conv(%arg0, %arg1) {format = "nhwc_hwcf", padding = array<i64: 1, 1, 1, 1>}
// SPEC-LABEL: func.func @strided(
// SPEC-NOT: tensor.pad
// SPEC: spec.conv2d %{{.*}} = conv(%arg0, %arg1) {padding = array<i64: 2, 1, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x3x9x8xf32>, tensor<5x3x3x3xf32> -> tensor<1x5x5x4xf32>
// SPEC-LABEL: func.func @depthwise(
// SPEC-NOT: tensor.pad
// SPEC: spec.conv2d %{{.*}} = conv(%arg0, %arg1) {format = "nhwc_hwc", padding = array<i64: 1, 1, 0, 1>, strides = array<i64: 2, 2>} : tensor<1x10x9x16xf32>, tensor<3x3x16xf32> -> tensor<1x5x5x16xf32>
// SPEC-LABEL: func.func @same_ref(
// SPEC: tensor.pad
// SPEC: linalg.conv_2d_nhwc_hwcf

// Largest difference of each case.
// CHECK: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}

func.func @same(%x: tensor<2x7x6x5xf32>, %w: tensor<3x3x5x9xf32>) -> tensor<2x7x6x9xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<2x7x6x5xf32> to tensor<2x9x8x5xf32>
  %e = tensor.empty() : tensor<2x7x6x9xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<2x7x6x9xf32>) -> tensor<2x7x6x9xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<2x9x8x5xf32>, tensor<3x3x5x9xf32>) outs(%o : tensor<2x7x6x9xf32>) -> tensor<2x7x6x9xf32>
  return %r : tensor<2x7x6x9xf32>
}

func.func @strided(%x: tensor<1x3x9x8xf32>, %w: tensor<5x3x3x3xf32>) -> tensor<1x5x5x4xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 2, 1] high[0, 0, 1, 2] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x3x9x8xf32> to tensor<1x3x12x11xf32>
  %e = tensor.empty() : tensor<1x5x5x4xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<1x3x12x11xf32>, tensor<5x3x3x3xf32>) outs(%o : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  return %r : tensor<1x5x5x4xf32>
}

func.func @depthwise(%x: tensor<1x10x9x16xf32>, %w: tensor<3x3x16xf32>) -> tensor<1x5x5x16xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x10x9x16xf32> to tensor<1x12x11x16xf32>
  %e = tensor.empty() : tensor<1x5x5x16xf32>
  %o = linalg.fill ins(%z : f32) outs(%e : tensor<1x5x5x16xf32>) -> tensor<1x5x5x16xf32>
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<1x12x11x16xf32>, tensor<3x3x16xf32>) outs(%o : tensor<1x5x5x16xf32>) -> tensor<1x5x5x16xf32>
  return %r : tensor<1x5x5x16xf32>
}

func.func @same_ref(%x: tensor<?x?x?x?xf32>, %w: tensor<?x?x?x?xf32>, %d0: index, %d1: index, %d2: index, %d3: index) -> tensor<?x?x?x?xf32> {
  %z = arith.constant 0.0 : f32
  %o = tensor.empty(%d0, %d1, %d2, %d3) : tensor<?x?x?x?xf32>
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<?x?x?x?xf32> to tensor<?x?x?x?xf32>
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) outs(%f : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  return %r : tensor<?x?x?x?xf32>
}

func.func @strided_ref(%x: tensor<?x?x?x?xf32>, %w: tensor<?x?x?x?xf32>, %d0: index, %d1: index, %d2: index, %d3: index) -> tensor<?x?x?x?xf32> {
  %z = arith.constant 0.0 : f32
  %o = tensor.empty(%d0, %d1, %d2, %d3) : tensor<?x?x?x?xf32>
  %p = tensor.pad %x low[0, 0, 2, 1] high[0, 0, 1, 2] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<?x?x?x?xf32> to tensor<?x?x?x?xf32>
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) outs(%f : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  return %r : tensor<?x?x?x?xf32>
}

func.func @depthwise_ref(%x: tensor<?x?x?x?xf32>, %w: tensor<?x?x?xf32>, %d0: index, %d1: index, %d2: index, %d3: index) -> tensor<?x?x?x?xf32> {
  %z = arith.constant 0.0 : f32
  %o = tensor.empty(%d0, %d1, %d2, %d3) : tensor<?x?x?x?xf32>
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<?x?x?x?xf32> to tensor<?x?x?x?xf32>
  %f = linalg.fill ins(%z : f32) outs(%o : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<?x?x?x?xf32>, tensor<?x?x?xf32>) outs(%f : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  return %r : tensor<?x?x?x?xf32>
}

// (i * 5 + j * 3 + k * 2 + l) mod 7 - 3: small integers, sums exact in f32.
func.func @init(%d0: index, %d1: index, %d2: index, %d3: index) -> tensor<?x?x?x?xf32> {
  %t = tensor.generate %d0, %d1, %d2, %d3 {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %a = arith.muli %i, %c5 : index
    %b = arith.muli %j, %c3 : index
    %c = arith.muli %k, %c2 : index
    %s0 = arith.addi %a, %b : index
    %s1 = arith.addi %s0, %c : index
    %s = arith.addi %s1, %l : index
    %r = arith.remui %s, %c7 : index
    %ri = arith.index_cast %r : index to i32
    %f = arith.sitofp %ri : i32 to f32
    %three = arith.constant 3.0 : f32
    %v = arith.subf %f, %three : f32
    tensor.yield %v : f32
  } : tensor<?x?x?x?xf32>
  return %t : tensor<?x?x?x?xf32>
}

// The largest |x - y| over two tensors of one shape.
func.func @worst(%x: tensor<?x?x?x?xf32>, %y: tensor<?x?x?x?xf32>) -> f32 {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %worst = linalg.generic {
      indexing_maps = [affine_map<(i, j, k, l) -> (i, j, k, l)>,
                       affine_map<(i, j, k, l) -> (i, j, k, l)>,
                       affine_map<(i, j, k, l) -> ()>],
      iterator_types = ["reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %y : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
      outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %diff = arith.subf %a, %b : f32
    %ad = math.absf %diff : f32
    %m = arith.maximumf %acc, %ad : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  %v = tensor.extract %worst[] : tensor<f32>
  return %v : f32
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %c9 = arith.constant 9 : index

  %x = call @init(%c2, %c7, %c6, %c5) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %w = call @init(%c3, %c3, %c5, %c9) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %want = call @same_ref(%x, %w, %c2, %c7, %c6, %c9) : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, index, index, index, index) -> tensor<?x?x?x?xf32>
  %xs = tensor.cast %x : tensor<?x?x?x?xf32> to tensor<2x7x6x5xf32>
  %ws = tensor.cast %w : tensor<?x?x?x?xf32> to tensor<3x3x5x9xf32>
  %got = call @same(%xs, %ws) : (tensor<2x7x6x5xf32>, tensor<3x3x5x9xf32>) -> tensor<2x7x6x9xf32>
  %gotd = tensor.cast %got : tensor<2x7x6x9xf32> to tensor<?x?x?x?xf32>
  %d0 = call @worst(%gotd, %want) : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) -> f32
  vector.print %d0 : f32

  %x2 = call @init(%c1, %c3, %c9, %c8) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %w2 = call @init(%c5, %c3, %c3, %c3) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %want2 = call @strided_ref(%x2, %w2, %c1, %c5, %c5, %c4) : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x2s = tensor.cast %x2 : tensor<?x?x?x?xf32> to tensor<1x3x9x8xf32>
  %w2s = tensor.cast %w2 : tensor<?x?x?x?xf32> to tensor<5x3x3x3xf32>
  %got2 = call @strided(%x2s, %w2s) : (tensor<1x3x9x8xf32>, tensor<5x3x3x3xf32>) -> tensor<1x5x5x4xf32>
  %got2d = tensor.cast %got2 : tensor<1x5x5x4xf32> to tensor<?x?x?x?xf32>
  %d1 = call @worst(%got2d, %want2) : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) -> f32
  vector.print %d1 : f32

  %c10 = arith.constant 10 : index
  %c16 = arith.constant 16 : index
  %x3 = call @init(%c1, %c10, %c9, %c16) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %w4 = call @init(%c3, %c3, %c16, %c1) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %w3 = tensor.collapse_shape %w4 [[0], [1], [2, 3]] : tensor<?x?x?x?xf32> into tensor<?x?x?xf32>
  %want3 = call @depthwise_ref(%x3, %w3, %c1, %c5, %c5, %c16) : (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x3s = tensor.cast %x3 : tensor<?x?x?x?xf32> to tensor<1x10x9x16xf32>
  %w3s = tensor.cast %w3 : tensor<?x?x?xf32> to tensor<3x3x16xf32>
  %got3 = call @depthwise(%x3s, %w3s) : (tensor<1x10x9x16xf32>, tensor<3x3x16xf32>) -> tensor<1x5x5x16xf32>
  %got3d = tensor.cast %got3 : tensor<1x5x5x16xf32> to tensor<?x?x?x?xf32>
  %d2 = call @worst(%got3d, %want3) : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) -> f32
  vector.print %d2 : f32
  return
}

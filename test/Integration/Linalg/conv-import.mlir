// Named linalg convolutions (NHWC/HWCF with stride 2 after a zero fill,
// NCHW/FCHW with dilation 2 accumulating into its output, on an image with
// a row and a column past the last window, NHWC/FHWC after
// a zero fill, and NHWC/HWCF stride 2 on a zero-bordered copy of the image,
// as bufferizing a tensor.pad leaves it, which becomes padding) go through `tessel-import-linalg` and `tessel-to-llvm` in
// upstream mlir-opt with the plugin, then mlir-runner. The same ops on
// dynamically sized memrefs (which the import leaves to upstream) are the
// reference; inputs are small integers, so every sum is exact and the two
// must agree element for element.

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-import-linalg)" -o %t.spec.mlir
// RUN: FileCheck %s --check-prefix=SPEC < %t.spec.mlir
// RUN: %preload_asan mlir-opt %t.spec.mlir --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-to-llvm)" -o %t.ll.mlir
// RUN: mlir-runner %t.ll.mlir -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

// SPEC-LABEL: func.func @nhwc_s2(
// SPEC-NOT: linalg.
// SPEC: spec.conv2d %{{.*}} = conv(%{{.*}}, %{{.*}}) {format = "nhwc_hwcf", strides = array<i64: 2, 2>}
// SPEC-LABEL: func.func @nhwc_s2_ref(
// SPEC: linalg.conv_2d_nhwc_hwcf
// SPEC-LABEL: func.func @nchw_d2(
// SPEC: spec.conv2d %{{.*}} += conv(%{{.*}}, %{{.*}}) {dilations = array<i64: 2, 2>}
// SPEC-LABEL: func.func @fhwc(
// SPEC-NOT: linalg.
// SPEC: spec.conv2d %{{.*}} = conv(%{{.*}}, %{{.*}}) {format = "nhwc_fhwc"}
// SPEC-LABEL: func.func @padded_copy(
// SPEC-NOT: memref.copy
// SPEC: spec.conv2d %{{.*}} = conv(%arg0, %arg1) {format = "nhwc_hwcf", padding = array<i64: 1, 1, 1, 0>, strides = array<i64: 2, 2>}

// Mismatching elements of each case.
// CHECK: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}

// Fills `m` with ((i * seed) mod 7) - 3.
func.func @pattern(%m: memref<?xf32>, %seed: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %c3 = arith.constant 3 : index
  %n = memref.dim %m, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %p = arith.muli %i, %seed : index
    %r = arith.remui %p, %c7 : index
    %v = arith.subi %r, %c3 : index
    %vi = arith.index_cast %v : index to i64
    %f = arith.sitofp %vi : i64 to f32
    memref.store %f, %m[%i] : memref<?xf32>
  }
  return
}

// Prints how many elements of `a` and `b` differ.
func.func @mismatches(%a: memref<?xf32>, %b: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  %count = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c0) -> index {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = memref.load %b[%i] : memref<?xf32>
    %ne = arith.cmpf une, %x, %y : f32
    %one = arith.select %ne, %c1, %c0 : index
    %next = arith.addi %acc, %one : index
    scf.yield %next : index
  }
  vector.print %count : index
  return
}

func.func @nhwc_s2(%x: memref<1x17x17x8xf32>, %w: memref<3x3x8x16xf32>, %o: memref<1x8x8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%o : memref<1x8x8x16xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[2, 2]> : tensor<2xi64>} ins(%x, %w : memref<1x17x17x8xf32>, memref<3x3x8x16xf32>) outs(%o : memref<1x8x8x16xf32>)
  return
}

func.func @nhwc_s2_ref(%x: memref<?x?x?x?xf32>, %w: memref<?x?x?x?xf32>, %o: memref<?x?x?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%o : memref<?x?x?x?xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[2, 2]> : tensor<2xi64>} ins(%x, %w : memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) outs(%o : memref<?x?x?x?xf32>)
  return
}

func.func @nchw_d2(%x: memref<2x3x11x13xf32>, %w: memref<5x3x3x3xf32>, %o: memref<2x5x6x8xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<[2, 2]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : memref<2x3x11x13xf32>, memref<5x3x3x3xf32>) outs(%o : memref<2x5x6x8xf32>)
  return
}

func.func @nchw_d2_ref(%x: memref<?x?x?x?xf32>, %w: memref<?x?x?x?xf32>, %o: memref<?x?x?x?xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<[2, 2]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) outs(%o : memref<?x?x?x?xf32>)
  return
}

func.func @fhwc(%x: memref<1x9x11x4xf32>, %w: memref<7x3x3x4xf32>, %o: memref<1x7x9x7xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%o : memref<1x7x9x7xf32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : memref<1x9x11x4xf32>, memref<7x3x3x4xf32>) outs(%o : memref<1x7x9x7xf32>)
  return
}

func.func @fhwc_ref(%x: memref<?x?x?x?xf32>, %w: memref<?x?x?x?xf32>, %o: memref<?x?x?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%o : memref<?x?x?x?xf32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) outs(%o : memref<?x?x?x?xf32>)
  return
}

func.func @padded_copy(%x: memref<1x9x8x4xf32>, %w: memref<3x3x4x6xf32>, %o: memref<1x5x4x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x11x10x4xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x11x10x4xf32>)
  %in = memref.subview %p[0, 1, 1, 0] [1, 9, 8, 4] [1, 1, 1, 1] : memref<1x11x10x4xf32> to memref<1x9x8x4xf32, strided<[440, 40, 4, 1], offset: 44>>
  memref.copy %x, %in : memref<1x9x8x4xf32> to memref<1x9x8x4xf32, strided<[440, 40, 4, 1], offset: 44>>
  linalg.fill ins(%zero : f32) outs(%o : memref<1x5x4x6xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[2, 2]> : tensor<2xi64>} ins(%p, %w : memref<1x11x10x4xf32>, memref<3x3x4x6xf32>) outs(%o : memref<1x5x4x6xf32>)
  memref.dealloc %p : memref<1x11x10x4xf32>
  return
}

func.func @padded_copy_ref(%x: memref<?x?x?x?xf32>, %w: memref<?x?x?x?xf32>, %o: memref<?x?x?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x11x10x4xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x11x10x4xf32>)
  %in = memref.subview %p[0, 1, 1, 0] [1, 9, 8, 4] [1, 1, 1, 1] : memref<1x11x10x4xf32> to memref<1x9x8x4xf32, strided<[440, 40, 4, 1], offset: 44>>
  %xs = memref.cast %x : memref<?x?x?x?xf32> to memref<1x9x8x4xf32>
  linalg.copy ins(%xs : memref<1x9x8x4xf32>) outs(%in : memref<1x9x8x4xf32, strided<[440, 40, 4, 1], offset: 44>>)
  %pd = memref.cast %p : memref<1x11x10x4xf32> to memref<?x?x?x?xf32>
  linalg.fill ins(%zero : f32) outs(%o : memref<?x?x?x?xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[2, 2]> : tensor<2xi64>} ins(%pd, %w : memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) outs(%o : memref<?x?x?x?xf32>)
  memref.dealloc %p : memref<1x11x10x4xf32>
  return
}

func.func @main() {
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  // nhwc_s2
  %nhwc_s2_x = memref.alloc() : memref<1x17x17x8xf32>
  %nhwc_s2_w = memref.alloc() : memref<3x3x8x16xf32>
  %nhwc_s2_o = memref.alloc() : memref<1x8x8x16xf32>
  %nhwc_s2_r = memref.alloc() : memref<1x8x8x16xf32>
  %nhwc_s2_xc = memref.collapse_shape %nhwc_s2_x [[0, 1, 2, 3]] : memref<1x17x17x8xf32> into memref<2312xf32>
  %nhwc_s2_xf = memref.cast %nhwc_s2_xc : memref<2312xf32> to memref<?xf32>
  call @pattern(%nhwc_s2_xf, %c3) : (memref<?xf32>, index) -> ()
  %nhwc_s2_wc = memref.collapse_shape %nhwc_s2_w [[0, 1, 2, 3]] : memref<3x3x8x16xf32> into memref<1152xf32>
  %nhwc_s2_wf = memref.cast %nhwc_s2_wc : memref<1152xf32> to memref<?xf32>
  call @pattern(%nhwc_s2_wf, %c5) : (memref<?xf32>, index) -> ()
  %nhwc_s2_oc = memref.collapse_shape %nhwc_s2_o [[0, 1, 2, 3]] : memref<1x8x8x16xf32> into memref<1024xf32>
  %nhwc_s2_of = memref.cast %nhwc_s2_oc : memref<1024xf32> to memref<?xf32>
  call @pattern(%nhwc_s2_of, %c7) : (memref<?xf32>, index) -> ()
  %nhwc_s2_rc = memref.collapse_shape %nhwc_s2_r [[0, 1, 2, 3]] : memref<1x8x8x16xf32> into memref<1024xf32>
  %nhwc_s2_rf = memref.cast %nhwc_s2_rc : memref<1024xf32> to memref<?xf32>
  call @pattern(%nhwc_s2_rf, %c7) : (memref<?xf32>, index) -> ()
  call @nhwc_s2(%nhwc_s2_x, %nhwc_s2_w, %nhwc_s2_o) : (memref<1x17x17x8xf32>, memref<3x3x8x16xf32>, memref<1x8x8x16xf32>) -> ()
  %nhwc_s2_xd = memref.cast %nhwc_s2_x : memref<1x17x17x8xf32> to memref<?x?x?x?xf32>
  %nhwc_s2_wd = memref.cast %nhwc_s2_w : memref<3x3x8x16xf32> to memref<?x?x?x?xf32>
  %nhwc_s2_rd = memref.cast %nhwc_s2_r : memref<1x8x8x16xf32> to memref<?x?x?x?xf32>
  call @nhwc_s2_ref(%nhwc_s2_xd, %nhwc_s2_wd, %nhwc_s2_rd) : (memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) -> ()
  call @mismatches(%nhwc_s2_of, %nhwc_s2_rf) : (memref<?xf32>, memref<?xf32>) -> ()
  // nchw_d2
  %nchw_d2_x = memref.alloc() : memref<2x3x11x13xf32>
  %nchw_d2_w = memref.alloc() : memref<5x3x3x3xf32>
  %nchw_d2_o = memref.alloc() : memref<2x5x6x8xf32>
  %nchw_d2_r = memref.alloc() : memref<2x5x6x8xf32>
  %nchw_d2_xc = memref.collapse_shape %nchw_d2_x [[0, 1, 2, 3]] : memref<2x3x11x13xf32> into memref<858xf32>
  %nchw_d2_xf = memref.cast %nchw_d2_xc : memref<858xf32> to memref<?xf32>
  call @pattern(%nchw_d2_xf, %c3) : (memref<?xf32>, index) -> ()
  %nchw_d2_wc = memref.collapse_shape %nchw_d2_w [[0, 1, 2, 3]] : memref<5x3x3x3xf32> into memref<135xf32>
  %nchw_d2_wf = memref.cast %nchw_d2_wc : memref<135xf32> to memref<?xf32>
  call @pattern(%nchw_d2_wf, %c5) : (memref<?xf32>, index) -> ()
  %nchw_d2_oc = memref.collapse_shape %nchw_d2_o [[0, 1, 2, 3]] : memref<2x5x6x8xf32> into memref<480xf32>
  %nchw_d2_of = memref.cast %nchw_d2_oc : memref<480xf32> to memref<?xf32>
  call @pattern(%nchw_d2_of, %c7) : (memref<?xf32>, index) -> ()
  %nchw_d2_rc = memref.collapse_shape %nchw_d2_r [[0, 1, 2, 3]] : memref<2x5x6x8xf32> into memref<480xf32>
  %nchw_d2_rf = memref.cast %nchw_d2_rc : memref<480xf32> to memref<?xf32>
  call @pattern(%nchw_d2_rf, %c7) : (memref<?xf32>, index) -> ()
  call @nchw_d2(%nchw_d2_x, %nchw_d2_w, %nchw_d2_o) : (memref<2x3x11x13xf32>, memref<5x3x3x3xf32>, memref<2x5x6x8xf32>) -> ()
  %nchw_d2_xd = memref.cast %nchw_d2_x : memref<2x3x11x13xf32> to memref<?x?x?x?xf32>
  %nchw_d2_wd = memref.cast %nchw_d2_w : memref<5x3x3x3xf32> to memref<?x?x?x?xf32>
  %nchw_d2_rd = memref.cast %nchw_d2_r : memref<2x5x6x8xf32> to memref<?x?x?x?xf32>
  call @nchw_d2_ref(%nchw_d2_xd, %nchw_d2_wd, %nchw_d2_rd) : (memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) -> ()
  call @mismatches(%nchw_d2_of, %nchw_d2_rf) : (memref<?xf32>, memref<?xf32>) -> ()
  // fhwc
  %fhwc_x = memref.alloc() : memref<1x9x11x4xf32>
  %fhwc_w = memref.alloc() : memref<7x3x3x4xf32>
  %fhwc_o = memref.alloc() : memref<1x7x9x7xf32>
  %fhwc_r = memref.alloc() : memref<1x7x9x7xf32>
  %fhwc_xc = memref.collapse_shape %fhwc_x [[0, 1, 2, 3]] : memref<1x9x11x4xf32> into memref<396xf32>
  %fhwc_xf = memref.cast %fhwc_xc : memref<396xf32> to memref<?xf32>
  call @pattern(%fhwc_xf, %c3) : (memref<?xf32>, index) -> ()
  %fhwc_wc = memref.collapse_shape %fhwc_w [[0, 1, 2, 3]] : memref<7x3x3x4xf32> into memref<252xf32>
  %fhwc_wf = memref.cast %fhwc_wc : memref<252xf32> to memref<?xf32>
  call @pattern(%fhwc_wf, %c5) : (memref<?xf32>, index) -> ()
  %fhwc_oc = memref.collapse_shape %fhwc_o [[0, 1, 2, 3]] : memref<1x7x9x7xf32> into memref<441xf32>
  %fhwc_of = memref.cast %fhwc_oc : memref<441xf32> to memref<?xf32>
  call @pattern(%fhwc_of, %c7) : (memref<?xf32>, index) -> ()
  %fhwc_rc = memref.collapse_shape %fhwc_r [[0, 1, 2, 3]] : memref<1x7x9x7xf32> into memref<441xf32>
  %fhwc_rf = memref.cast %fhwc_rc : memref<441xf32> to memref<?xf32>
  call @pattern(%fhwc_rf, %c7) : (memref<?xf32>, index) -> ()
  call @fhwc(%fhwc_x, %fhwc_w, %fhwc_o) : (memref<1x9x11x4xf32>, memref<7x3x3x4xf32>, memref<1x7x9x7xf32>) -> ()
  %fhwc_xd = memref.cast %fhwc_x : memref<1x9x11x4xf32> to memref<?x?x?x?xf32>
  %fhwc_wd = memref.cast %fhwc_w : memref<7x3x3x4xf32> to memref<?x?x?x?xf32>
  %fhwc_rd = memref.cast %fhwc_r : memref<1x7x9x7xf32> to memref<?x?x?x?xf32>
  call @fhwc_ref(%fhwc_xd, %fhwc_wd, %fhwc_rd) : (memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) -> ()
  call @mismatches(%fhwc_of, %fhwc_rf) : (memref<?xf32>, memref<?xf32>) -> ()
  // padded_copy
  %pc_x = memref.alloc() : memref<1x9x8x4xf32>
  %pc_w = memref.alloc() : memref<3x3x4x6xf32>
  %pc_o = memref.alloc() : memref<1x5x4x6xf32>
  %pc_r = memref.alloc() : memref<1x5x4x6xf32>
  %pc_xc = memref.collapse_shape %pc_x [[0, 1, 2, 3]] : memref<1x9x8x4xf32> into memref<288xf32>
  %pc_xf = memref.cast %pc_xc : memref<288xf32> to memref<?xf32>
  call @pattern(%pc_xf, %c3) : (memref<?xf32>, index) -> ()
  %pc_wc = memref.collapse_shape %pc_w [[0, 1, 2, 3]] : memref<3x3x4x6xf32> into memref<216xf32>
  %pc_wf = memref.cast %pc_wc : memref<216xf32> to memref<?xf32>
  call @pattern(%pc_wf, %c5) : (memref<?xf32>, index) -> ()
  %pc_oc = memref.collapse_shape %pc_o [[0, 1, 2, 3]] : memref<1x5x4x6xf32> into memref<120xf32>
  %pc_of = memref.cast %pc_oc : memref<120xf32> to memref<?xf32>
  call @pattern(%pc_of, %c7) : (memref<?xf32>, index) -> ()
  %pc_rc = memref.collapse_shape %pc_r [[0, 1, 2, 3]] : memref<1x5x4x6xf32> into memref<120xf32>
  %pc_rf = memref.cast %pc_rc : memref<120xf32> to memref<?xf32>
  call @pattern(%pc_rf, %c7) : (memref<?xf32>, index) -> ()
  call @padded_copy(%pc_x, %pc_w, %pc_o) : (memref<1x9x8x4xf32>, memref<3x3x4x6xf32>, memref<1x5x4x6xf32>) -> ()
  %pc_xd = memref.cast %pc_x : memref<1x9x8x4xf32> to memref<?x?x?x?xf32>
  %pc_wd = memref.cast %pc_w : memref<3x3x4x6xf32> to memref<?x?x?x?xf32>
  %pc_rd = memref.cast %pc_r : memref<1x5x4x6xf32> to memref<?x?x?x?xf32>
  call @padded_copy_ref(%pc_xd, %pc_wd, %pc_rd) : (memref<?x?x?x?xf32>, memref<?x?x?x?xf32>, memref<?x?x?x?xf32>) -> ()
  call @mismatches(%pc_of, %pc_rf) : (memref<?xf32>, memref<?xf32>) -> ()
  return
}

// Tessel's passes run inside upstream mlir-opt through the pass plugin. They
// are registered after the command line is parsed, so they are named in
// --pass-pipeline rather than as flags.
// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-import-linalg)" | FileCheck %s

// CHECK-LABEL: func @matmul
// CHECK: spec.matmul %{{.*}} += %{{.*}} * %{{.*}} : memref<8x4xf32> * memref<4x2xf32> -> memref<8x2xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: memref<8x4xf32>, %b: memref<4x2xf32>, %c: memref<8x2xf32>) {
  linalg.matmul ins(%a, %b : memref<8x4xf32>, memref<4x2xf32>) outs(%c : memref<8x2xf32>)
  return
}

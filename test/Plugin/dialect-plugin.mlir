// Upstream mlir-opt round-trips spec ops once it loads Tessel's plugin.
// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so | FileCheck %s
// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so --mlir-print-op-generic \
// RUN:   | %preload_asan mlir-opt --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so | FileCheck %s
// Verifiers run inside mlir-opt too.
// RUN: not %preload_asan mlir-opt %S/Inputs/invalid-matmul.mlir --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=INVALID
// Without the plugin, mlir-opt does not know the dialect.
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// CHECK-LABEL: func @packed_matmul
// CHECK: spec.matmul %{{.*}} += %{{.*}} * %{{.*}} : memref<64x32xf32> * memref<32x16xf32, #spec.layout<[d1 floordiv 8, d0, d1 mod 8]>> -> memref<64x16xf32, #spec.memory<l1>>
func.func @packed_matmul(%a: memref<64x32xf32>, %b: memref<32x16xf32, #spec.layout<[d1 floordiv 8, d0, d1 mod 8]>>,
                         %c: memref<64x16xf32, #spec.memory<l1>>) {
  spec.matmul %c += %a * %b : memref<64x32xf32> * memref<32x16xf32, #spec.layout<[d1 floordiv 8, d0, d1 mod 8]>> -> memref<64x16xf32, #spec.memory<l1>>
  return
}

// INVALID: invalid-matmul.mlir:3:3: error: 'spec.matmul' op K mismatch: dimension 1 of 'lhs' is 8 but dimension 0 of 'rhs' is 9
// NOPLUGIN: error: {{.*}}spec

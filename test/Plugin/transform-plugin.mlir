// Upstream mlir-opt with Tessel's dialect plugin runs transform schedules
// that hand ops to Tessel (transform.tessel.import and synthesize).
// RUN: %preload_asan mlir-opt %tessel_src_root/test/Dialect/Transform/synthesize.mlir \
// RUN:   --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --transform-preload-library=transform-library-paths=%tessel_src_root/test/Dialect/Transform/Inputs/schedule.mlir \
// RUN:   --transform-interpreter 2>&1 | FileCheck %s

// CHECK: remark: synthesized
// CHECK-LABEL: func.func @layer
// CHECK: call @layer_matmul(
// CHECK: linalg.add

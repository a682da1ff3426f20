// `tessel run` explains, with a location, why it cannot run a function.
// RUN: not tessel run %s 2>&1 | FileCheck %s
// RUN: not tessel run %s --func=missing 2>&1 | FileCheck %s --check-prefix=MISSING

// CHECK: run-errors.mlir:[[@LINE+1]]:1: error: cannot run 'dynamic': argument #0 has type 'memref<?x4xf32>'
func.func @dynamic(%a: memref<?x4xf32>) {
  return
}
// MISSING: tessel: {{.*}}run-errors.mlir: no function named 'missing' to run

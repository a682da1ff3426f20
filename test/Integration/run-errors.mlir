// `tessel run` explains, with a location, why it cannot run a function.
// RUN: not tessel run %s 2>&1 | FileCheck %s
// RUN: not tessel run %s --func=missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not tessel run %s --func=huge 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not tessel run %s --func=long 2>&1 | FileCheck %s --check-prefix=LONG
// RUN: not tessel run %s --func=long_conv 2>&1 | FileCheck %s --check-prefix=LONG-CONV

// CHECK: run-errors.mlir:[[@LINE+1]]:1: error: cannot run 'dynamic': argument #0 has type 'memref<?x4xf32>'
func.func @dynamic(%a: memref<?x4xf32>) {
  return
}
// MISSING: tessel: {{.*}}run-errors.mlir: no function named 'missing' to run

// Arguments beyond host memory (3 x 40 GB) are refused before anything is
// allocated; so is a reference the interpreter would take hours over.
// HUGE: run-errors.mlir:[[@LINE+1]]:1: error: cannot run 'huge': checking it needs {{[0-9.]+}} GiB of host memory, more than half of this machine's
func.func @huge(%a: memref<100000x100000xf32>, %b: memref<100000x100000xf32>, %c: memref<100000x100000xf32>) {
  return
}
// LONG: run-errors.mlir:[[@LINE+1]]:1: error: cannot run 'long': its reference needs 1.0E+12 multiply-adds; tessel run checks up to 1E+10
func.func @long(%a: memref<10000x10000xf32>, %b: memref<10000x10000xf32>, %c: memref<10000x10000xf32>) {
  spec.matmul %c = %a * %b : memref<10000x10000xf32> * memref<10000x10000xf32> -> memref<10000x10000xf32>
  return
}
// A convolution's multiply-adds count too (SpecOpInterface::getFlopCount).
// LONG-CONV: run-errors.mlir:[[@LINE+1]]:1: error: cannot run 'long_conv': its reference needs 3.8E+10 multiply-adds
func.func @long_conv(%i: memref<1x256x256x256xf32>, %f: memref<256x256x3x3xf32>, %o: memref<1x256x254x254xf32>) {
  spec.conv2d %o = conv(%i, %f) : memref<1x256x256x256xf32>, memref<256x256x3x3xf32> -> memref<1x256x254x254xf32>
  return
}

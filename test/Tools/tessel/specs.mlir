// RUN: tessel specs %s | FileCheck %s
// RUN: not tessel specs %S/Inputs/bad-layout.mlir 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not tessel specs %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not tessel 2>&1 | FileCheck %s --check-prefix=NOCOMMAND
// RUN: tessel --help | FileCheck %s --check-prefix=HELP

// CHECK: specs.mlir:[[@LINE+3]]:3: spec.fill %arg2 = zero : memref<64x16xf32>
// CHECK: specs.mlir:[[@LINE+3]]:3: spec.matmul %arg2 += %arg0 * %arg1 : memref<64x32xf32> * memref<32x16xf32> -> memref<64x16xf32>
func.func @matmul(%a: memref<64x32xf32>, %b: memref<32x16xf32>, %c: memref<64x16xf32>) {
  spec.fill %c = zero : memref<64x16xf32>
  spec.matmul %c += %a * %b : memref<64x32xf32> * memref<32x16xf32> -> memref<64x16xf32>
  return
}
// CHECK: 2 spec ops, verified

// BAD: bad-layout.mlir:2:22: error: layout blocks of d1 (16 elements) do not divide its size 40
// MISSING: tessel: cannot open input file '{{.*}}does-not-exist.mlir'
// NOCOMMAND: tessel: no command given; see 'tessel --help'
// HELP: specs {{.*}}Parse and verify a spec program

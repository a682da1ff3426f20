// A softmax larger than a block runs its five steps block by block along
// another dim: spec ops on views whose offset is only known in the loop,
// whose parallel bodies (two threads) take each view as its base buffer
// and offset so that bare-pointer calls can pass them. Checked against the
// reference at one and two threads, rows and columns.
// RUN: tessel run %s --threads=1 | FileCheck %s
// RUN: tessel run %s --threads=2 | FileCheck %s
// RUN: tessel-opt %s --tessel-synthesize=target=avx512 | FileCheck %s --check-prefix=IR

// CHECK: rows arg1: {{.*}}: PASS
// CHECK: columns arg1: {{.*}}: PASS
// CHECK-NOT: FAIL

// IR-LABEL: func.func @rows
// IR: scf.for %{{.*}} = %c0 to %c300 step %c60
// IR: call @rows_reduce(
// IR: call @rows_div(
func.func @rows(%x: memref<300x1024xf32>, %y: memref<300x1024xf32>) {
  spec.softmax %y = softmax(%x) along 1 : memref<300x1024xf32> -> memref<300x1024xf32>
  return
}

// Along dim 0 of a transposed input: blocks of columns (strided views).
// IR-LABEL: func.func @columns
// IR: scf.for %{{.*}} = %c0 to %c1031 step %c{{[0-9]+}}
func.func @columns(%x: memref<97x1031xf32, strided<[1, 97]>>, %y: memref<97x1031xf32>) {
  spec.softmax %y = softmax(%x) along 0 : memref<97x1031xf32, strided<[1, 97]>> -> memref<97x1031xf32>
  return
}

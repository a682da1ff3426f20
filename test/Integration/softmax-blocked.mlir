// A softmax larger than a block runs its steps block by block along
// another dim (the last block smaller): spec ops on views whose offset is only known in the loop,
// whose parallel bodies (two threads) take each view as its base buffer
// and offset so that bare-pointer calls can pass them. Checked against the
// reference at one and two threads, rows and columns.
// RUN: tessel run %s --threads=1 | FileCheck %s
// RUN: tessel run %s --threads=2 | FileCheck %s
// RUN: tessel-opt %s --tessel-synthesize=target=avx512 | FileCheck %s --check-prefix=IR

// CHECK: rows arg1: {{.*}}: PASS
// CHECK: columns arg1: {{.*}}: PASS
// CHECK-NOT: FAIL

// 300 rows of 4 KiB: four blocks of 64 rows in parallel (each with its own
// row statistics), then the other 44.
// IR-LABEL: func.func @rows
// IR: scf.forall (%{{.*}}) = (0) to (256) step (64)
// IR: memref.alloc() {{.*}} : memref<64x1xf32>
// IR: call @rows_reduce(
// IR: call @rows_reciprocal(
// IR: call @rows_mul(
// IR: call @rows_reduce_{{[0-9]+}}(%{{.*}}) : (memref<44x1024xf32
// IR: call @rows_mul_{{[0-9]+}}(
func.func @rows(%x: memref<300x1024xf32>, %y: memref<300x1024xf32>) {
  spec.softmax %y = softmax(%x) along 1 : memref<300x1024xf32> -> memref<300x1024xf32>
  return
}

// Along dim 0 of a transposed input: blocks of columns (strided views), a
// prime count of them: one block of 675, then the other 356 (too few
// blocks to run in parallel: each step is parallel instead).
// IR-LABEL: func.func @columns
// IR: scf.for %{{.*}} = %c0 to %c675 step %c675
// IR: call @columns_mul_{{[0-9]+}}(%{{.*}}) : (memref<97x356xf32
func.func @columns(%x: memref<97x1031xf32, strided<[1, 97]>>, %y: memref<97x1031xf32>) {
  spec.softmax %y = softmax(%x) along 0 : memref<97x1031xf32, strided<[1, 97]>> -> memref<97x1031xf32>
  return
}

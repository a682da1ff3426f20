// Operands whose strides the engine has no layout for (a non-unit innermost
// stride, strides that do not nest) are computed through dense copies: every
// static strided view works, inputs and outputs, accumulating or not.
// RUN: tessel run %s --threads=1 | FileCheck %s
// RUN: tessel compile %s -o %t.o --header %t.h && FileCheck %s --check-prefix=HEADER --input-file=%t.h

// CHECK: matmul_every_other arg2: {{.*}}: PASS
// HEADER: void matmul_every_other(const float *arg0, const float *arg1, float *arg2);
func.func @matmul_every_other(%a: memref<8x8xf32, strided<[16, 2]>>, %b: memref<8x5xf32>, %c: memref<8x5xf32, strided<[1, 9], offset: 3>>) {
  spec.matmul %c += %a * %b : memref<8x8xf32, strided<[16, 2]>> * memref<8x5xf32> -> memref<8x5xf32, strided<[1, 9], offset: 3>>
  return
}

// CHECK: exp_columns arg1: {{.*}}: PASS
func.func @exp_columns(%a: memref<7x3xf32, strided<[1, 7]>>, %c: memref<7x3xf32, strided<[2, 14]>>) {
  spec.exp %c = exp(%a) : memref<7x3xf32, strided<[1, 7]>> -> memref<7x3xf32, strided<[2, 14]>>
  return
}

// CHECK: add_strided arg2: {{.*}}: PASS
func.func @add_strided(%a: memref<5x6xf32, strided<[13, 2]>>, %b: memref<1x6xf32, strided<[6, 3]>>, %c: memref<5x6xf32>) {
  spec.add %c = add(%a, %b) : memref<5x6xf32, strided<[13, 2]>>, memref<1x6xf32, strided<[6, 3]>> -> memref<5x6xf32>
  return
}

// CHECK: rowmax_strided arg1: {{.*}}: PASS
func.func @rowmax_strided(%a: memref<6x10xf32, strided<[30, 3]>>, %c: memref<6x1xf32, strided<[2, 1]>>) {
  spec.reduce %c = max(%a) along 1 : memref<6x10xf32, strided<[30, 3]>> -> memref<6x1xf32, strided<[2, 1]>>
  return
}

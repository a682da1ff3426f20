// RUN: tessel-opt %s | FileCheck %s
// Views the verifiers accept: disjoint parts of one buffer, elementwise ops
// and moves exactly in place, the same subview made twice, and operands
// up to the address-space bound.

// CHECK-LABEL: func.func @disjoint_rows
func.func @disjoint_rows(%a: memref<16x8xf32>, %b: memref<8x8xf32>) {
  %x = memref.subview %a[0, 0] [8, 8] [1, 1] : memref<16x8xf32> to memref<8x8xf32, strided<[8, 1]>>
  %z = memref.subview %a[8, 0] [8, 8] [1, 1] : memref<16x8xf32> to memref<8x8xf32, strided<[8, 1], offset: 64>>
  // CHECK: spec.matmul
  spec.matmul %z = %x * %b : memref<8x8xf32, strided<[8, 1]>> * memref<8x8xf32> -> memref<8x8xf32, strided<[8, 1], offset: 64>>
  return
}

// Columns 0..7 and 8..15 of one buffer interleave in memory but share no
// element.
// CHECK-LABEL: func.func @disjoint_columns
func.func @disjoint_columns(%a: memref<8x16xf32>, %b: memref<8x8xf32>) {
  %x = memref.subview %a[0, 0] [8, 8] [1, 1] : memref<8x16xf32> to memref<8x8xf32, strided<[16, 1]>>
  %y = memref.subview %a[0, 8] [8, 8] [1, 1] : memref<8x16xf32> to memref<8x8xf32, strided<[16, 1], offset: 8>>
  // CHECK: spec.matmul
  spec.matmul %y = %x * %b : memref<8x8xf32, strided<[16, 1]>> * memref<8x8xf32> -> memref<8x8xf32, strided<[16, 1], offset: 8>>
  return
}

// Even and odd elements of one buffer.
// CHECK-LABEL: func.func @interleaved
func.func @interleaved(%a: memref<16xf32>) {
  %even = memref.subview %a[0] [8] [2] : memref<16xf32> to memref<8xf32, strided<[2]>>
  %odd = memref.subview %a[1] [8] [2] : memref<16xf32> to memref<8xf32, strided<[2], offset: 1>>
  // CHECK: spec.relu
  spec.relu %odd = relu(%even) : memref<8xf32, strided<[2]>> -> memref<8xf32, strided<[2], offset: 1>>
  return
}

// CHECK-LABEL: func.func @in_place
func.func @in_place(%x: memref<32x64xf32>, %bias: memref<1x64xf32>) {
  %v = memref.subview %x[0, 0] [16, 64] [1, 1] : memref<32x64xf32> to memref<16x64xf32, strided<[64, 1]>>
  %w = memref.subview %x[0, 0] [16, 64] [1, 1] : memref<32x64xf32> to memref<16x64xf32, strided<[64, 1]>>
  // CHECK: spec.add
  spec.add %x = add(%x, %bias) : memref<32x64xf32>, memref<1x64xf32> -> memref<32x64xf32>
  // CHECK: spec.exp
  spec.exp %w = exp(%v) : memref<16x64xf32, strided<[64, 1]>> -> memref<16x64xf32, strided<[64, 1]>>
  // CHECK: spec.move
  spec.move %x = %x : memref<32x64xf32> -> memref<32x64xf32>
  return
}

// CHECK-LABEL: func.func @largest
func.func @largest(%a: memref<35184372088832xf32>, %c: memref<35184372088832xf32>) {
  // CHECK: spec.relu
  spec.relu %c = relu(%a) : memref<35184372088832xf32> -> memref<35184372088832xf32>
  return
}

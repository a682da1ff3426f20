// --tessel-to-llvm=bare-ptr-call-conv passes memrefs as element pointers,
// which carry no shape, strides or offset: a called function whose memref
// argument has a dynamic one is refused at the function, before upstream's
// conversion fails at its calls ("does not reference a valid LLVM
// function").
// RUN: not tessel-opt %s --split-input-file --tessel-to-llvm="bare-ptr-call-conv target=avx2" 2>&1 | FileCheck %s
// RUN: tessel-opt %s --split-input-file --tessel-to-llvm="target=avx2" | FileCheck %s --check-prefix=DESCRIPTORS

// CHECK: error: cannot pass argument #0 of 'helper', 'memref<4xf32, strided<[1], offset: ?>>', as a bare pointer (bare-ptr-call-conv): it needs a static shape, strides and offset
// DESCRIPTORS: llvm.func @f
func.func private @helper(%x: memref<4xf32, strided<[1], offset: ?>>) {
  %c0 = arith.constant 0 : index
  %v = arith.constant 1.0 : f32
  memref.store %v, %x[%c0] : memref<4xf32, strided<[1], offset: ?>>
  return
}
func.func @f(%x: memref<8xf32>) {
  %s = memref.subview %x[2] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 2>>
  %c = memref.cast %s : memref<4xf32, strided<[1], offset: 2>> to memref<4xf32, strided<[1], offset: ?>>
  func.call @helper(%c) : (memref<4xf32, strided<[1], offset: ?>>) -> ()
  return
}

// -----

// CHECK: error: cannot pass argument #1 of 'k', 'memref<?xf32>', as a bare pointer
// DESCRIPTORS: llvm.func @k
func.func private @k(%a: memref<4xf32>, %b: memref<?xf32>) {
  return
}
func.func @g(%a: memref<4xf32>, %b: memref<8xf32>) {
  %c = memref.cast %b : memref<8xf32> to memref<?xf32>
  func.call @k(%a, %c) : (memref<4xf32>, memref<?xf32>) -> ()
  return
}

// -----

// A function nobody calls takes memref descriptors where a bare pointer
// cannot do (upstream's rule); only calls between the two conventions fail.
// CHECK-NOT: error
// DESCRIPTORS: llvm.func @uncalled
func.func @uncalled(%a: memref<4xf32>, %b: memref<?xf32>) {
  return
}

// -----

// Static memrefs pass.
// CHECK-NOT: error
// DESCRIPTORS: llvm.func @h
func.func @h(%a: memref<4x4xf32>, %b: memref<2x2xf32, strided<[4, 1], offset: 5>>) {
  return
}

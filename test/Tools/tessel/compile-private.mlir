// tessel compile passes memrefs between its functions as plain pointers, as
// at the C boundary: a private function taking a memref whose offset is
// known only at run time cannot be called that way. It is a located error
// (the conversion used to skip the function and fail at the call, naming
// an LLVM op the input never had).
// RUN: not tessel compile --target=avx512 %s -o %t.o 2>&1 | FileCheck %s

// CHECK: compile-private.mlir:[[@LINE+1]]:1: error: cannot compile 'inner': argument #0 has type 'memref<3x17xf32, strided<[17, 1], offset: ?>>', which calls between compiled functions cannot pass
func.func private @inner(%x: memref<3x17xf32, strided<[17, 1], offset: ?>>, %y: memref<3x17xf32>) {
  spec.relu %y = relu(%x) : memref<3x17xf32, strided<[17, 1], offset: ?>> -> memref<3x17xf32>
  return
}

func.func @outer(%x: memref<6x17xf32>, %y: memref<3x17xf32>) {
  %s = memref.subview %x[3, 0] [3, 17] [1, 1] : memref<6x17xf32> to memref<3x17xf32, strided<[17, 1], offset: 51>>
  %c = memref.cast %s : memref<3x17xf32, strided<[17, 1], offset: 51>> to memref<3x17xf32, strided<[17, 1], offset: ?>>
  call @inner(%c, %y) : (memref<3x17xf32, strided<[17, 1], offset: ?>>, memref<3x17xf32>) -> ()
  return
}

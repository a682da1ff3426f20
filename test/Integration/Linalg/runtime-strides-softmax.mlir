// linalg.softmax on an operand whose strides are known only at run time
// (what one-shot bufferization makes of a tensor argument): upstream has no
// lowering for it on memrefs, so when the innermost stride is not 1 Tessel's
// program runs on a dense copy instead. Every other column of a buffer (the
// copy) and the same values dense (the direct program) must agree, and each
// row must sum to 1.

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-import-linalg, tessel-to-llvm)" \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

// CHECK: {{^}}0{{$}}
// CHECK-NEXT: {{^}}5{{$}}

!s = memref<5x9xf32, strided<[?, ?], offset: ?>>

func.func @softmax(%x: !s, %y: memref<5x9xf32>) {
  linalg.softmax dimension(1) ins(%x : !s) outs(%y : memref<5x9xf32>)
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c9 = arith.constant 9 : index
  %c18 = arith.constant 18 : index
  %big = memref.alloc() : memref<5x18xf32>
  scf.for %i = %c0 to %c5 step %c1 {
    scf.for %j = %c0 to %c18 step %c1 {
      %k = arith.muli %i, %c18 : index
      %l = arith.addi %k, %j : index
      %m = arith.remui %l, %c9 : index
      %n = arith.index_cast %m : index to i32
      %f = arith.sitofp %n : i32 to f32
      %q = arith.constant 0.37 : f32
      %v = arith.mulf %f, %q : f32
      memref.store %v, %big[%i, %j] : memref<5x18xf32>
    }
  }
  %every_other = memref.subview %big[0, 1] [5, 9] [1, 2]
      : memref<5x18xf32> to memref<5x9xf32, strided<[18, 2], offset: 1>>
  %dense = memref.alloc() : memref<5x9xf32>
  memref.copy %every_other, %dense : memref<5x9xf32, strided<[18, 2], offset: 1>> to memref<5x9xf32>
  %strided_in = memref.cast %every_other : memref<5x9xf32, strided<[18, 2], offset: 1>> to !s
  %dense_in = memref.cast %dense : memref<5x9xf32> to !s
  %y1 = memref.alloc() : memref<5x9xf32>
  %y2 = memref.alloc() : memref<5x9xf32>
  call @softmax(%strided_in, %y1) : (!s, memref<5x9xf32>) -> ()
  call @softmax(%dense_in, %y2) : (!s, memref<5x9xf32>) -> ()
  %zero = arith.constant 0.0 : f32
  %diff, %sum = scf.for %i = %c0 to %c5 step %c1 iter_args(%d = %zero, %s = %zero) -> (f32, f32) {
    %rd, %rs = scf.for %j = %c0 to %c9 step %c1 iter_args(%d2 = %d, %s2 = %s) -> (f32, f32) {
      %a = memref.load %y1[%i, %j] : memref<5x9xf32>
      %b = memref.load %y2[%i, %j] : memref<5x9xf32>
      %e = arith.subf %a, %b : f32
      %ae = math.absf %e : f32
      %nd = arith.maximumf %d2, %ae : f32
      %ns = arith.addf %s2, %a : f32
      scf.yield %nd, %ns : f32, f32
    }
    scf.yield %rd, %rs : f32, f32
  }
  vector.print %diff : f32
  // Five rows, each summing to 1 (to within a few ulps: printed rounded).
  %rounded = math.roundeven %sum : f32
  vector.print %rounded : f32
  memref.dealloc %big : memref<5x18xf32>
  memref.dealloc %dense : memref<5x9xf32>
  memref.dealloc %y1 : memref<5x9xf32>
  memref.dealloc %y2 : memref<5x9xf32>
  return
}

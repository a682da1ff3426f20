// Operands whose strides are only known at run time: Tessel's program runs
// when each operand's innermost stride is 1 (here: views with padded rows
// and offsets inside larger buffers), upstream's loops when one is not
// (here: every other column). Both must give the reference's result.

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-import-linalg, tessel-to-llvm)" \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

!a = memref<13x20xf32, strided<[?, ?], offset: ?>>
!b = memref<20x11xf32, strided<[?, ?], offset: ?>>
!c = memref<13x11xf32, strided<[?, ?], offset: ?>>

func.func @matmul(%A: !a, %B: !b, %C: !c) {
  linalg.matmul ins(%A, %B : !a, !b) outs(%C : !c)
  return
}

func.func @reference(%A: !a, %B: !b, %C: !c) {
  linalg.generic {
      indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                       affine_map<(m, n, k) -> (k, n)>,
                       affine_map<(m, n, k) -> (m, n)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : !a, !b) outs(%C : !c) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  }
  return
}

// (i * a + j * b) mod m - 2: small integers, every sum exact in f32.
func.func @init(%t: memref<?x?xf32>, %a: index, %b: index, %m: index) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      outs(%t : memref<?x?xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ia = arith.muli %i, %a : index
    %jb = arith.muli %j, %b : index
    %s = arith.addi %ia, %jb : index
    %r = arith.remui %s, %m : index
    %ri = arith.index_cast %r : index to i32
    %f = arith.sitofp %ri : i32 to f32
    %h = arith.constant 2.0 : f32
    %v = arith.subf %f, %h : f32
    linalg.yield %v : f32
  }
  return
}

// Multiplies views of fresh buffers at (row, col) with column step `step`,
// with Tessel and with the reference, and prints the largest difference.
func.func @check(%row: index, %col: index, %step: index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %c11 = arith.constant 11 : index
  %c13 = arith.constant 13 : index
  %c20 = arith.constant 20 : index
  %big = arith.constant 48 : index
  %ab = memref.alloc(%big, %big) : memref<?x?xf32>
  %bb = memref.alloc(%big, %big) : memref<?x?xf32>
  %cb = memref.alloc(%big, %big) : memref<?x?xf32>
  %db = memref.alloc(%big, %big) : memref<?x?xf32>
  call @init(%ab, %c3, %c1, %c5) : (memref<?x?xf32>, index, index, index) -> ()
  call @init(%bb, %c1, %c2, %c7) : (memref<?x?xf32>, index, index, index) -> ()
  call @init(%cb, %c2, %c3, %c5) : (memref<?x?xf32>, index, index, index) -> ()
  call @init(%db, %c2, %c3, %c5) : (memref<?x?xf32>, index, index, index) -> ()
  %a = memref.subview %ab[%row, %col] [13, 20] [1, %step] : memref<?x?xf32> to !a
  %b = memref.subview %bb[%row, %col] [20, 11] [1, %step] : memref<?x?xf32> to !b
  %c = memref.subview %cb[%row, %col] [13, 11] [1, %step] : memref<?x?xf32> to !c
  %d = memref.subview %db[%row, %col] [13, 11] [1, %step] : memref<?x?xf32> to !c
  call @matmul(%a, %b, %c) : (!a, !b, !c) -> ()
  call @reference(%a, %b, %d) : (!a, !b, !c) -> ()

  %worst = memref.alloc() : memref<f32>
  %z = arith.constant 0.0 : f32
  memref.store %z, %worst[] : memref<f32>
  linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> ()>],
      iterator_types = ["reduction", "reduction"]}
      ins(%c, %d : !c, !c) outs(%worst : memref<f32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %diff = arith.subf %x, %y : f32
    %ad = math.absf %diff : f32
    %m = arith.maximumf %acc, %ad : f32
    linalg.yield %m : f32
  }
  %w = memref.cast %worst : memref<f32> to memref<*xf32>
  call @printMemrefF32(%w) : (memref<*xf32>) -> ()
  // A checksum of Tessel's result, so that a result left untouched fails.
  %sum = memref.alloc() : memref<f32>
  memref.store %z, %sum[] : memref<f32>
  linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> ()>],
      iterator_types = ["reduction", "reduction"]}
      ins(%c : !c) outs(%sum : memref<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %ax = math.absf %x : f32
    %s = arith.addf %acc, %ax : f32
    linalg.yield %s : f32
  }
  %s = memref.cast %sum : memref<f32> to memref<*xf32>
  call @printMemrefF32(%s) : (memref<*xf32>) -> ()
  memref.dealloc %ab : memref<?x?xf32>
  memref.dealloc %bb : memref<?x?xf32>
  memref.dealloc %cb : memref<?x?xf32>
  memref.dealloc %db : memref<?x?xf32>
  memref.dealloc %worst : memref<f32>
  memref.dealloc %sum : memref<f32>
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  // Dense at the origin, padded rows at an offset: Tessel's program.
  // CHECK-COUNT-2: [0]
  // CHECK-NEXT: Unranked
  // CHECK-NEXT: [{{[1-9][0-9]*}}]
  call @check(%c0, %c0, %c1) : (index, index, index) -> ()
  call @check(%c3, %c5, %c1) : (index, index, index) -> ()
  // Every other column: upstream's loops.
  // CHECK: [0]
  // CHECK-NEXT: Unranked
  // CHECK-NEXT: [{{[1-9][0-9]*}}]
  call @check(%c3, %c5, %c2) : (index, index, index) -> ()
  return
}

func.func private @printMemrefF32(%ptr : memref<*xf32>)

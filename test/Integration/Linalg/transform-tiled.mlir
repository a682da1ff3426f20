// A module as a compiler hands it over: a transform script has already
// tiled the matmul (scf.for loops over static subviews), a transpose and an
// op Tessel does not handle (a generic computing a remainder) sit beside it.
// Tessel takes the tiles and the transpose, upstream lowers the rest, and
// the results match a reference computed with generics (exact: small
// integer inputs).

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(transform-interpreter, test-transform-dialect-erase-schedule, tessel-import-linalg{report}, tessel-to-llvm)" \
// RUN:   -mlir-print-op-on-diagnostic=false -o %t.ll.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=IR < %t.ll.mlir
// RUN: mlir-runner %t.ll.mlir -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

// The tiled matmul and the transpose are imported (no remark); the
// remainder is left, with why.
// REMARK-NOT: linalg.matmul
// REMARK-NOT: linalg.transpose
// REMARK: remark: left to upstream lowering: the body computes no function of the elementwise catalog
// REMARK-NEXT: linalg.generic
// REMARK-NOT: linalg.matmul
// REMARK-NOT: linalg.transpose
// The reference, in @main:
// REMARK: remark: left to upstream lowering: Tessel does not import 'linalg.generic'
// IR: llvm.func @layer_matmul(
// IR: llvm.func @layer_move(

!a = memref<96x64xf32>
!b = memref<64x80xf32>
!c = memref<96x80xf32>
!t = memref<80x96xf32>

module attributes {transform.with_named_sequence} {
  // C += A B (tiled 32 x 40 by the script below), T = C^T, R = C mod 7.
  func.func @layer(%a: !a, %b: !b, %c: !c, %t: !t, %r: !c) {
    linalg.matmul ins(%a, %b : !a, !b) outs(%c : !c)
    linalg.transpose ins(%c : !c) outs(%t : !t) permutation = [1, 0]
    linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                    iterator_types = ["parallel", "parallel"]}
        ins(%c : !c) outs(%r : !c) {
    ^bb0(%x: f32, %o: f32):
      %seven = arith.constant 7.0 : f32
      %m = arith.remf %x, %seven : f32
      linalg.yield %m : f32
    }
    return
  }

  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %mm = transform.structured.match ops{["linalg.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %loops:2 = transform.structured.tile_using_for %mm tile_sizes [32, 40]
        : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }

  // (i * a + j * b) mod 7 - 3.
  func.func @fill(%t: memref<?x?xf32>, %a: index, %b: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c7 = arith.constant 7 : index
    %rows = memref.dim %t, %c0 : memref<?x?xf32>
    %cols = memref.dim %t, %c1 : memref<?x?xf32>
    scf.for %i = %c0 to %rows step %c1 {
      scf.for %j = %c0 to %cols step %c1 {
        %ia = arith.muli %i, %a : index
        %jb = arith.muli %j, %b : index
        %s = arith.addi %ia, %jb : index
        %r = arith.remui %s, %c7 : index
        %ri = arith.index_cast %r : index to i32
        %f = arith.sitofp %ri : i32 to f32
        %h = arith.constant 3.0 : f32
        %v = arith.subf %f, %h : f32
        memref.store %v, %t[%i, %j] : memref<?x?xf32>
      }
    }
    return
  }

  // The largest |x[i, j] - y[i, j]| (or y[j, i] with `transposed`).
  func.func @worst(%x: memref<?x?xf32>, %y: memref<?x?xf32>, %transposed: i1) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %z = arith.constant 0.0 : f32
    %out = memref.alloc() : memref<1xf32>
    memref.store %z, %out[%c0] : memref<1xf32>
    %rows = memref.dim %x, %c0 : memref<?x?xf32>
    %cols = memref.dim %x, %c1 : memref<?x?xf32>
    scf.for %i = %c0 to %rows step %c1 {
      scf.for %j = %c0 to %cols step %c1 {
        %u = memref.load %x[%i, %j] : memref<?x?xf32>
        %v = scf.if %transposed -> f32 {
          %w = memref.load %y[%j, %i] : memref<?x?xf32>
          scf.yield %w : f32
        } else {
          %w = memref.load %y[%i, %j] : memref<?x?xf32>
          scf.yield %w : f32
        }
        %d = arith.subf %u, %v : f32
        %ad = math.absf %d : f32
        %m = memref.load %out[%c0] : memref<1xf32>
        %m2 = arith.maximumf %m, %ad : f32
        memref.store %m2, %out[%c0] : memref<1xf32>
      }
    }
    %p = memref.cast %out : memref<1xf32> to memref<*xf32>
    call @printMemrefF32(%p) : (memref<*xf32>) -> ()
    memref.dealloc %out : memref<1xf32>
    return
  }

  func.func @main() {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %false = arith.constant false
    %true = arith.constant true
    %a = memref.alloc() : !a
    %b = memref.alloc() : !b
    %c = memref.alloc() : !c
    %want = memref.alloc() : !c
    %t = memref.alloc() : !t
    %r = memref.alloc() : !c
    %ad = memref.cast %a : !a to memref<?x?xf32>
    %bd = memref.cast %b : !b to memref<?x?xf32>
    %cd = memref.cast %c : !c to memref<?x?xf32>
    %wd = memref.cast %want : !c to memref<?x?xf32>
    %td = memref.cast %t : !t to memref<?x?xf32>
    call @fill(%ad, %c3, %c1) : (memref<?x?xf32>, index, index) -> ()
    call @fill(%bd, %c1, %c2) : (memref<?x?xf32>, index, index) -> ()
    call @fill(%cd, %c2, %c3) : (memref<?x?xf32>, index, index) -> ()
    call @fill(%wd, %c2, %c3) : (memref<?x?xf32>, index, index) -> ()
    call @layer(%a, %b, %c, %t, %r) : (!a, !b, !c, !t, !c) -> ()
    linalg.generic {
        indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                         affine_map<(m, n, k) -> (k, n)>,
                         affine_map<(m, n, k) -> (m, n)>],
        iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : !a, !b) outs(%want : !c) {
    ^bb0(%x: f32, %y: f32, %acc: f32):
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    }
    // C, then T against C transposed.
    // CHECK: [0]
    // CHECK: [0]
    call @worst(%cd, %wd, %false) : (memref<?x?xf32>, memref<?x?xf32>, i1) -> ()
    call @worst(%cd, %td, %true) : (memref<?x?xf32>, memref<?x?xf32>, i1) -> ()
    memref.dealloc %a : !a
    memref.dealloc %b : !b
    memref.dealloc %c : !c
    memref.dealloc %want : !c
    memref.dealloc %t : !t
    memref.dealloc %r : !c
    return
  }

  func.func private @printMemrefF32(%ptr : memref<*xf32>)
}

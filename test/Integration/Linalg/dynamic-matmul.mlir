// One linalg.matmul on memref<?x?xf32>, compiled once, run at many sizes:
// 1s, primes, sizes just around the block sizes (16, 64, 256, 512), tall,
// wide and deep (up to 2048); the same after a zero fill of C (imported as one product whose
// first block along K overwrites C), also with K = 0 (then C is zeros);
// the same with a hint that 37 x 41 x 43 is likely (a static program runs
// at that size, the blocks at every other);
// and one with a dynamic row count and static weights (K = 300, N = 45) at
// four row counts. Each result must equal a generic contraction's (left to
// upstream) exactly: inputs are small integers.

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-import-linalg{report}, tessel-to-llvm)" \
// RUN:   -o %t.ll.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: mlir-runner %t.ll.mlir -e main -entry-point-result=void -shared-libs=%runner_libs > %t.out
// RUN: grep -c "^\[0,  [1-9]" %t.out | FileCheck %s --check-prefix=EXACT
// RUN: grep -c "^\[0,  0\]" %t.out | FileCheck %s --check-prefix=ZERO

// The matmul is imported (no remark for it); the reference is not.
// REMARK-NOT: linalg.matmul
// REMARK: dynamic-matmul.mlir:{{[0-9]+}}:3: remark: left to upstream lowering: Tessel does not import 'linalg.generic'
// REMARK-NOT: linalg.matmul
// EXACT: 86
// ZERO: 2

!m = memref<?x?xf32>

func.func @matmul(%a: !m, %b: !m, %c: !m) {
  linalg.matmul ins(%a, %b : !m, !m) outs(%c : !m)
  return
}

func.func @zeroed(%a: !m, %b: !m, %c: !m) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : !m)
  linalg.matmul ins(%a, %b : !m, !m) outs(%c : !m)
  return
}

func.func @hinted(%a: !m, %b: !m, %c: !m) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : !m)
  linalg.matmul {tessel.likely_sizes = array<i64: 37, 41, 43>}
      ins(%a, %b : !m, !m) outs(%c : !m)
  return
}

func.func @rows(%a: memref<?x300xf32>, %b: memref<300x45xf32>, %c: memref<?x45xf32>) {
  linalg.matmul ins(%a, %b : memref<?x300xf32>, memref<300x45xf32>) outs(%c : memref<?x45xf32>)
  return
}

func.func @reference(%a: !m, %b: !m, %c: !m) {
  linalg.generic {
      indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                       affine_map<(m, n, k) -> (k, n)>,
                       affine_map<(m, n, k) -> (m, n)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : !m, !m) outs(%c : !m) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// (i * a + j * b) mod 7 - 3.
func.func @fill(%t: !m, %a: index, %b: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %rows = memref.dim %t, %c0 : !m
  %cols = memref.dim %t, %c1 : !m
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
      memref.store %v, %t[%i, %j] : !m
    }
  }
  return
}

// Prints [largest |x - y|, sum of |x|].
func.func @compare(%x: !m, %y: !m) {
  %z = arith.constant 0.0 : f32
  %out = memref.alloc() : memref<2xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  memref.store %z, %out[%c0] : memref<2xf32>
  memref.store %z, %out[%c1] : memref<2xf32>
  %rows = memref.dim %x, %c0 : !m
  %cols = memref.dim %x, %c1 : !m
  scf.for %i = %c0 to %rows step %c1 {
    scf.for %j = %c0 to %cols step %c1 {
      %u = memref.load %x[%i, %j] : !m
      %v = memref.load %y[%i, %j] : !m
      %d = arith.subf %u, %v : f32
      %ad = math.absf %d : f32
      %w = memref.load %out[%c0] : memref<2xf32>
      %w2 = arith.maximumf %w, %ad : f32
      memref.store %w2, %out[%c0] : memref<2xf32>
      %au = math.absf %u : f32
      %s = memref.load %out[%c1] : memref<2xf32>
      %s2 = arith.addf %s, %au : f32
      memref.store %s2, %out[%c1] : memref<2xf32>
    }
  }
  %p = memref.cast %out : memref<2xf32> to memref<*xf32>
  call @printMemrefF32(%p) : (memref<*xf32>) -> ()
  memref.dealloc %out : memref<2xf32>
  return
}

func.func @check(%m: index, %n: index, %k: index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %a = memref.alloc(%m, %k) : !m
  %b = memref.alloc(%k, %n) : !m
  %c = memref.alloc(%m, %n) : !m
  %d = memref.alloc(%m, %n) : !m
  call @fill(%a, %c3, %c1) : (!m, index, index) -> ()
  call @fill(%b, %c1, %c2) : (!m, index, index) -> ()
  call @fill(%c, %c2, %c3) : (!m, index, index) -> ()
  call @fill(%d, %c2, %c3) : (!m, index, index) -> ()
  call @matmul(%a, %b, %c) : (!m, !m, !m) -> ()
  call @reference(%a, %b, %d) : (!m, !m, !m) -> ()
  call @compare(%c, %d) : (!m, !m) -> ()
  // C's old elements must not count.
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%d : !m)
  call @reference(%a, %b, %d) : (!m, !m, !m) -> ()
  call @zeroed(%a, %b, %c) : (!m, !m, !m) -> ()
  call @compare(%c, %d) : (!m, !m) -> ()
  call @hinted(%a, %b, %c) : (!m, !m, !m) -> ()
  call @compare(%c, %d) : (!m, !m) -> ()
  memref.dealloc %a : !m
  memref.dealloc %b : !m
  memref.dealloc %c : !m
  memref.dealloc %d : !m
  return
}

// (m, n, k) triples, flattened.
memref.global "private" constant @sizes : memref<81xindex> =
    dense<[
        1, 1, 1,      2, 3, 5,       7, 11, 13,     16, 16, 16,
        17, 15, 31,   64, 64, 64,    65, 63, 1,     1, 300, 77,
        300, 1, 77,   77, 5, 300,    256, 256, 256, 257, 255, 129,
        33, 97, 513,  520, 3, 19,    3, 520, 19,    129, 130, 131,
        48, 80, 112,  256, 17, 64,   1, 1, 700,     700, 2, 2,
        13, 256, 271, 271, 13, 256,  100, 100, 100, 2048, 3, 5,
        5, 2048, 7,   3, 5, 2048,    37, 41, 43]>

func.func @check_rows(%m: index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %a = memref.alloc(%m) : memref<?x300xf32>
  %b = memref.alloc() : memref<300x45xf32>
  %c = memref.alloc(%m) : memref<?x45xf32>
  %d = memref.alloc(%m) : memref<?x45xf32>
  %ad = memref.cast %a : memref<?x300xf32> to !m
  %bd = memref.cast %b : memref<300x45xf32> to !m
  %cd = memref.cast %c : memref<?x45xf32> to !m
  %dd = memref.cast %d : memref<?x45xf32> to !m
  call @fill(%ad, %c3, %c1) : (!m, index, index) -> ()
  call @fill(%bd, %c1, %c2) : (!m, index, index) -> ()
  call @fill(%cd, %c2, %c3) : (!m, index, index) -> ()
  call @fill(%dd, %c2, %c3) : (!m, index, index) -> ()
  call @rows(%a, %b, %c) : (memref<?x300xf32>, memref<300x45xf32>, memref<?x45xf32>) -> ()
  call @reference(%ad, %bd, %dd) : (!m, !m, !m) -> ()
  call @compare(%cd, %dd) : (!m, !m) -> ()
  memref.dealloc %a : memref<?x300xf32>
  memref.dealloc %b : memref<300x45xf32>
  memref.dealloc %c : memref<?x45xf32>
  memref.dealloc %d : memref<?x45xf32>
  return
}

func.func @main() {
  %sm = memref.get_global @sizes : memref<81xindex>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c81 = arith.constant 81 : index
  scf.for %i = %c0 to %c81 step %c3 {
    %i1 = arith.addi %i, %c1 : index
    %i2 = arith.addi %i, %c2 : index
    %m = memref.load %sm[%i] : memref<81xindex>
    %n = memref.load %sm[%i1] : memref<81xindex>
    %k = memref.load %sm[%i2] : memref<81xindex>
    func.call @check(%m, %n, %k) : (index, index, index) -> ()
  }
  %c17 = arith.constant 17 : index
  %c300 = arith.constant 300 : index
  %c513 = arith.constant 513 : index
  // K = 0: the zeroed product is zeros, whatever C held.
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  call @check(%c5, %c7, %c0) : (index, index, index) -> ()
  call @check_rows(%c1) : (index) -> ()
  call @check_rows(%c17) : (index) -> ()
  call @check_rows(%c300) : (index) -> ()
  call @check_rows(%c513) : (index) -> ()
  return
}

func.func private @printMemrefF32(%ptr : memref<*xf32>)

// A tensor-level function as a frontend writes it, run the way upstream's
// Linalg CPU integration tests run: one-shot bufferization with function
// boundaries and default options (the arguments get fully dynamic layouts),
// then Tessel through upstream mlir-opt and the plugin, then mlir-runner.
// The matmul is taken over behind a run-time check that rows are
// contiguous; the result must equal a generic contraction's, which Tessel
// leaves to upstream, exactly (small integers: every sum is exact).

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(one-shot-bufferize{bufferize-function-boundaries}, tessel-import-linalg{report}, tessel-to-llvm)" \
// RUN:   -o %t.ll.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=IR < %t.ll.mlir
// RUN: mlir-runner %t.ll.mlir -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

// The matmul's remark is about its fallback copy only: the op was imported.
// REMARK: remark: left to upstream lowering: this copy runs when an innermost stride is not 1 at run time; Tessel's program runs when they are
// REMARK-NEXT: %r = linalg.matmul
// IR: llvm.func @matmul(
// IR: llvm.call @matmul_matmul(
// IR: llvm.func @matmul_matmul(

func.func @matmul(%A: tensor<37x64xf32>, %B: tensor<64x29xf32>,
                  %C: tensor<37x29xf32>) -> tensor<37x29xf32> {
  %r = linalg.matmul ins(%A, %B : tensor<37x64xf32>, tensor<64x29xf32>)
                     outs(%C : tensor<37x29xf32>) -> tensor<37x29xf32>
  return %r : tensor<37x29xf32>
}

func.func @reference(%A: tensor<37x64xf32>, %B: tensor<64x29xf32>,
                     %C: tensor<37x29xf32>) -> tensor<37x29xf32> {
  %r = linalg.generic {
      indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                       affine_map<(m, n, k) -> (k, n)>,
                       affine_map<(m, n, k) -> (m, n)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<37x64xf32>, tensor<64x29xf32>)
      outs(%C : tensor<37x29xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<37x29xf32>
  return %r : tensor<37x29xf32>
}

// (i * a + j * b) mod m - 2: small integers, every sum exact in f32.
func.func @init(%rows: index, %cols: index, %a: index, %b: index,
                %m: index) -> tensor<?x?xf32> {
  %e = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      outs(%e : tensor<?x?xf32>) {
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
  } -> tensor<?x?xf32>
  return %t : tensor<?x?xf32>
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %c29 = arith.constant 29 : index
  %c37 = arith.constant 37 : index
  %c64 = arith.constant 64 : index
  %a0 = call @init(%c37, %c64, %c3, %c1, %c5) : (index, index, index, index, index) -> tensor<?x?xf32>
  %b0 = call @init(%c64, %c29, %c1, %c2, %c7) : (index, index, index, index, index) -> tensor<?x?xf32>
  %c0 = call @init(%c37, %c29, %c2, %c3, %c5) : (index, index, index, index, index) -> tensor<?x?xf32>
  %d0 = call @init(%c37, %c29, %c2, %c3, %c5) : (index, index, index, index, index) -> tensor<?x?xf32>
  %a = tensor.cast %a0 : tensor<?x?xf32> to tensor<37x64xf32>
  %b = tensor.cast %b0 : tensor<?x?xf32> to tensor<64x29xf32>
  %c = tensor.cast %c0 : tensor<?x?xf32> to tensor<37x29xf32>
  %d = tensor.cast %d0 : tensor<?x?xf32> to tensor<37x29xf32>
  %r = call @matmul(%a, %b, %c) : (tensor<37x64xf32>, tensor<64x29xf32>, tensor<37x29xf32>) -> tensor<37x29xf32>
  %want = call @reference(%a, %b, %d) : (tensor<37x64xf32>, tensor<64x29xf32>, tensor<37x29xf32>) -> tensor<37x29xf32>

  // The largest difference from the reference, over all 37 x 29 elements
  // (printed last).
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %worst = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> ()>],
      iterator_types = ["reduction", "reduction"]}
      ins(%r, %want : tensor<37x29xf32>, tensor<37x29xf32>)
      outs(%init : tensor<f32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %diff = arith.subf %x, %y : f32
    %ad = math.absf %diff : f32
    %m = arith.maximumf %acc, %ad : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  // CHECK: sizes = [37, 29]
  // CHECK-NEXT: [-10,   10,   -3,   -4,   4,   5,   -17,   -9,   11,   -2,   -8,   5,   6,   -16,   -8,   7,   -1,   -7,   6,   7,   -20,   -7,   8,   0,   -6,   2,   8,   -19,   -6],
  // CHECK-NEXT: [5,   -4,   -1,   4,   7,   -16,   3,   6,   -3,   0,   5,   3,   -15,   4,   7,   -2,   -4,   6,   4,   -14,   5,   3,   -1,   -3,   7,   5,   -18,   6,   4],
  %u = tensor.cast %r : tensor<37x29xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()

  // CHECK: sizes = []
  // CHECK-NEXT: [0]
  %w = tensor.cast %worst : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%w) : (tensor<*xf32>) -> ()
  return
}

func.func private @printMemrefF32(%ptr : tensor<*xf32>)

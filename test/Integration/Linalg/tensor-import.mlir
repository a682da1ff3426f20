// Import first, bufferize later: a tensor-level model (a linear layer with
// a zero fill, bias and ReLU, a softmax and a row sum) goes through
// `tessel-import-linalg` before one-shot bufferization (function
// boundaries, default options) and upstream's deallocation pipeline (which
// frees what bufferization allocates, the copies spec ops may need
// included), then `tessel-to-llvm`, through upstream
// mlir-opt and the plugin, then mlir-runner. The same computations on
// dynamically sized tensors (which the import leaves to upstream) are the
// reference.

// RUN: %preload_asan mlir-opt %s --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(tessel-import-linalg{report})" \
// RUN:   -o %t.spec.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=SPEC < %t.spec.mlir
// RUN: %preload_asan mlir-opt %t.spec.mlir --load-dialect-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --load-pass-plugin=%tessel_lib_dir/TesselPlugin.so \
// RUN:   --pass-pipeline="builtin.module(one-shot-bufferize{bufferize-function-boundaries}, buffer-deallocation-pipeline, tessel-to-llvm)" \
// RUN:   -o %t.ll.mlir
// RUN: mlir-runner %t.ll.mlir -e main -entry-point-result=void -shared-libs=%runner_libs | FileCheck %s

// The reference's ops (dynamic sizes) are left, saying why.
// REMARK: remark: left to upstream lowering: operand #1 (tensor<?x?xf32>): it is a tensor with dynamic sizes (those import after bufferization)
// REMARK-NEXT: linalg.fill

// SPEC-LABEL: func.func @layer(
// SPEC-NOT: linalg.
// SPEC: spec.matmul %{{.*}} = %{{.*}} * %{{.*}} : tensor<37x64xf32> * tensor<64x29xf32> -> tensor<37x29xf32>
// SPEC: tensor.expand_shape
// SPEC: spec.add
// SPEC: spec.relu
// SPEC-LABEL: func.func @softmax(
// SPEC-NOT: linalg.
// SPEC: spec.softmax
// SPEC: spec.fill
// SPEC: spec.reduce
// SPEC: tensor.collapse_shape
// SPEC-LABEL: func.func @layer_ref(

func.func @layer(%x: tensor<37x64xf32>, %w: tensor<64x29xf32>,
                 %bias: tensor<29xf32>) -> tensor<37x29xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x29xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<37x29xf32>) -> tensor<37x29xf32>
  %m = linalg.matmul ins(%x, %w : tensor<37x64xf32>, tensor<64x29xf32>)
                     outs(%f : tensor<37x29xf32>) -> tensor<37x29xf32>
  %b = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<37x29xf32>, tensor<29xf32>) outs(%e : tensor<37x29xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<37x29xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%b : tensor<37x29xf32>) outs(%e : tensor<37x29xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.maximumf %a, %zero : f32
    linalg.yield %s : f32
  } -> tensor<37x29xf32>
  return %r : tensor<37x29xf32>
}

// Softmax along rows, and each row's sum (which is 1).
func.func @softmax(%x: tensor<37x29xf32>) -> (tensor<37x29xf32>, tensor<37xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x29xf32>
  %s = linalg.softmax dimension(1) ins(%x : tensor<37x29xf32>)
                                   outs(%e : tensor<37x29xf32>) -> tensor<37x29xf32>
  %re = tensor.empty() : tensor<37xf32>
  %rf = linalg.fill ins(%zero : f32) outs(%re : tensor<37xf32>) -> tensor<37xf32>
  %sum = linalg.reduce ins(%s : tensor<37x29xf32>) outs(%rf : tensor<37xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %s, %sum : tensor<37x29xf32>, tensor<37xf32>
}

func.func @layer_ref(%x: tensor<?x?xf32>, %w: tensor<?x?xf32>,
                     %bias: tensor<?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %rows = tensor.dim %x, %c0 : tensor<?x?xf32>
  %cols = tensor.dim %w, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %m = linalg.matmul ins(%x, %w : tensor<?x?xf32>, tensor<?x?xf32>)
                     outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<?x?xf32>, tensor<?xf32>) outs(%e : tensor<?x?xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %t = arith.maximumf %s, %zero : f32
    linalg.yield %t : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// exp(x - max) / sum(exp(x - max)) along rows, spelled out (upstream does
// not lower linalg.softmax on buffers).
func.func @softmax_ref(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %x, %c0 : tensor<?x?xf32>
  %cols = tensor.dim %x, %c1 : tensor<?x?xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %re = tensor.empty(%rows) : tensor<?xf32>
  %m0 = linalg.fill ins(%ninf : f32) outs(%re : tensor<?xf32>) -> tensor<?xf32>
  %max = linalg.reduce ins(%x : tensor<?x?xf32>) outs(%m0 : tensor<?xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.maximumf %in, %acc : f32
      linalg.yield %a : f32
    }
  %e = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %ex = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<?x?xf32>, tensor<?xf32>) outs(%e : tensor<?x?xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    %v = math.exp %d : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%re : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.reduce ins(%ex : tensor<?x?xf32>) outs(%s0 : tensor<?xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %r = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%ex, %sum : tensor<?x?xf32>, tensor<?xf32>) outs(%e : tensor<?x?xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %v = arith.divf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// (i * a + j * b) mod m - 2: small integers, every product sum exact in f32.
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

// The largest |x - y| over two 37 x 29 tensors.
func.func @worst(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> f32 {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %worst = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> (i, j)>,
                       affine_map<(i, j) -> ()>],
      iterator_types = ["reduction", "reduction"]}
      ins(%x, %y : tensor<?x?xf32>, tensor<?x?xf32>)
      outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %diff = arith.subf %a, %b : f32
    %ad = math.absf %diff : f32
    %m = arith.maximumf %acc, %ad : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  %v = tensor.extract %worst[] : tensor<f32>
  return %v : f32
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %c29 = arith.constant 29 : index
  %c37 = arith.constant 37 : index
  %c64 = arith.constant 64 : index
  %x0 = call @init(%c37, %c64, %c3, %c1, %c5) : (index, index, index, index, index) -> tensor<?x?xf32>
  %w0 = call @init(%c64, %c29, %c1, %c2, %c7) : (index, index, index, index, index) -> tensor<?x?xf32>
  %bias2 = call @init(%c1, %c29, %c0, %c3, %c7) : (index, index, index, index, index) -> tensor<?x?xf32>
  %bias0 = tensor.collapse_shape %bias2 [[0, 1]] : tensor<?x?xf32> into tensor<?xf32>
  %x = tensor.cast %x0 : tensor<?x?xf32> to tensor<37x64xf32>
  %w = tensor.cast %w0 : tensor<?x?xf32> to tensor<64x29xf32>
  %bias = tensor.cast %bias0 : tensor<?xf32> to tensor<29xf32>

  %y = call @layer(%x, %w, %bias) : (tensor<37x64xf32>, tensor<64x29xf32>, tensor<29xf32>) -> tensor<37x29xf32>
  %yref = call @layer_ref(%x0, %w0, %bias0) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf32>) -> tensor<?x?xf32>
  %yd = tensor.cast %y : tensor<37x29xf32> to tensor<?x?xf32>
  %ywant = call @worst(%yd, %yref) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  // Exact (small integers); some entries were negative before the ReLU.
  // CHECK: 0
  vector.print %ywant : f32

  // Softmax of the layer's output scaled down (values up to ~100 apart).
  %tenth = arith.constant 0.1 : f32
  %e = tensor.empty() : tensor<37x29xf32>
  %ys = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<37x29xf32>) outs(%e : tensor<37x29xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %tenth : f32
    linalg.yield %s : f32
  } -> tensor<37x29xf32>
  %s, %sum = call @softmax(%ys) : (tensor<37x29xf32>) -> (tensor<37x29xf32>, tensor<37xf32>)
  %ysd = tensor.cast %ys : tensor<37x29xf32> to tensor<?x?xf32>
  %sref = call @softmax_ref(%ysd) : (tensor<?x?xf32>) -> tensor<?x?xf32>
  %sd = tensor.cast %s : tensor<37x29xf32> to tensor<?x?xf32>
  %sworst = call @worst(%sd, %sref) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %tol = arith.constant 1.0e-6 : f32
  %sok = arith.cmpf olt, %sworst, %tol : f32
  // CHECK-NEXT: 1
  vector.print %sok : i1

  // Every row of a softmax sums to 1.
  %ones = tensor.empty() : tensor<37x1xf32>
  %sum2 = tensor.expand_shape %sum [[0, 1]] output_shape [37, 1] : tensor<37xf32> into tensor<37x1xf32>
  %one = arith.constant 1.0 : f32
  %onesf = linalg.fill ins(%one : f32) outs(%ones : tensor<37x1xf32>) -> tensor<37x1xf32>
  %sum2d = tensor.cast %sum2 : tensor<37x1xf32> to tensor<?x?xf32>
  %onesd = tensor.cast %onesf : tensor<37x1xf32> to tensor<?x?xf32>
  %rworst = call @worst(%sum2d, %onesd) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  %rok = arith.cmpf olt, %rworst, %tol : f32
  // CHECK-NEXT: 1
  vector.print %rok : i1
  return
}

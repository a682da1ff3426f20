// Elementwise linalg ops become spec elementwise ops, recognised by what
// their bodies compute (named ops, linalg.map and generics alike); inputs
// are viewed in the output's order, with unit dims where they broadcast.
// RUN: tessel-opt %s --tessel-import-linalg=report -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s
// The result lowers completely.
// RUN: tessel-opt %s --tessel-import-linalg --tessel-to-llvm="target=avx512 threads=1" | FileCheck %s --check-prefix=LLVM
// LLVM-NOT: linalg.
// LLVM-NOT: spec.
// LLVM: llvm.func @f

// CHECK: elementwise.mlir:71:3: remark: left to upstream lowering: the body computes no function of the elementwise catalog (add, sub, mul, div, max, min, relu, neg, abs, exp, tanh, sigmoid, gelu, gelu_tanh, reciprocal)
// CHECK: spec.add %arg2 = add(%arg0, %{{.*}}) : memref<8x16xf32>, memref<1x16xf32> -> memref<8x16xf32>
// CHECK: spec.relu %arg2 = relu(%arg2)
// CHECK: spec.gelu %arg2 = gelu(%arg4) : memref<8x16xbf16> -> memref<8x16xf32>
// CHECK: spec.sub %arg2 = sub(%arg0, %{{.*}}) : memref<8x16xf32>, memref<8x16xf32, strided<[1, 8]>> -> memref<8x16xf32>
// CHECK: spec.exp %arg2 = exp(%arg0)
// CHECK: spec.max %arg2 = max(%arg0, %arg2)
// CHECK: spec.tanh %arg2 = tanh(%arg0)
// CHECK: linalg.generic
// CHECK: linalg.yield
// CHECK: spec.reciprocal %arg2 = reciprocal(%arg0)
// CHECK: spec.reciprocal %arg2 = reciprocal(%arg0)
// CHECK: spec.add %arg2 = add(%arg0, %{{.*}}) then relu : memref<8x16xf32>, memref<1x16xf32> -> memref<8x16xf32>
// CHECK-NOT: linalg.
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @f(%x: memref<8x16xf32>, %b: memref<16xf32>, %y: memref<8x16xf32>, %t: memref<16x8xf32>, %h: memref<8x16xbf16>) {
  %zero = arith.constant 0.0 : f32
  // bias add with a broadcast
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : memref<8x16xf32>, memref<16xf32>) outs(%y : memref<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  }
  // relu as cmpf + select
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : memref<8x16xf32>) outs(%y : memref<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = arith.cmpf ugt, %a, %zero : f32
    %r = arith.select %p, %a, %zero : f32
    linalg.yield %r : f32
  }
  // gelu erf form from a bf16 input
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h : memref<8x16xbf16>) outs(%y : memref<8x16xf32>) {
  ^bb0(%a: bf16, %o: f32):
    %e = arith.extf %a : bf16 to f32
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %s = arith.constant 0.70710678 : f32
    %u = arith.mulf %e, %s : f32
    %erf = math.erf %u : f32
    %p = arith.addf %erf, %one : f32
    %q = arith.mulf %e, %half : f32
    %r = arith.mulf %q, %p : f32
    linalg.yield %r : f32
  }
  // sub with operands swapped, and a transposed input
  linalg.generic {indexing_maps = [#tr, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %x : memref<16x8xf32>, memref<8x16xf32>) outs(%y : memref<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.subf %c, %a : f32
    linalg.yield %r : f32
  }
  linalg.exp ins(%x : memref<8x16xf32>) outs(%y : memref<8x16xf32>)
  linalg.max ins(%x, %y : memref<8x16xf32>, memref<8x16xf32>) outs(%y : memref<8x16xf32>)
  linalg.map { math.tanh } ins(%x : memref<8x16xf32>) outs(%y : memref<8x16xf32>)
  // leaky relu: not in the catalog
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<8x16xf32>) outs(%y : memref<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = arith.cmpf ugt, %a, %zero : f32
    %s = arith.constant 0.01 : f32
    %l = arith.mulf %a, %s : f32
    %r = arith.select %p, %a, %l : f32
    linalg.yield %r : f32
  }
  linalg.reciprocal ins(%x : memref<8x16xf32>) outs(%y : memref<8x16xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<8x16xf32>) outs(%y : memref<8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %r = arith.divf %one, %a : f32
    linalg.yield %r : f32
  }
  // A bias add then its ReLU in one body (as torch-mlir fuses them): the
  // add with a ReLU epilogue.
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : memref<8x16xf32>, memref<16xf32>) outs(%y : memref<8x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// Each spec op's program goes into the module nearest it: a module nested
// in another has symbols of its own (the outer op's program once landed in
// the inner module, and the call no longer found it). Ops of dialects that
// are not registered are left alone (they once crashed the decomposition).
// RUN: tessel-opt %s --allow-unregistered-dialect --tessel-synthesize="target=avx512 threads=1" | FileCheck %s

// CHECK: module @inner
// CHECK: func.func @f(
// CHECK: call @f_exp(
// CHECK: func.func private @f_exp(
// CHECK: }
// CHECK: func.func @g(
// CHECK: "foo.bar"() : () -> ()
// CHECK: call @g_abs(
// CHECK: func.func private @g_abs(
module {
  module @inner {
    func.func @f(%a: memref<4x4xf32>, %b: memref<4x4xf32>) {
      spec.exp %b = exp(%a) : memref<4x4xf32> -> memref<4x4xf32>
      return
    }
  }
  func.func @g(%a: memref<4x4xf32>, %b: memref<4x4xf32>) {
    "foo.bar"() : () -> ()
    spec.abs %b = abs(%a) : memref<4x4xf32> -> memref<4x4xf32>
    return
  }
}

// A parallel loop of the user's own (not from synthesis) whose body holds a
// loop: the OpenMP conversion wraps each body in memref.alloca_scope, whose
// region must stay one block, so the body's loop must not be lowered to
// branches inside it. --tessel-to-llvm inlines scopes that allocate nothing
// first (upstream's canonicalization), so the module lowers completely.
// RUN: tessel-opt %s --tessel-to-llvm="target=avx2 threads=2" | FileCheck %s
// RUN: tessel-opt %s --tessel-to-llvm="target=avx2 threads=2" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=IR

// CHECK-NOT: scf.
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @row_sums
// CHECK: omp.parallel
// CHECK: omp.wsloop
// IR: define void @row_sums
// IR: call {{.*}} @__kmpc_fork_call

func.func @row_sums(%x: memref<64x100xf32>, %y: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %zero = arith.constant 0.0 : f32
  scf.forall (%i) in (64) {
    %sum = scf.for %j = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> f32 {
      %v = memref.load %x[%i, %j] : memref<64x100xf32>
      %next = arith.addf %acc, %v : f32
      scf.yield %next : f32
    }
    memref.store %sum, %y[%i] : memref<64xf32>
  }
  return
}

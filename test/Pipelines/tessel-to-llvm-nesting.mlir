// --tessel-to-llvm lowers whole modules: nested on another op (where its
// module passes would abort the pass manager, or under `any`, where they
// would all be skipped and the module left as it was) it is refused.
// RUN: not tessel-opt %s --pass-pipeline="builtin.module(func.func(tessel-to-llvm{target=avx512}))" 2>&1 | FileCheck %s --check-prefix=FUNC
// RUN: not tessel-opt %s --pass-pipeline="builtin.module(any(tessel-to-llvm{target=avx512}))" 2>&1 | FileCheck %s --check-prefix=ANY
// RUN: tessel-opt %s --pass-pipeline="builtin.module(tessel-to-llvm{target=avx512 threads=1})" | FileCheck %s --check-prefix=MODULE

// FUNC: error: tessel-to-llvm lowers a whole builtin.module; it cannot run nested in 'func.func'
// ANY: error: tessel-to-llvm lowers a whole builtin.module; it cannot run nested in 'any'
// MODULE: llvm.func @f
func.func @f(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  spec.matmul %c = %a * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// `tessel run --func=NAME` synthesizes and compiles that function only:
// another function that cannot be synthesized (a bf16 softmax) does not
// stop it (its error would fail the run).
// RUN: tessel run %s --func=add_rows | FileCheck %s --check-prefix=ONE
// RUN: not tessel run %s 2>&1 | FileCheck %s --check-prefix=ALL

// ONE: add_rows arg2: max error 0 {{.*}}: PASS
func.func @add_rows(%a: memref<5x16xf32>, %b: memref<1x16xf32>, %c: memref<5x16xf32>) {
  spec.add %c = add(%a, %b) : memref<5x16xf32>, memref<1x16xf32> -> memref<5x16xf32>
  return
}

// ALL: error: 'spec.softmax' op is synthesized for f32 only
func.func @unsupported(%x: memref<4x8xbf16>, %y: memref<4x8xbf16>) {
  spec.softmax %y = softmax(%x) along 1 : memref<4x8xbf16> -> memref<4x8xbf16>
  return
}

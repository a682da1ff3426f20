// RUN: tessel-opt %s --split-input-file --verify-diagnostics

func.func @map_dims(%a: memref<2x8xf32>, %b: memref<8x32xf32>, %c: memref<2x32xf32>) {
  // expected-error @below {{lhs map must have 3 dimensions (one per size) and no symbols}}
  ukernel.broadcast_fma %a[affine_map<(m, k) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 8, 32] lanes 16
      : memref<2x8xf32>, memref<8x32xf32> -> memref<2x32xf32>
  return
}

// -----

func.func @out_of_box(%a: memref<2x8xf32>, %b: memref<8x32xf32>, %c: memref<2x32xf32>) {
  // expected-error @below {{lhs map reaches index 8 of box dimension 1 of size 8}}
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 9, 32] lanes 16
      : memref<2x8xf32>, memref<8x32xf32> -> memref<2x32xf32>
  return
}

// -----

func.func @not_contiguous(%a: memref<2x8xf32>, %b: memref<32x8xf32>, %c: memref<2x32xf32>) {
  // expected-error @below {{rhs must be contiguous along dimension 2}}
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (n, k)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 8, 32] lanes 16
      : memref<2x8xf32>, memref<32x8xf32> -> memref<2x32xf32>
  return
}

// -----

func.func @wrong_dims(%a: memref<2x8xf32>, %b: memref<8x32xf32>, %c: memref<2x32xf32>) {
  // expected-error @below {{lhs map may use only (m, k), rhs only (k, n) and acc only (m, n)}}
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, n floordiv 4)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 8, 32] lanes 16
      : memref<2x8xf32>, memref<8x32xf32> -> memref<2x32xf32>
  return
}

// -----

func.func @odd_k(%a: memref<1x7xbf16>, %b: memref<4x16x2xbf16>, %c: memref<1x16xf32>) {
  // expected-error @below {{K must be even (bf16 pairs)}}
  ukernel.dot_bf16 %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k floordiv 2, n, k mod 2)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 7, 16] lanes 16
      : memref<1x7xbf16>, memref<4x16x2xbf16> -> memref<1x16xf32>
  return
}

// -----

func.func @narrowing(%s: memref<4x16xf32>, %d: memref<4x16xbf16>) {
  // expected-error @below {{copies 'f32' to 'bf16'; only equal types, bf16/f16 to f32 or a wider signless integer (from i8 up)}}
  ukernel.copy %s[affine_map<(i, j) -> (i, j)>] to %d[affine_map<(i, j) -> (i, j)>] sizes [4, 16] lanes 0 along 0
      : memref<4x16xf32> -> memref<4x16xbf16>
  return
}

// -----

// Integers widen with their sign: unsigned types (zero extension) and i1
// (true would become -1) are not taken.
func.func @unsigned(%s: memref<4x16xui8>, %d: memref<4x16xui16>) {
  // expected-error @below {{copies 'ui8' to 'ui16'; only equal types}}
  ukernel.copy %s[affine_map<(i, j) -> (i, j)>] to %d[affine_map<(i, j) -> (i, j)>] sizes [4, 16] lanes 0 along 0
      : memref<4x16xui8> -> memref<4x16xui16>
  return
}

// -----

func.func @bool(%s: memref<4x16xi1>, %d: memref<4x16xi8>) {
  // expected-error @below {{copies 'i1' to 'i8'; only equal types}}
  ukernel.copy %s[affine_map<(i, j) -> (i, j)>] to %d[affine_map<(i, j) -> (i, j)>] sizes [4, 16] lanes 0 along 0
      : memref<4x16xi1> -> memref<4x16xi8>
  return
}

// -----

func.func @fill_type(%d: memref<4x16xf32>) {
  // expected-error @below {{value type 'i32' differs from the element type 'f32'}}
  ukernel.fill 0 : i32 to %d[affine_map<(i, j) -> (i, j)>] sizes [4, 16] lanes 0 along 0 : memref<4x16xf32>
  return
}

// -----

func.func @bad_expr(%d: memref<4x16xf32>) {
  // expected-error @below {{dst map result 1 must be d, d floordiv c, d mod c or a constant}}
  ukernel.fill 0.0 : f32 to %d[affine_map<(i, j) -> (i, j * 2)>] sizes [4, 8] lanes 0 along 0 : memref<4x16xf32>
  return
}

// -----

func.func @dot_reduce_rhs_not_along_k(%a: memref<1x32xf32>, %b: memref<32x2xf32>, %c: memref<1x2xf32>) {
  // expected-error @below {{rhs must be contiguous along dimension 1: its innermost box dimension needs unit stride and index d1}}
  ukernel.dot_reduce %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 32, 2] lanes 16
      : memref<1x32xf32>, memref<32x2xf32> -> memref<1x2xf32>
  return
}

// -----

func.func @dot_reduce_i8(%a: memref<1x32xi8>, %b: memref<2x32xi8>, %c: memref<1x2xf32>) {
  // expected-error @below {{lhs and rhs must be f32 or bf16}}
  ukernel.dot_reduce %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (n, k)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 32, 2] lanes 16
      : memref<1x32xi8>, memref<2x32xi8> -> memref<1x2xf32>
  return
}

// -----

func.func @scalar_fma_narrowing(%a: memref<1x1xi32>, %b: memref<1x1xi32>, %c: memref<1x1xi16>) {
  // expected-error @below {{cannot accumulate 'i32' * 'i32' into 'i16'}}
  ukernel.scalar_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 1, 1] lanes 0
      : memref<1x1xi32>, memref<1x1xi32> -> memref<1x1xi16>
  return
}

// -----

func.func @scalar_fma_mixed_floats(%a: memref<1x1xf32>, %b: memref<1x1xf32>, %c: memref<1x1xbf16>) {
  // expected-error @below {{cannot accumulate 'f32' * 'f32' into 'bf16'}}
  ukernel.scalar_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 1, 1] lanes 0
      : memref<1x1xf32>, memref<1x1xf32> -> memref<1x1xbf16>
  return
}

// -----

// vdpbf16ps tiles have no masked form: whole vectors only (broadcast tiles
// and copies may end a row in a partial vector).
func.func @dot_bf16_partial(%a: memref<1x8xbf16>, %b: memref<4x24x2xbf16>, %c: memref<1x32xf32>) {
  // expected-error @below {{size 24 along dimension 2 is not a multiple of 16 lanes}}
  ukernel.dot_bf16 %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k floordiv 2, n, k mod 2)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 8, 24] lanes 16
      : memref<1x8xbf16>, memref<4x24x2xbf16> -> memref<1x32xf32>
  return
}

// -----

func.func @prefetch_no_lines(%a: memref<2x8xf32>, %b: memref<8x32xf32>, %c: memref<2x32xf32>, %p: memref<4x40xf32>, %f: index) {
  // expected-error @+1 {{prefetch line count must be positive}}
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 8, 32] lanes 16
      prefetch %p[%f] lines [0] : memref<4x40xf32>
      : memref<2x8xf32>, memref<8x32xf32> -> memref<2x32xf32>
  return
}

// -----

func.func @prefetch_dynamic_box(%a: memref<2x8xf32>, %b: memref<8x32xf32>, %c: memref<2x32xf32>, %p: memref<?x40xf32>, %f: index) {
  // expected-error @+1 {{prefetch box must have a static, non-empty shape}}
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 8, 32] lanes 16
      prefetch %p[%f] lines [4] : memref<?x40xf32>
      : memref<2x8xf32>, memref<8x32xf32> -> memref<2x32xf32>
  return
}

// -----

func.func @f(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  // expected-error @+1 {{epilogue 'add' is not a function of one input}}
  ukernel.elementwise "add" then "add"(%x, %x) maps [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<4x16xf32>, memref<4x16xf32> -> memref<4x16xf32>
  return
}

// -----

func.func @f(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  // expected-error @+1 {{unknown function 'cosh'}}
  ukernel.elementwise "cosh"(%x) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<4x16xf32> -> memref<4x16xf32>
  return
}

// -----

func.func @f(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  // expected-error @+1 {{'add' takes 2 inputs, each with a map}}
  ukernel.elementwise "add"(%x) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<4x16xf32> -> memref<4x16xf32>
  return
}

// -----

func.func @f(%x: memref<4x16xf32>, %y: memref<4x16xf32>) {
  // expected-error @+1 {{'muladd' takes 3 inputs, each with a map}}
  ukernel.elementwise "muladd"(%x, %y) maps [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<4x16xf32>, memref<4x16xf32> -> memref<4x16xf32>
  return
}

// -----

func.func @f(%x: memref<16x4xf32>, %y: memref<4x16xf32>) {
  // expected-error @+1 {{input 0 must be contiguous along dimension 1}}
  ukernel.elementwise "exp"(%x) maps [affine_map<(d0, d1) -> (d1, d0)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<16x4xf32> -> memref<4x16xf32>
  return
}

// -----

func.func @f(%x: memref<4x16xf32>, %y: memref<4x16xbf16>) {
  // expected-error @+1 {{out must be f32}}
  ukernel.elementwise "exp"(%x) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<4x16xf32> -> memref<4x16xbf16>
  return
}

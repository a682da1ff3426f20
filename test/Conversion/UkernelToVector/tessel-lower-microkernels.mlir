// RUN: tessel-opt %s --tessel-lower-microkernels --split-input-file | FileCheck %s --check-prefixes=CHECK,PORTABLE
// RUN: tessel-opt %s --tessel-lower-microkernels=avx512 --split-input-file | FileCheck %s --check-prefixes=CHECK,AVX512

// A 2 x 32 register tile: accumulators loaded once, carried through the k
// loop as SSA values (so they stay in registers), stored once.
// CHECK-LABEL: func.func @broadcast_fma(
// CHECK-COUNT-4: vector.load %arg2{{.*}} : memref<2x32xf32>, vector<16xf32>
// CHECK:         %[[R:.*]]:4 = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// CHECK-COUNT-2:   vector.load %arg1[%[[K]], {{.*}}] : memref<8x32xf32>, vector<16xf32>
// CHECK:           memref.load %arg0[{{.*}}, %[[K]]] : memref<2x8xf32>
// CHECK:           vector.broadcast {{.*}} : f32 to vector<16xf32>
// CHECK-COUNT-2:   vector.fma
// CHECK:           memref.load %arg0
// CHECK-COUNT-2:   vector.fma
// CHECK:           scf.yield
// CHECK-COUNT-4: vector.store %[[R]]#{{[0-3]}}, %arg2
func.func @broadcast_fma(%a: memref<2x8xf32>, %b: memref<8x32xf32>, %c: memref<2x32xf32>) {
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 8, 32] lanes 16
      : memref<2x8xf32>, memref<8x32xf32> -> memref<2x32xf32>
  return
}

// -----

// bf16 pairs: the rhs [k/2][n][2] box is read as one run per 16 columns, the
// lhs pair broadcast as a 32-bit word, vdpbf16ps accumulates.
// CHECK-LABEL: func.func @dot_bf16(
// CHECK:         memref.collapse_shape %arg1 {{\[\[}}0], [1, 2]]
// CHECK:         scf.for {{.*}} step %c2{{.*}} iter_args(
// CHECK:           vector.load {{.*}} vector<32xbf16>
// CHECK:           vector.load %arg0{{.*}} vector<2xbf16>
// CHECK:           vector.bitcast {{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK:           vector.broadcast {{.*}} : i32 to vector<16xi32>
// CHECK:           x86vector.avx512.dot {{.*}} : vector<32xbf16> -> vector<16xf32>
func.func @dot_bf16(%a: memref<1x8xbf16>, %b: memref<4x16x2xbf16>, %c: memref<1x16xf32>) {
  ukernel.dot_bf16 %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k floordiv 2, n, k mod 2)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 8, 16] lanes 16
      : memref<1x8xbf16>, memref<4x16x2xbf16> -> memref<1x16xf32>
  return
}

// -----

// Dot products along k: a 1 x 2 tile of vector accumulators over the 32
// whole k elements, a masked step for the last 4, then one horizontal sum per
// accumulator, added to its scalar.
// CHECK-LABEL: func.func @dot_reduce(
// CHECK:         %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK:         %[[R:.*]]:2 = scf.for %[[K:.*]] = %{{.*}} to %c32 step %c16 iter_args(%{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]])
// CHECK:           vector.load %arg0[%{{.*}}, %[[K]]] : memref<1x36xf32>, vector<16xf32>
// CHECK:           vector.load %arg1[%{{.*}}, %[[K]]] : memref<2x36xbf16>, vector<16xbf16>
// CHECK:           arith.extf
// CHECK:           vector.fma
// CHECK:           vector.load %arg1[%{{.*}}, %[[K]]]
// CHECK:           vector.fma
// CHECK:         %[[MASK:.*]] = vector.create_mask %c4 : vector<16xi1>
// CHECK:         vector.maskedload %arg0[%{{.*}}, %{{.*}}], %[[MASK]]
// CHECK-COUNT-2: vector.maskedload %arg1
// CHECK:         %[[C0:.*]] = memref.load %arg2
// CHECK:         %[[S0:.*]] = vector.reduction <add>, %{{.*}}, %[[C0]] fastmath<reassoc>
// CHECK:         memref.store %[[S0]], %arg2
// CHECK:         %[[C1:.*]] = memref.load %arg2
// CHECK:         %[[S1:.*]] = vector.reduction <add>, %{{.*}}, %[[C1]] fastmath<reassoc>
// CHECK:         memref.store %[[S1]], %arg2
func.func @dot_reduce(%a: memref<1x36xf32>, %b: memref<2x36xbf16>, %c: memref<1x2xf32>) {
  ukernel.dot_reduce %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (n, k)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 36, 2] lanes 16
      : memref<1x36xf32>, memref<2x36xbf16> -> memref<1x2xf32>
  return
}

// -----

// Widening copy in vectors; large copies keep a loop over rows.
// CHECK-LABEL: func.func @copy(
// CHECK:         scf.for
// CHECK:           vector.load %arg0{{.*}} : memref<100x32xbf16>, vector<16xbf16>
// CHECK:           arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK:           vector.store {{.*}}, %arg1{{.*}} : memref<100x32xf32>, vector<16xf32>
func.func @copy(%s: memref<100x32xbf16>, %d: memref<100x32xf32>) {
  ukernel.copy %s[affine_map<(i, j) -> (i, j)>] to %d[affine_map<(i, j) -> (i, j)>] sizes [100, 32] lanes 16 along 1
      : memref<100x32xbf16> -> memref<100x32xf32>
  return
}

// -----

// CHECK-LABEL: func.func @pack_and_fill(
// CHECK:         vector.interleave {{.*}} : vector<16xbf16> -> vector<32xbf16>
// CHECK:         arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK-COUNT-2: vector.store
func.func @pack_and_fill(%s: memref<2x16xbf16>, %d: memref<16x2xbf16>, %f: memref<32xf32>) {
  ukernel.pack_bf16_pairs %s[affine_map<(k, n) -> (k, n)>] to %d[affine_map<(k, n) -> (n, k)>] sizes [2, 16] lanes 32
      : memref<2x16xbf16> -> memref<16x2xbf16>
  ukernel.fill 0xFF800000 : f32 to %f[affine_map<(i) -> (i)>] sizes [32] lanes 16 along 0 : memref<32xf32>
  return
}

// -----

// Integer accumulation: inputs sign-extended to the accumulator, wrapping
// arithmetic.
// CHECK-LABEL: func.func @scalar_fma_int(
// CHECK-COUNT-2: arith.extsi {{.*}} : i8 to i32
// CHECK:         arith.muli {{.*}} : i32
// CHECK:         arith.addi {{.*}} : i32
// CHECK:         memref.store {{.*}} : memref<1x1xi32>
func.func @scalar_fma_int(%a: memref<1x1xi8>, %b: memref<1x1xi8>, %c: memref<1x1xi32>) {
  ukernel.scalar_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 1, 1] lanes 0
      : memref<1x1xi8>, memref<1x1xi8> -> memref<1x1xi32>
  return
}

// -----

// A bf16 accumulator: the step is computed in f32 and rounded back.
// CHECK-LABEL: func.func @scalar_fma_bf16(
// CHECK:         arith.mulf {{.*}} : f32
// CHECK:         arith.addf {{.*}} : f32
// CHECK:         arith.truncf {{.*}} : f32 to bf16
func.func @scalar_fma_bf16(%a: memref<1x1xbf16>, %b: memref<1x1xbf16>, %c: memref<1x1xbf16>) {
  ukernel.scalar_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 1, 1] lanes 0
      : memref<1x1xbf16>, memref<1x1xbf16> -> memref<1x1xbf16>
  return
}

// -----

// Rows of 25 columns: the last of the two vectors is partial. B's box ends
// at 25, so its last vector is a masked load with zeros past the end; the
// register tile's box is padded to 32, so the accumulators stay whole.
// CHECK-LABEL: func.func @broadcast_fma_partial(
// CHECK-COUNT-4: vector.load %arg2{{.*}} : memref<2x32xf32>, vector<16xf32>
// CHECK:         scf.for
// CHECK:           %[[MASK:.*]] = vector.create_mask %c9 : vector<16xi1>
// CHECK:           vector.maskedload %arg1[{{.*}}], %[[MASK]], {{.*}} : memref<8x25xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK:         scf.yield
// CHECK-COUNT-4: vector.store {{.*}}, %arg2
func.func @broadcast_fma_partial(%a: memref<2x8xf32>, %b: memref<8x25xf32>, %c: memref<2x32xf32>) {
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 8, 25] lanes 16
      : memref<2x8xf32>, memref<8x25xf32> -> memref<2x32xf32>
  return
}

// -----

// A copy whose rows end in a partial vector masks it where a box ends: the
// memory side (rows of 40) is loaded masked, the padded register tile (rows
// of 48) stored whole. Long rows keep their loop over whole vectors and
// finish with the masked one at a constant index.
// CHECK-LABEL: func.func @copy_partial(
// CHECK:         vector.load %arg0[{{.*}}] : memref<2x40xf32>
// CHECK:         vector.load %arg0[{{.*}}] : memref<2x40xf32>
// CHECK:         vector.create_mask %c8
// CHECK:         vector.maskedload %arg0[{{.*}}], {{.*}} : memref<2x40xf32>
// CHECK-NOT:     vector.maskedstore {{.*}} %arg1
// CHECK:         scf.for %[[I:.*]] =
// CHECK:           scf.for %[[J:.*]] = %{{.*}} to %c288 step %c16
// CHECK:             vector.load %arg2[%[[I]], %[[J]]] : memref<4x300xf32>
// CHECK:             vector.store {{.*}}, %arg3[%[[I]], %[[J]]] : memref<4x300xf32>
// CHECK:           vector.create_mask %c12
// CHECK:           vector.maskedload %arg2[%[[I]], %c288
// CHECK:           vector.maskedstore %arg3[%[[I]], %c288
func.func @copy_partial(%s: memref<2x40xf32>, %r: memref<2x48xf32>, %l: memref<4x300xf32>, %d: memref<4x300xf32>) {
  ukernel.copy %s[affine_map<(i, j) -> (i, j)>] to %r[affine_map<(i, j) -> (i, j)>] sizes [2, 40] lanes 16 along 1
      : memref<2x40xf32> -> memref<2x48xf32>
  ukernel.copy %l[affine_map<(i, j) -> (i, j)>] to %d[affine_map<(i, j) -> (i, j)>] sizes [4, 300] lanes 16 along 1
      : memref<4x300xf32> -> memref<4x300xf32>
  return
}

// -----

// A kernel that prefetches another box's lines spreads them over its k loop:
// groups of k / lines steps, but at least 2 (here 3 groups of 3, then one
// step left). Group g fetches line first + g, as straight-line code: the
// index is clamped to the range's last line (first + 2) and the box's (11;
// line l of the 4 x 40 box is row l / 3, column (l mod 3) * 16), so the FMAs
// of a step carry no prefetch work and no group has a loop of its own.
// CHECK-DAG:   #[[LINE:.*]] = affine_map<(d0, d1) -> (d0 + d1, d0 + 2, 11)>
// CHECK-DAG:   #[[COL:.*]] = affine_map<(d0) -> ((d0 mod 3) * 16)>
// CHECK-DAG:   #[[ROW:.*]] = affine_map<(d0) -> ((d0 floordiv 3) mod 4)>
// CHECK-LABEL: func.func @broadcast_fma_prefetch(
// CHECK:         %[[G:.*]]:2 = scf.for %[[GROUP:.*]] = %{{.*}} to %c3 step %{{.*}} iter_args(
// CHECK-NEXT:      %[[L:.*]] = affine.min #[[LINE]](%arg4, %[[GROUP]])
// CHECK-NEXT:      %[[C:.*]] = affine.apply #[[COL]](%[[L]])
// CHECK-NEXT:      %[[R:.*]] = affine.apply #[[ROW]](%[[L]])
// CHECK-NEXT:      memref.prefetch %arg3[%[[R]], %[[C]]], read, locality<2>, data : memref<4x40xf32>
// CHECK-NOT:       memref.prefetch
// CHECK:           scf.for {{.*}} to %c3{{.*}} iter_args(
// CHECK-COUNT-2:     vector.fma
// CHECK-NOT:         memref.prefetch
// CHECK:             scf.yield
// CHECK:         scf.for %{{.*}} = %c9 to %c10 {{.*}} iter_args({{.*}} = %[[G]]#0, {{.*}} = %[[G]]#1)
// CHECK-NOT:       memref.prefetch
// CHECK-COUNT-2:   vector.fma
// CHECK:         vector.store
func.func @broadcast_fma_prefetch(%a: memref<2x10xf32>, %b: memref<10x16xf32>, %c: memref<2x16xf32>, %p: memref<4x40xf32>, %first: index) {
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [2, 10, 16] lanes 16
      prefetch %p[%first] lines [3] : memref<4x40xf32>
      : memref<2x10xf32>, memref<10x16xf32> -> memref<2x16xf32>
  return
}

// -----

// Two boxes: the period counts both (6 lines over 12 steps: 6 groups of
// 2), and each group fetches its share of each box: one line of the 2 (the
// groups past it repeat the last line, one instruction each), one of the 4.
// CHECK-DAG:   #[[PLINE:.*]] = affine_map<(d0, d1) -> (d0 + d1, d0 + 1, 1)>
// CHECK-DAG:   #[[QLINE:.*]] = affine_map<(d0, d1) -> (d0 + d1, d0 + 3, 15)>
// CHECK-LABEL: func.func @broadcast_fma_two_prefetches(
// CHECK:         scf.for %[[GROUP:.*]] = %{{.*}} to %c6 step %{{.*}} iter_args(
// CHECK:           affine.min #[[PLINE]](%arg5, %[[GROUP]])
// CHECK:           memref.prefetch %arg3[{{.*}}], read, locality<2>, data : memref<2x16xf32>
// CHECK:           affine.min #[[QLINE]](%arg6, %[[GROUP]])
// CHECK:           memref.prefetch %arg4[{{.*}}], read, locality<2>, data : memref<4x64xf32>
// CHECK:           scf.for {{.*}} to %c2{{.*}} iter_args(
// CHECK-NOT:     memref.prefetch
// CHECK:         vector.store
func.func @broadcast_fma_two_prefetches(%a: memref<1x12xf32>, %b: memref<12x16xf32>, %c: memref<1x16xf32>, %p: memref<2x16xf32>, %q: memref<4x64xf32>, %i: index, %j: index) {
  ukernel.broadcast_fma %a[affine_map<(m, k, n) -> (m, k)>] * %b[affine_map<(m, k, n) -> (k, n)>]
      into %c[affine_map<(m, k, n) -> (m, n)>] sizes [1, 12, 16] lanes 16
      prefetch %p, %q[%i, %j] lines [2, 4] : memref<2x16xf32>, memref<4x64xf32>
      : memref<1x12xf32>, memref<12x16xf32> -> memref<1x16xf32>
  return
}

// -----

// A bias per column: x in vectors along n, the bias broadcast per row from
// a scalar load; 70 = 4 whole vectors + a masked partial one per row.
// CHECK-LABEL: func.func @elementwise_add(
// CHECK-COUNT-4: vector.load %arg0{{.*}} : memref<2x70xf32>, vector<16xf32>
// CHECK:         vector.maskedload %arg0
// CHECK:         memref.load %arg1
// CHECK:         vector.broadcast {{.*}} : f32 to vector<16xf32>
// CHECK:         arith.addf {{.*}} : vector<16xf32>
// CHECK:         vector.maskedstore %arg2
// CHECK-NOT:     ukernel.
func.func @elementwise_add(%x: memref<2x70xf32>, %b: memref<2xf32>, %y: memref<2x70xf32>) {
  ukernel.elementwise "add"(%x, %b) maps [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [2, 70] lanes 16 along 1
      : memref<2x70xf32>, memref<2xf32> -> memref<2x70xf32>
  return
}

// -----

// A depthwise tap: out += image * filter, the output row (3 columns of 20
// channels: a whole vector and a masked one each) read and written where
// it lies (a register tile, after promotion), the image's columns a
// strided box (2 apart), the filter's channels shared by every column,
// fused multiply-adds.
// CHECK-LABEL: func.func @elementwise_muladd(
// CHECK:         vector.load %arg0[{{.*}}] : memref<3x20xbf16, strided<[80, 1]>>, vector<16xbf16>
// CHECK:         arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK:         vector.load %arg1[{{.*}}] : memref<20xf32>, vector<16xf32>
// CHECK:         vector.load %arg2[{{.*}}] : memref<3x20xf32>, vector<16xf32>
// CHECK:         math.fma {{.*}} : vector<16xf32>
// CHECK:         vector.store {{.*}}, %arg2[{{.*}}]
// CHECK:         vector.maskedload %arg0[%{{.*}}, %c16]
// CHECK-COUNT-2: math.fma
// CHECK-NOT:     ukernel.
func.func @elementwise_muladd(%x: memref<3x20xbf16, strided<[80, 1]>>, %w: memref<20xf32>, %y: memref<3x20xf32>) {
  ukernel.elementwise "muladd"(%x, %w, %y) maps [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [3, 20] lanes 16 along 1
      : memref<3x20xbf16, strided<[80, 1]>>, memref<20xf32>, memref<3x20xf32> -> memref<3x20xf32>
  return
}

// -----

// A strided input along the vector dim (an NCHW depthwise tap at a
// stride): at stride 2 two contiguous vectors of the same memory (masked to
// its end) and their even lanes; at stride 3 element by element, zeros
// past the box's end.
// CHECK-LABEL: func.func @elementwise_gathered(
// CHECK:         memref.reinterpret_cast {{.*}} to offset: [{{.*}}], sizes: [39], strides: [1]
// CHECK:         vector.maskedload
// CHECK:         vector.maskedload
// CHECK:         vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK:         math.fma
// CHECK-COUNT-16: memref.load %arg3
// CHECK:         vector.from_elements
// CHECK-COUNT-4: memref.load %arg3
// CHECK-NOT:     memref.load %arg3
// CHECK:         vector.from_elements
// CHECK-NOT:     ukernel.
func.func @elementwise_gathered(%x: memref<20xf32, strided<[2]>>, %w: memref<1xf32>, %y: memref<20xf32>, %x3: memref<20xf32, strided<[3]>>) {
  ukernel.elementwise "muladd"(%x, %w, %y) maps [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (0)>, affine_map<(d0) -> (d0)>]
      to %y[affine_map<(d0) -> (d0)>] sizes [20] lanes 16 along 0
      : memref<20xf32, strided<[2]>>, memref<1xf32>, memref<20xf32> -> memref<20xf32>
  ukernel.elementwise "muladd"(%x3, %w, %y) maps [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (0)>, affine_map<(d0) -> (d0)>]
      to %y[affine_map<(d0) -> (d0)>] sizes [20] lanes 16 along 0
      : memref<20xf32, strided<[3]>>, memref<1xf32>, memref<20xf32> -> memref<20xf32>
  return
}

// -----

// exp, tanh and erf become polynomials (erf a rational function): no math
// call is left for libm.
// bf16 inputs widen on load.
// CHECK-LABEL: func.func @elementwise_transcendental(
// CHECK:         arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK-NOT:     math.exp
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.erf
// CHECK:         return
func.func @elementwise_transcendental(%x: memref<4x16xbf16>, %y: memref<4x16xf32>) {
  ukernel.elementwise "gelu"(%x) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<4x16xbf16> -> memref<4x16xf32>
  ukernel.elementwise "gelu_tanh"(%y) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1
      : memref<4x16xf32> -> memref<4x16xf32>
  ukernel.elementwise "sigmoid"(%y) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 0 along 1
      : memref<4x16xf32> -> memref<4x16xf32>
  return
}

// -----

// Row sums: per-lane accumulators along the row (the partial last vector
// masked with zeros), one horizontal add, then out += the total.
// CHECK-LABEL: func.func @reduce_rows(
// CHECK:         vector.load %arg0{{.*}} : memref<2x40xf32>, vector<16xf32>
// CHECK:         vector.maskedload %arg0
// CHECK:         vector.reduction <add>
// CHECK:         memref.load %arg1
// CHECK:         arith.addf
// CHECK:         memref.store {{.*}}, %arg1
func.func @reduce_rows(%x: memref<2x40xf32>, %y: memref<2xf32>) {
  ukernel.reduce "sum"(%x[affine_map<(d0, d1) -> (d0, d1)>]) into %y[affine_map<(d0, d1) -> (d0)>]
      sizes [2, 40] reducing 1 lanes 16 along 1 : memref<2x40xf32> -> memref<2xf32>
  return
}

// -----

// Row minima: the lanes never hold a NaN (x where acc > x, the masked
// tail +inf), so the reduction across them is a plain vminps tree
// (nnan, nsz); the row is NaN if any lane saw one, then the total joins
// out's value NaN-propagating.
// CHECK-LABEL: func.func @reduce_rows_min(
// CHECK:         %[[INF:.*]] = arith.constant dense<0x7F800000> : vector<16xf32>
// CHECK:         arith.cmpf uno
// CHECK:         arith.cmpf ogt
// CHECK:         vector.maskedload %arg0{{.*}}, %[[INF]]
// CHECK:         %[[T:.*]] = vector.reduction <minimumf>, %{{.*}} fastmath<nnan,nsz>
// CHECK:         %[[SAW:.*]] = vector.reduction <or>, %{{.*}} : vector<16xi1> into i1
// CHECK:         %[[R:.*]] = arith.select %[[SAW]], %{{.*}}, %[[T]] : f32
// CHECK:         %[[OLD:.*]] = memref.load %arg1
// CHECK:         %[[NEW:.*]] = arith.minimumf %[[OLD]], %[[R]]
// CHECK:         memref.store %[[NEW]], %arg1
func.func @reduce_rows_min(%x: memref<2x40xf32>, %y: memref<2xf32>) {
  ukernel.reduce "min"(%x[affine_map<(d0, d1) -> (d0, d1)>]) into %y[affine_map<(d0, d1) -> (d0)>]
      sizes [2, 40] reducing 1 lanes 16 along 1 : memref<2x40xf32> -> memref<2xf32>
  return
}

// -----

// Column maxima: out's row accumulates x's rows, looping over 20 rows in
// rounds of four independent accumulators (the first starts at out's row,
// the others at -inf). A step takes x where acc < x (one vmaxps) and ORs in
// the lanes where x is NaN; the accumulators merge pairwise at the end in
// the same way, and lanes that saw a NaN store NaN.
// CHECK-LABEL: func.func @reduce_columns(
// CHECK:         %[[OUT:.*]] = vector.load %arg1{{.*}} : memref<16xf32>, vector<16xf32>
// CHECK:         %[[NEGINF:.*]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK:         %[[NONE:.*]] = arith.constant dense<false> : vector<16xi1>
// CHECK:         %[[R:.*]]:8 = scf.for {{.*}} step %c4 iter_args(%[[ACC:.*]] = %[[OUT]], %[[SEEN:.*]] = %[[NONE]], %{{.*}} = %[[NEGINF]], %{{.*}} = %{{.*}}, %{{.*}} = %[[NEGINF]], %{{.*}} = %{{.*}}, %{{.*}} = %[[NEGINF]], %{{.*}} = %{{.*}})
// CHECK:           %[[X:.*]] = vector.load %arg0
// CHECK:           %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : vector<16xf32>
// CHECK:           %[[GT:.*]] = arith.cmpf olt, %[[ACC]], %[[X]] : vector<16xf32>
// CHECK:           arith.select %[[GT]], %[[X]], %[[ACC]]
// CHECK:           arith.ori %[[SEEN]], %[[NAN]] : vector<16xi1>
// CHECK-COUNT-3:   arith.select
// CHECK-NOT:       arith.maximumf
// CHECK:           scf.yield
// CHECK:         %[[GT1:.*]] = arith.cmpf olt, %[[R]]#0, %[[R]]#2
// CHECK:         %[[A:.*]] = arith.select %[[GT1]], %[[R]]#2, %[[R]]#0
// CHECK:         %[[GT2:.*]] = arith.cmpf olt, %[[R]]#4, %[[R]]#6
// CHECK:         %[[B:.*]] = arith.select %[[GT2]], %[[R]]#6, %[[R]]#4
// CHECK:         %[[GT3:.*]] = arith.cmpf olt, %[[A]], %[[B]]
// CHECK:         %[[M:.*]] = arith.select %[[GT3]], %[[B]], %[[A]]
// CHECK:         %[[QNAN:.*]] = arith.constant dense<0x7FC00000>
// CHECK:         %[[S:.*]] = arith.select %{{.*}}, %[[QNAN]], %[[M]]
// CHECK:         vector.store %[[S]], %arg1
func.func @reduce_columns(%x: memref<20x16xf32>, %y: memref<16xf32>) {
  ukernel.reduce "max"(%x[affine_map<(d0, d1) -> (d1, d0)>]) into %y[affine_map<(d0, d1) -> (d0)>]
      sizes [16, 20] reducing 1 lanes 16 along 0 : memref<20x16xf32> -> memref<16xf32>
  return
}

// -----

// A long row: sums in rounds of four vectors, each into its own accumulator,
// then the partial last vector (masked) into the first, merged pairwise.
// CHECK-LABEL: func.func @reduce_long_rows(
// CHECK:         %[[R:.*]]:4 = scf.for %{{.*}} = %c0 to %c192 step %c64 iter_args(
// CHECK-COUNT-4:   arith.addf {{.*}} : vector<16xf32>
// CHECK:           scf.yield
// CHECK:         vector.maskedload %arg0
// CHECK:         %[[T:.*]] = arith.addf %[[R]]#0
// CHECK:         %[[A:.*]] = arith.addf %[[T]], %[[R]]#1
// CHECK:         %[[B:.*]] = arith.addf %[[R]]#2, %[[R]]#3
// CHECK:         %[[S:.*]] = arith.addf %[[A]], %[[B]]
// CHECK:         vector.reduction <add>, %[[S]]
func.func @reduce_long_rows(%x: memref<2x200xf32>, %y: memref<2xf32>) {
  ukernel.reduce "sum"(%x[affine_map<(d0, d1) -> (d0, d1)>]) into %y[affine_map<(d0, d1) -> (d0)>]
      sizes [2, 200] reducing 1 lanes 16 along 1 : memref<2x200xf32> -> memref<2xf32>
  return
}

// -----

// exp: clamped, k = x log2 e rounded by adding 1.5 * 2^23, the remainder
// in two steps, a polynomial, then p * 2^k: on AVX-512, 16 lanes by
// vscalefps; 8 lanes (AVX2), and 16 without avx512, as two powers of two
// built in the exponent bits (k >> 1 and the rest). No math.exp is left
// for upstream's expansion.
// CHECK-LABEL: func.func @exp_vectors(
// CHECK:          arith.constant dense<0x4B400000> : vector<16xf32>
// CHECK-COUNT-9:  math.fma {{.*}} : vector<16xf32>
// AVX512:         x86vector.avx512.mask.scalef {{.*}} : vector<16xf32>
// PORTABLE:       arith.shrsi {{.*}} : vector<16xi32>
// PORTABLE:       arith.shli {{.*}} : vector<16xi32>
// PORTABLE:       arith.shli {{.*}} : vector<16xi32>
// CHECK-NOT:      x86vector
// CHECK:          arith.shrsi {{.*}} : vector<8xi32>
// CHECK:          arith.shli {{.*}} : vector<8xi32>
// CHECK:          arith.shli {{.*}} : vector<8xi32>
// CHECK-NOT:      math.exp
func.func @exp_vectors(%x: memref<16xf32>, %y: memref<8xf32>) {
  ukernel.elementwise "exp"(%x) maps [affine_map<(d0) -> (d0)>]
      to %x[affine_map<(d0) -> (d0)>] sizes [16] lanes 16 along 0
      : memref<16xf32> -> memref<16xf32>
  ukernel.elementwise "exp"(%y) maps [affine_map<(d0) -> (d0)>]
      to %y[affine_map<(d0) -> (d0)>] sizes [8] lanes 8 along 0
      : memref<8xf32> -> memref<8xf32>
  return
}

// -----

// A binary op's epilogue applies to its result before the store. ReLU is
// 0 where x < 0, else x: one vmaxps that lets NaN (and -0) through, as the
// reference's max(x, 0) does.
// CHECK-LABEL: func.func @epilogue(
// CHECK:         %[[S:.*]] = arith.addf {{.*}} : vector<16xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK:         %[[NEG:.*]] = arith.cmpf olt, %[[S]], %[[ZERO]] : vector<16xf32>
// CHECK:         %[[R:.*]] = arith.select %[[NEG]], %{{.*}}, %[[S]]
// CHECK:         vector.store %[[R]], %arg2
func.func @epilogue(%x: memref<16xf32>, %b: memref<16xf32>, %y: memref<16xf32>) {
  ukernel.elementwise "add" then "relu"(%x, %b) maps [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>]
      to %y[affine_map<(d0) -> (d0)>] sizes [16] lanes 16 along 0
      : memref<16xf32>, memref<16xf32> -> memref<16xf32>
  return
}

// -----

// Streaming stores: where the output's base is element-aligned, each row is
// a masked head up to the first 64-byte line boundary, whole lines stored
// non-temporally at the vector's alignment (the bf16 bias widened, the
// ReLU applied), and a masked tail. Otherwise the ordinary code. One
// sfence before the function returns, after both.
// CHECK-LABEL: func.func @streaming_rows(
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK:         %[[MIS:.*]] = arith.remui %[[BASE]], %c4
// CHECK:         %[[OK:.*]] = arith.cmpi eq, %[[MIS]], %c0
// CHECK:         scf.if %[[OK]] {
// CHECK:           %[[HEAD:.*]] = arith.divui %{{.*}}, %{{.*}} : index
// CHECK:           %[[END:.*]] = arith.addi %[[HEAD]], %{{.*}} : index
// CHECK:           %[[HM:.*]] = arith.subi %[[HEAD]], %{{.*}} : index
// CHECK:           %[[M:.*]] = vector.create_mask %[[HM]] : vector<16xi1>
// CHECK:           vector.maskedload %arg0[{{.*}}], %[[M]]
// CHECK:           vector.maskedload %arg1[{{.*}}], %[[M]]
// CHECK:           vector.maskedstore %arg2[{{.*}}], %[[M]]
// CHECK:           scf.for %[[J:.*]] = %[[HEAD]] to %[[END]] step %c16
// CHECK:             arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK:             arith.select
// CHECK:             vector.store %{{.*}}, %arg2[%{{.*}}, %[[J]]] {alignment = 64 : i64, nontemporal = true}
// CHECK:           vector.create_mask
// CHECK:           vector.maskedstore %arg2
// CHECK:         } else {
// CHECK-NOT:       nontemporal
// CHECK:           vector.store
// CHECK:         }
// CHECK-NEXT:    llvm.call_intrinsic "llvm.x86.sse.sfence"() : () -> ()
// CHECK-NEXT:    return
func.func @streaming_rows(%x: memref<3x37xf32, strided<[40, 1], offset: ?>>, %b: memref<37xbf16>, %y: memref<3x37xf32, strided<[40, 1], offset: ?>>) {
  ukernel.elementwise "add" then "relu"(%x, %b) maps [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [3, 37] lanes 16 along 1 streaming
      : memref<3x37xf32, strided<[40, 1], offset: ?>>, memref<37xbf16> -> memref<3x37xf32, strided<[40, 1], offset: ?>>
  return
}

// -----

// A gathered (strided) input cannot start a row at any element: the op
// keeps ordinary stores.
// CHECK-LABEL: func.func @streaming_strided_input(
// CHECK-NOT:     nontemporal
// CHECK-NOT:     sfence
// CHECK:         return
func.func @streaming_strided_input(%x: memref<4x16xf32, strided<[64, 2]>>, %y: memref<4x16xf32>) {
  ukernel.elementwise "exp"(%x) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 16] lanes 16 along 1 streaming
      : memref<4x16xf32, strided<[64, 2]>> -> memref<4x16xf32>
  return
}

// -----

// With 8 lanes (AVX2) a line is two vectors: the head and the tail are two
// masked vectors each, the body whole lines at 32-byte alignment.
// CHECK-LABEL: func.func @streaming_ymm(
// CHECK:         scf.if
// CHECK-COUNT-2:   vector.maskedstore %arg1
// CHECK:           scf.for {{.*}} step %c8
// CHECK:             vector.store {{.*}} {alignment = 32 : i64, nontemporal = true}
// CHECK-COUNT-2:   vector.maskedstore %arg1
// CHECK:         } else {
func.func @streaming_ymm(%x: memref<2x50xf32>, %y: memref<2x50xf32>) {
  ukernel.elementwise "neg"(%x) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [2, 50] lanes 8 along 1 streaming
      : memref<2x50xf32> -> memref<2x50xf32>
  return
}

// -----

// Rows shorter than two lines would stream nothing but masked stores.
// CHECK-LABEL: func.func @streaming_short_rows(
// CHECK-NOT:     nontemporal
// CHECK-NOT:     sfence
// CHECK:         return
func.func @streaming_short_rows(%x: memref<4x31xf32>, %y: memref<4x31xf32>) {
  ukernel.elementwise "neg"(%x) maps [affine_map<(d0, d1) -> (d0, d1)>]
      to %y[affine_map<(d0, d1) -> (d0, d1)>] sizes [4, 31] lanes 16 along 1 streaming
      : memref<4x31xf32> -> memref<4x31xf32>
  return
}

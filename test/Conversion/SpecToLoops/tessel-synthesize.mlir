// RUN: tessel-opt %s --tessel-synthesize="target=avx512 threads=1" --split-input-file | FileCheck %s
// RUN: tessel-opt %s --tessel-synthesize="target=avx512 threads=2" --split-input-file | FileCheck %s --check-prefix=PAR

// The op becomes a call of a private function holding its program; the
// register tile is a 64-byte aligned stack buffer at the function's entry;
// loops and kernels say which sub-spec they implement. The kernels read A
// and B straight from main memory, and each loop has its body fetch its next
// tile: the m loop A's next 14 rows (56 lines, shared over the k loop's 4
// kernels), the k loop B's next 16 rows (the last iteration names its own).

// CHECK-LABEL: func.func @gemm(
// CHECK:         call @gemm_matmul(%arg0, %arg1, %arg2)
// CHECK-NOT:     spec.matmul
// CHECK:       func.func private @gemm_matmul({{.*}}) attributes {tessel.spec = "Matmul 28x64x32 {{.*}}"}
// CHECK:         %[[TILE:.*]] = memref.alloca() {alignment = 64 : i64, tessel.spec = "copy C in VRF"} : memref<14x32xf32>
// CHECK:         scf.for %[[M:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[NEXTA:.*]] = memref.subview %arg0[%{{.*}}, 0] [14, 64] [1, 1]
// CHECK:           ukernel.fill 0.000000e+00 : f32 to %{{.*}} sizes [1, 14, 32] lanes 16 along 2
// CHECK:           scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:             %[[NEXTB:.*]] = memref.subview %arg1[%{{.*}}, 0] [16, 32] [1, 1]
// CHECK:             %[[A:.*]] = memref.subview %arg0[%[[M]], %[[K]]] [14, 16] [1, 1]
// CHECK:             ukernel.broadcast_fma %[[A]][#{{.*}}] * %{{.*}} into %{{.*}} sizes [14, 16, 32] lanes 16 prefetch %[[NEXTA]], %[[NEXTB]][%{{.*}}, %{{.*}}] lines [14, 32] : memref<14x64xf32, strided<[64, 1], offset: ?>>, memref<16x32xf32, strided<[32, 1], offset: ?>> {tessel.action = "kernel BroadcastFmaTile"
// CHECK:           } {tessel.action = "split k by 16", tessel.spec = "MatmulAccum 14x64x32 (A: 1x14x64 f32 GL [1][2] prefetched,
// CHECK:           ukernel.copy {{.*}} sizes [1, 14, 32] lanes 16 along 2 {tessel.action = "kernel VectorMove"
// CHECK:         } {tessel.action = "tile m by 14", tessel.spec = "Matmul 28x64x32
func.func @gemm(%a: memref<28x64xf32>, %b: memref<64x32xf32>, %c: memref<28x32xf32>) {
  spec.matmul %c = %a * %b : memref<28x64xf32> * memref<64x32xf32> -> memref<28x32xf32>
  return
}

// -----

// Transposed and padded operands are views of their buffers: the transposed
// one is read in its physical order.
// CHECK-LABEL: func.func private @strided_matmul(
// CHECK:         memref.transpose %arg1 (d0, d1) -> (d1, d0) : memref<256x128xf32, strided<[1, 256]>> to memref<128x256xf32, strided<[256, 1]>>
// CHECK:         ukernel.dot_reduce {{.*}} {tessel.action = "kernel DotReduceTile"
// CHECK-NOT:     spec.matmul

// Two cores: a parallel loop whose body is a function of its own, taking the
// operands' buffers and the tile's offsets.
// PAR-LABEL: func.func private @strided_matmul(
// PAR:         %[[BT:.*]] = memref.transpose %arg1
// PAR:         scf.forall (%[[I:.*]]) = (0) to (64) step (32) {
// PAR:           func.call @strided_matmul_body(%arg0, %[[BT]], %arg2, {{.*}}, %[[I]], {{.*}}) : (memref<64x256xf32, strided<[272, 1]>>, memref<128x256xf32, strided<[256, 1]>>, memref<64x128xf32>, index,
// PAR:         } {tessel.action = "parallel tile m by 32"
// PAR:       func.func private @strided_matmul_body({{.*}}) attributes {tessel.action = {{.*}}, tessel.spec = "MatmulAccum 32x256x128
func.func @strided(%a: memref<64x256xf32, strided<[272, 1]>>, %b: memref<256x128xf32, strided<[1, 256]>>, %c: memref<64x128xf32>) {
  spec.matmul %c += %a * %b : memref<64x256xf32, strided<[272, 1]>> * memref<256x128xf32, strided<[1, 256]>> -> memref<64x128xf32>
  return
}

// -----

// A buffer beyond the stack's share lives on the heap: allocated where the
// function starts, freed where it ends, after every region that uses it.
// CHECK-LABEL: func.func private @heap_matmul(
// CHECK:         %[[BUF:.*]] = memref.alloc() {alignment = 64 : i64, tessel.spec = "copy B in L2 as {{.*}}"} : memref<256x256x2xbf16>
// CHECK-NOT:     memref.dealloc
// CHECK:         ukernel.pack_bf16_pairs
// CHECK-NOT:     memref.dealloc
// CHECK:         memref.subview %[[BUF]]
// CHECK-NOT:     memref.dealloc
// CHECK:         ukernel.dot_bf16
// CHECK:         memref.dealloc %[[BUF]]
// CHECK-NEXT:    return
func.func @heap(%a: memref<128x512xbf16>, %b: memref<512x256xbf16>, %c: memref<128x256xf32>) {
  spec.matmul %c = %a * %b : memref<128x512xbf16> * memref<512x256xbf16> -> memref<128x256xf32>
  return
}

// -----

// An operand whose offset is a run-time value (a subview in a loop) crosses
// the call as its base buffer and offset, which any calling convention can
// pass (a bare pointer cannot carry an offset); the program rebuilds the
// view. Operands with static layouts are passed as they are.
// CHECK-LABEL: func.func @in_loop(
// CHECK:         scf.for %[[J:.*]] =
// CHECK:           %[[CJ:.*]] = memref.subview %arg2[0, %[[J]]]
// CHECK:           %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[CJ]]
// CHECK:           call @in_loop_matmul(%arg0, %arg1, %[[BASE]], %[[OFF]]) : (memref<8x16xf32>, memref<16x16xf32>, memref<f32>, index) -> ()
// CHECK:       func.func private @in_loop_matmul(%{{.*}}: memref<8x16xf32>, %{{.*}}: memref<16x16xf32>, %[[B:.*]]: memref<f32>, %[[O:.*]]: index)
// CHECK:         memref.reinterpret_cast %[[B]] to offset: [%[[O]]], sizes: [8, 16], strides: [32, 1] : memref<f32> to memref<8x16xf32, strided<[32, 1], offset: ?>>
func.func @in_loop(%a: memref<8x16xf32>, %b: memref<16x16xf32>, %c: memref<8x32xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  scf.for %j = %c0 to %c32 step %c16 {
    %cj = memref.subview %c[0, %j] [8, 16] [1, 1] : memref<8x32xf32> to memref<8x16xf32, strided<[32, 1], offset: ?>>
    spec.matmul %cj = %a * %b : memref<8x16xf32> * memref<16x16xf32> -> memref<8x16xf32, strided<[32, 1], offset: ?>>
  }
  return
}

// -----

// Rows of 25 columns: the register tile is padded to two whole vectors per
// row (its box spans the padding), so only the memory side of its copies
// and B's last vector are masked by the microkernels.
// CHECK-LABEL: func.func private @odd_width_matmul(
// CHECK:         %[[TILE:.*]] = memref.alloca() {alignment = 64 : i64, tessel.spec = "copy C in VRF"} : memref<7x32xf32>
// CHECK:         %[[F:.*]] = memref.subview %[[TILE]][0, 0] [7, 32] [1, 1]
// CHECK:         ukernel.fill {{.*}} to %[[F]][{{.*}}] sizes [1, 7, 25] lanes 16
// CHECK:         %[[B:.*]] = memref.subview %arg1[0, 0] [13, 25] [1, 1]
// CHECK:         %[[ACC:.*]] = memref.subview %[[TILE]][0, 0] [7, 32] [1, 1]
// CHECK:         ukernel.broadcast_fma %{{.*}} * %[[B]][{{.*}}] into %[[ACC]][{{.*}}] sizes [7, 13, 25] lanes 16
// CHECK:         %[[R:.*]] = memref.subview %[[TILE]][0, 0] [7, 32] [1, 1]
// CHECK:         %[[OUT:.*]] = memref.subview %arg2[0, 0] [7, 25] [1, 1]
// CHECK:         ukernel.copy %[[R]][{{.*}}] to %[[OUT]][{{.*}}] sizes [1, 7, 25] lanes 16 along 2
func.func @odd_width(%a: memref<7x13xf32>, %b: memref<13x25xf32>, %c: memref<7x25xf32>) {
  spec.matmul %c = %a * %b : memref<7x13xf32> * memref<13x25xf32> -> memref<7x25xf32>
  return
}

// -----

// A loop stepping along B's 64-column panels (256 rows of 256 bytes, which
// the hardware does not stream) has its body fetch the next panel: the
// body's kernels each prefetch their share of its 1024 lines (3 m tiles x 2
// kernels: 342 lines an m tile, 171 a kernel). The last iteration names
// itself again. A (42 rows 8 KiB apart) is copied whole first.
// CHECK: #[[NEXTN:.*]] = affine_map<(d0) -> (d0 + 64, 192)>
// CHECK: #[[SHARE:.*]] = affine_map<(d0, d1) -> ((d1 floordiv 14) * 342 + (d0 floordiv 32) * 171)>
// CHECK-LABEL: func.func private @prefetched_panel_matmul(
// CHECK:         ukernel.copy {{.*}} sizes [1, 42, 256] lanes 16 along 2 {tessel.action = "kernel VectorMove"
// CHECK:         scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[NN:.*]] = affine.min #[[NEXTN]](%[[N]])
// CHECK:           %[[NEXTB:.*]] = memref.subview %arg1[0, %[[NN]]] [256, 64] [1, 1]
// CHECK:           scf.for %[[M:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:             scf.for %[[N2:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:               %[[FIRST:.*]] = affine.apply #[[SHARE]](%[[N2]], %[[M]])
// CHECK:               ukernel.broadcast_fma {{.*}} sizes [14, 256, 32] lanes 16 prefetch %[[NEXTB]][%[[FIRST]]] lines [171] : memref<256x64xf32, strided<[256, 1], offset: ?>>
// CHECK:           } {tessel.action = "tile m by 14", tessel.spec = "Matmul 42x256x64 (A: 1x42x256 f32 L2 [1][2], B: 1x256x64 f32 GL [1][2] c1 prefetched,
func.func @prefetched_panel(%a: memref<42x256xf32, strided<[2048, 1]>>, %b: memref<256x256xf32>, %c: memref<42x256xf32>) {
  spec.matmul %c = %a * %b : memref<42x256xf32, strided<[2048, 1]>> * memref<256x256xf32> -> memref<42x256xf32>
  return
}

// -----

// The remainder rows re-read B's panels, which the full tiles before them
// brought into cache: they prefetch nothing (their A rows stay put as n
// moves on; C is written, loaded once into registers).
// CHECK-LABEL: func.func private @remainder_matmul(
// CHECK:         ukernel.broadcast_fma {{.*}} sizes [14, 128, 32] lanes 16 prefetch
// CHECK:         } {tessel.action = "tile m by 14"
// CHECK:         ukernel.broadcast_fma {{.*}} sizes [4, 128, 64] lanes 16 {tessel.action
func.func @remainder(%a: memref<32x128xf32>, %b: memref<128x128xf32>, %c: memref<32x128xf32>) {
  spec.matmul %c = %a * %b : memref<32x128xf32> * memref<128x128xf32> -> memref<32x128xf32>
  return
}

// -----

// A vector-matrix product streams B at memory speed: a kernel's 16 FMA steps
// cannot hide its next 16 x 192 tile, so the kernels prefetch only A's next
// 16 elements (one line), never B.
// CHECK-LABEL: func.func private @streamed_matmul(
// CHECK:         ukernel.broadcast_fma {{.*}} sizes [1, 16, 192] lanes 16 prefetch %{{[^,]*}}[%{{.*}}] lines [1] : memref<16xf32, strided<[1], offset: ?>> {
func.func @streamed(%a: memref<1x512xf32>, %b: memref<512x2048xf32>, %c: memref<1x2048xf32>) {
  spec.matmul %c = %a * %b : memref<1x512xf32> * memref<512x2048xf32> -> memref<1x2048xf32>
  return
}

// -----

// Elementwise ops become ukernel.elementwise on vector rows along the
// output's contiguous dim: a bias per column is read through a map that
// skips the rows (broadcast), and the row's partial last vector is the
// kernel's to mask. The ReLU in place right after the add is its epilogue:
// one pass.
// CHECK:       #[[BIAS:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func private @bias_relu_add(
// CHECK-SAME:    tessel.spec = "Add+Relu (33x70
// CHECK:         ukernel.elementwise "add" then "relu"(%{{.*}}, %{{.*}}) maps [#{{map[0-9]*}}, #[[BIAS]]] to %{{.*}} sizes [33, 70] lanes 16 along 1
// CHECK-NOT:     func.func private @bias_relu_relu(
func.func @bias_relu(%x: memref<33x70xf32>, %bias: memref<1x70xf32>, %y: memref<33x70xf32>) {
  spec.add %y = add(%x, %bias) : memref<33x70xf32>, memref<1x70xf32> -> memref<33x70xf32>
  spec.relu %y = relu(%y) : memref<33x70xf32> -> memref<33x70xf32>
  return
}

// RUN: tessel explain --target=avx512 --threads=2 %s | FileCheck %s
// The chosen program does not depend on how many threads search for it.
// RUN: tessel explain --target=avx512 --search-threads=1 %s > %t.1
// RUN: tessel explain --target=avx512 --search-threads=2 %s > %t.2
// RUN: diff %t.1 %t.2
// --threads is the program's cores, as for compile, run and bench: one core
// gets serial loops only, two split the work.
// RUN: tessel explain --target=avx512 --threads=1 %S/Inputs/gemm128.mlir | FileCheck %s --check-prefix=SERIAL
// RUN: tessel explain --target=avx512 --threads=2 %S/Inputs/gemm128.mlir | FileCheck %s --check-prefix=PARALLEL
// RUN: not tessel explain --target=avx512 %S/Inputs/unsupported.mlir 2>&1 | FileCheck %s --check-prefix=NOSYNTH
// RUN: not tessel explain --target=sse2 %s 2>&1 | FileCheck %s --check-prefix=TARGET

// A register tile of broadcast FMAs, with C held in vector registers.
// CHECK-LABEL: spec.matmul %arg2 = %arg0 * %arg1 : memref<64x64xf32> * memref<64x64xf32> -> memref<64x64xf32>
// CHECK-NEXT: Matmul 64x64x64 (A: 1x64x64 f32 GL [1][2], B: 1x64x64 f32 GL [1][2], C: 1x64x64 f32 GL [1][2])
// CHECK: copy C in VRF
// CHECK: kernel BroadcastFmaTile
func.func @square(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  spec.matmul %c = %a * %b : memref<64x64xf32> * memref<64x64xf32> -> memref<64x64xf32>
  return
}

// Layouts reach the engine: packed [n/16][k][16] and column-major (strided).
// CHECK-LABEL: spec.matmul %arg3 = %arg0 * %arg1
// CHECK-NEXT: Matmul 32x128x64 (A: 1x32x128 f32 GL [1][2], B: 1x128x64 f32 GL [2][1][2:16], C: 1x32x64 f32 GL [1][2])
// CHECK-LABEL: spec.matmul %arg3 += %arg0 * %arg2
// CHECK-NEXT: MatmulAccum 32x128x64 (A: 1x32x128 f32 GL [1][2], B: 1x128x64 f32 GL [2][1], C: 1x32x64 f32 GL [1][2])
// CHECK-LABEL: spec.fill %arg3 = zero
// CHECK-NEXT: FillZero (32x64 f32 GL [0][1])
func.func @layouts(%a: memref<32x128xf32>, %b: memref<128x64xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>,
                   %bt: memref<128x64xf32, strided<[1, 128]>>, %c: memref<32x64xf32>) {
  spec.matmul %c = %a * %b : memref<32x128xf32> * memref<128x64xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>> -> memref<32x64xf32>
  spec.matmul %c += %a * %bt : memref<32x128xf32> * memref<128x64xf32, strided<[1, 128]>> -> memref<32x64xf32>
  spec.fill %c = zero : memref<32x64xf32>
  return
}

// NOSYNTH: unsupported.mlir:5:3: error: synthesis convolves f32 or bf16 inputs into f32; this convolution has 'f16' inputs and a 'f32' output
// NOSYNTH: unsupported.mlir:6:3: error: synthesis does not support the layout of 'rhs', 'memref<128x64xf32, #spec.layout<[d1 floordiv 32, d0, d1 mod 32 floordiv 16, d1 mod 16]>>': it needs a #spec.layout with at most one block, innermost, or static strides where the innermost is 1 and each outer stride is a multiple of the next (padded rows are fine; with dynamic strides, one must be statically 1)
// NOSYNTH: unsupported.mlir:7:3: error: synthesis does not support the layout of 'source', 'memref<32x128xf32, strided<[256, 2]>>'
// SERIAL-NOT: parallel
// PARALLEL: => parallel tile
// TARGET: tessel: unknown target 'sse2'; expected host, avx512, avx2, zen5, sapphire-rapids or a description file (.target)

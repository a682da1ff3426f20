// RUN: tessel-opt %s --tessel-synthesize=target=avx512 --split-input-file --verify-diagnostics
// RUN: not tessel-opt %s --tessel-synthesize=target=sse2 2>&1 | FileCheck %s --check-prefix=TARGET

// TARGET: error: unknown target 'sse2'; expected host, avx512, avx2, zen5, sapphire-rapids or a description file (.target)

func.func @softmax(%x: memref<4x8xbf16>, %y: memref<4x8xbf16>) {
  // expected-error @below {{'spec.softmax' op is synthesized for f32 only; its input is 'bf16'}}
  spec.softmax %y = softmax(%x) along 1 : memref<4x8xbf16> -> memref<4x8xbf16>
  return
}

// -----

// A broadcast keeps its element type; synthesis broadcasts f32.
func.func @broadcast(%x: memref<1x8xbf16>, %y: memref<4x8xbf16>) {
  // expected-error @below {{synthesis broadcasts f32 only; this one is Broadcast (1x8 bf16}}
  spec.broadcast %y = broadcast(%x) along [0] : memref<1x8xbf16> -> memref<4x8xbf16>
  return
}

// -----

// Packed layouts have no strided form to pass across a function boundary.
func.func @packed(%a: memref<4x32xf32>, %b: memref<32x32xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>, %c: memref<4x32xf32>) {
  // expected-error @below {{cannot lower an operand of type 'memref<32x32xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>': synthesized code takes memrefs in main memory with a strided layout}}
  spec.matmul %c = %a * %b : memref<4x32xf32> * memref<32x32xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>> -> memref<4x32xf32>
  return
}

// -----

func.func @tensors(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @below {{'spec.relu' op works on tensors; synthesis takes buffers: bufferize first (--one-shot-bufferize)}}
  %r = spec.relu %y = relu(%x) : tensor<4x8xf32> -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

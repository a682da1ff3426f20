// RUN: tessel-opt %s -split-input-file -verify-diagnostics
// One case per verifier message of the spec dialect.

//===----------------------------------------------------------------------===//
// #spec.memory
//===----------------------------------------------------------------------===//

// expected-error @+1 {{unknown memory level 'l3'; expected gl, l2, l1, vrf or rf}}
func.func private @f(memref<4xf32, #spec.memory<l3>>)

// -----

// expected-error @+1 {{vector registers need a positive vector size}}
func.func private @f(memref<16xf32, #spec.memory<vrf>>)

// -----

// expected-error @+1 {{only vector registers (vrf) have a vector size}}
func.func private @f(memref<16xf32, #spec.memory<l1, vector = 16>>)

// -----

//===----------------------------------------------------------------------===//
// #spec.layout
//===----------------------------------------------------------------------===//

// expected-error @+1 {{expected a logical dimension d0, d1, ...}}
func.func private @f(memref<4x4xf32, #spec.layout<[k0, d1]>>)

// -----

// expected-error @+1 {{the modulus must be a positive multiple of the divisor}}
func.func private @f(memref<64x64xf32, #spec.layout<[d1 floordiv 8, d0, d1 mod 12 floordiv 8, d1 mod 8]>>)

// -----

// expected-error @+1 {{floordiv 8 of d1 must equal the product of its inner blocks (16)}}
func.func private @f(memref<64x64xf32, #spec.layout<[d1 floordiv 8, d0, d1 mod 16]>>)

// -----

// expected-error @+1 {{a layout needs at least one dimension}}
func.func private @f(memref<4xf32, #spec.layout<[]>>)

// -----

// expected-error @+1 {{the outermost entry of d1 must span the rest of it (no 'mod')}}
func.func private @f(memref<64x64xf32, #spec.layout<[d1 mod 16, d0, d1]>>)

// -----

// expected-error @+1 {{an inner block of d0 must have at least 2 elements}}
func.func private @f(memref<64xf32, #spec.layout<[d0, d0 mod 1]>>)

// -----

// expected-error @+1 {{logical dimension d1 is missing from the layout}}
func.func private @f(memref<64x64xf32, #spec.layout<[d0, d2]>>)

// -----

// expected-error @+1 {{has 2 logical dimensions but the memref has rank 3}}
func.func private @f(memref<4x4x4xf32, #spec.layout<[d1, d0]>>)

// -----

// expected-error @+1 {{layout blocks of d1 (16 elements) do not divide its size 40}}
func.func private @f(memref<8x40xf32, #spec.layout<[d1 floordiv 16, d0, d1 mod 16]>>)

// -----

//===----------------------------------------------------------------------===//
// Operands of every spec op
//===----------------------------------------------------------------------===//

func.func @f(%a: memref<?x8xf32>, %c: memref<4x8xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped memref}}
  spec.move %c = %a : memref<?x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf64>, %c: memref<4x8xf64>) {
  // expected-error @+1 {{operand 'source' has element type 'f64'; spec ops support f32, bf16, f16, i8, i16 and i32}}
  spec.move %c = %a : memref<4x8xf64> -> memref<4x8xf64>
  return
}

// -----

func.func @f(%a: memref<4x0xf32>, %c: memref<4x0xf32>) {
  // expected-error @+1 {{operand 'source' has an empty dimension 1}}
  spec.move %c = %a : memref<4x0xf32> -> memref<4x0xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32, strided<[?, ?]>>, %c: memref<4x8xf32>) {
  // expected-error @+1 {{operand 'source' has dynamic strides and no dimension of static stride 1 for vectors to run along}}
  spec.move %c = %a : memref<4x8xf32, strided<[?, ?]>> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32, affine_map<(d0, d1) -> (d0 * 8 + d1 * 2)>>, %c: memref<4x8xf32>) {
  // expected-error @+1 {{operand 'source' has layout affine_map<(d0, d1) -> (d0 * 8 + d1 * 2)>; spec ops take the identity, a strided layout or a #spec.layout}}
  spec.move %c = %a : memref<4x8xf32, affine_map<(d0, d1) -> (d0 * 8 + d1 * 2)>> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32, 3>, %c: memref<4x8xf32>) {
  // expected-error @+1 {{operand 'source' has memory space 3 : i64; spec ops take none (global memory) or a #spec.memory}}
  spec.move %c = %a : memref<4x8xf32, 3> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<5x8xf32>, %c: memref<5x8xf32, #spec.memory<vrf, vector = 16>>) {
  // expected-error @+1 {{operand 'out' holds 40 elements, not a multiple of its vector size 16}}
  spec.move %c = %a : memref<5x8xf32> -> memref<5x8xf32, #spec.memory<vrf, vector = 16>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// spec.matmul
//===----------------------------------------------------------------------===//

func.func @f(%a: memref<8xf32>, %b: memref<8x4xf32>, %c: memref<4xf32>) {
  // expected-error @+1 {{operand 'lhs' has rank 1; expected 2 (M x K) or 3 (batch x M x K)}}
  spec.matmul %c = %a * %b : memref<8xf32> * memref<8x4xf32> -> memref<4xf32>
  return
}

// -----

func.func @f(%a: memref<2x4x8xf32>, %b: memref<8x4xf32>, %c: memref<2x4x4xf32>) {
  // expected-error @+1 {{operand 'rhs' has rank 2; expected 3 (batch x K x N, as 'lhs' is batched)}}
  spec.matmul %c = %a * %b : memref<2x4x8xf32> * memref<8x4xf32> -> memref<2x4x4xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<8x4xf32>, %c: memref<1x4x4xf32>) {
  // expected-error @+1 {{operand 'out' has rank 3; expected 2 (M x N)}}
  spec.matmul %c = %a * %b : memref<4x8xf32> * memref<8x4xf32> -> memref<1x4x4xf32>
  return
}

// -----

func.func @f(%a: memref<2x4x8xf32>, %b: memref<3x8x4xf32>, %c: memref<2x4x4xf32>) {
  // expected-error @+1 {{batch mismatch: dimension 0 of 'lhs' is 2 but dimension 0 of 'rhs' is 3}}
  spec.matmul %c = %a * %b : memref<2x4x8xf32> * memref<3x8x4xf32> -> memref<2x4x4xf32>
  return
}

// -----

func.func @f(%a: memref<2x4x8xf32>, %b: memref<2x8x4xf32>, %c: memref<5x4x4xf32>) {
  // expected-error @+1 {{batch mismatch: dimension 0 of 'lhs' is 2 but dimension 0 of 'out' is 5}}
  spec.matmul %c = %a * %b : memref<2x4x8xf32> * memref<2x8x4xf32> -> memref<5x4x4xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<9x4xf32>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{K mismatch: dimension 1 of 'lhs' is 8 but dimension 0 of 'rhs' is 9}}
  spec.matmul %c = %a * %b : memref<4x8xf32> * memref<9x4xf32> -> memref<4x4xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<8x4xf32>, %c: memref<3x4xf32>) {
  // expected-error @+1 {{M mismatch: dimension 0 of 'lhs' is 4 but dimension 0 of 'out' is 3}}
  spec.matmul %c = %a * %b : memref<4x8xf32> * memref<8x4xf32> -> memref<3x4xf32>
  return
}

// -----

func.func @f(%a: memref<2x4x8xf32>, %b: memref<2x8x4xf32>, %c: memref<2x4x6xf32>) {
  // expected-error @+1 {{N mismatch: dimension 2 of 'rhs' is 4 but dimension 2 of 'out' is 6}}
  spec.matmul %c = %a * %b : memref<2x4x8xf32> * memref<2x8x4xf32> -> memref<2x4x6xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xbf16>, %b: memref<8x4xf32>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{operand 'rhs' has element type 'f32' but 'lhs' has 'bf16'}}
  spec.matmul %c = %a * %b : memref<4x8xbf16> * memref<8x4xf32> -> memref<4x4xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<8x4xf32>, %c: memref<4x4xbf16>) {
  // expected-error @+1 {{operand 'out' has element type 'bf16', which cannot accumulate products of 'f32' (expected 'f32', f32 for bf16/f16, or i32 for i8/i16)}}
  spec.matmul %c = %a * %b : memref<4x8xf32> * memref<8x4xf32> -> memref<4x4xbf16>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<8x4xf32>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{expected '='}}
  spec.matmul %c + %a * %b : memref<4x8xf32> * memref<8x4xf32> -> memref<4x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// spec.conv2d
//===----------------------------------------------------------------------===//

func.func @f(%i: memref<64x58x58xf32>, %f: memref<64x64x3x3xf32>, %o: memref<1x64x56x56xf32>) {
  // expected-error @+1 {{operand 'image' has rank 3; expected 4 (batch x channels x height x width)}}
  spec.conv2d %o = conv(%i, %f) : memref<64x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x56xf32>
  return
}

// -----

func.func @f(%i: memref<1x64x58x58xf32>, %f: memref<64x64x3xf32>, %o: memref<1x64x56x56xf32>) {
  // expected-error @+1 {{operand 'filters' has rank 3; expected 4 (filters x channels x height x width)}}
  spec.conv2d %o = conv(%i, %f) : memref<1x64x58x58xf32>, memref<64x64x3xf32> -> memref<1x64x56x56xf32>
  return
}

// -----

func.func @f(%i: memref<1x64x58x58xf32>, %f: memref<64x64x3x3xf32>, %o: memref<64x56x56xf32>) {
  // expected-error @+1 {{operand 'out' has rank 3; expected 4 (batch x filters x height x width)}}
  spec.conv2d %o = conv(%i, %f) : memref<1x64x58x58xf32>, memref<64x64x3x3xf32> -> memref<64x56x56xf32>
  return
}

// -----

func.func @f(%i: memref<2x64x58x58xf32>, %f: memref<64x64x3x3xf32>, %o: memref<1x64x56x56xf32>) {
  // expected-error @+1 {{batch mismatch: dimension 0 of 'image' is 2 but dimension 0 of 'out' is 1}}
  spec.conv2d %o = conv(%i, %f) : memref<2x64x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x56xf32>
  return
}

// -----

func.func @f(%i: memref<1x32x58x58xf32>, %f: memref<64x64x3x3xf32>, %o: memref<1x64x56x56xf32>) {
  // expected-error @+1 {{channel mismatch: dimension 1 of 'image' is 32 but dimension 1 of 'filters' is 64}}
  spec.conv2d %o = conv(%i, %f) : memref<1x32x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x56xf32>
  return
}

// -----

func.func @f(%i: memref<1x64x58x58xf32>, %f: memref<16x64x3x3xf32>, %o: memref<1x64x56x56xf32>) {
  // expected-error @+1 {{filter count mismatch: dimension 0 of 'filters' is 16 but dimension 1 of 'out' is 64}}
  spec.conv2d %o = conv(%i, %f) : memref<1x64x58x58xf32>, memref<16x64x3x3xf32> -> memref<1x64x56x56xf32>
  return
}

// -----

func.func @f(%i: memref<1x64x2x58xf32>, %f: memref<64x64x3x3xf32>, %o: memref<1x64x1x56xf32>) {
  // expected-error @+1 {{filter height 3 (dimension 2 of 'filters') exceeds the image height 2 (dimension 2 of 'image')}}
  spec.conv2d %o = conv(%i, %f) : memref<1x64x2x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x1x56xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x7x1x4xf32>) {
  // expected-error @+1 {{filter width 3 (dimension 1 of 'filters', dilated to 11) exceeds the image width 9 (dimension 2 of 'image')}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", dilations = array<i64: 1, 5>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x7x1x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x1x1x1xf32>, %f: memref<3x1x1x1xf32>, %o: memref<1x3x1x1xf32>) {
  // expected-error @+1 {{filter height 3 (dimension 0 of 'filters', dilated to over 2^63) exceeds the image height 1 (dimension 1 of 'image')}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", dilations = array<i64: 9223372036854775807, 1>} : memref<1x1x1x1xf32>, memref<3x1x1x1xf32> -> memref<1x3x1x1xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x3x3x4xf32>) {
  // expected-error @+1 {{strides must be two positive integers (height, width)}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", strides = array<i64: 0, 3>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x3x3x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x3x3x4xf32>) {
  // expected-error @+1 {{dilations must be two positive integers (height, width)}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", dilations = array<i64: 1>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x3x3x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x3x3x4xf32>) {
  // expected-error @+1 {{format must be "nchw_fchw", "nhwc_hwcf", "nhwc_fhwc" or, depthwise, "nhwc_hwc" or "nchw_chw"; got "nhwc"}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc"} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x3x3x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x6x4xf32>, %o: memref<1x4x4x4xf32>) {
  // expected-error @+1 {{channel mismatch: dimension 3 of 'image' is 8 but dimension 2 of 'filters' is 6}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", strides = array<i64: 2, 2>} : memref<1x9x9x8xf32>, memref<3x3x6x4xf32> -> memref<1x4x4x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x3x4x4xf32>) {
  // expected-error @+1 {{dimension 1 of 'out' is 3; expected 4 ((image height 9 - window 3) / stride 2 + 1)}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", strides = array<i64: 2, 2>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x3x4x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x64x58x58xf32>, %f: memref<64x64x3x3xf32>, %o: memref<1x64x56x58xf32>) {
  // expected-error @+1 {{dimension 3 of 'out' is 58; expected 56 ((image width 58 - window 3) / stride 1 + 1)}}
  spec.conv2d %o = conv(%i, %f) : memref<1x64x58x58xf32>, memref<64x64x3x3xf32> -> memref<1x64x56x58xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// spec.move and spec.fill
//===----------------------------------------------------------------------===//

func.func @f(%a: memref<4x8xf32>, %c: memref<32xf32>) {
  // expected-error @+1 {{operand 'out' has rank 1 but 'source' has rank 2}}
  spec.move %c = %a : memref<4x8xf32> -> memref<32xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %c: memref<8x4xf32>) {
  // expected-error @+1 {{shape mismatch: dimension 0 of 'out' is 8 but dimension 0 of 'source' is 4}}
  spec.move %c = %a : memref<4x8xf32> -> memref<8x4xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xi32>, %c: memref<4x8xi8>) {
  // expected-error @+1 {{cannot convert 'i32' to 'i8'; moves convert between bf16/f16 and f32 and widen integers}}
  spec.move %c = %a : memref<4x8xi32> -> memref<4x8xi8>
  return
}

// -----

func.func @f(%c: memref<4x8xi32>) {
  // expected-error @+1 {{'neg_inf' needs a floating-point element type; 'out' has 'i32'}}
  spec.fill %c = neg_inf : memref<4x8xi32>
  return
}

// -----

func.func @f(%c: memref<4x8xi32>) {
  // expected-error @+1 {{'inf' needs a floating-point element type; 'out' has 'i32'}}
  spec.fill %c = inf : memref<4x8xi32>
  return
}

// -----

func.func @f(%c: memref<4x8xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'value' [zero, neg_inf, min, inf]}}
  spec.fill %c = one : memref<4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// spec.softmax, spec.reduce and spec.broadcast
//===----------------------------------------------------------------------===//

func.func @f(%x: memref<4x8xi32>, %y: memref<4x8xi32>) {
  // expected-error @+1 {{softmax needs a floating-point element type; 'input' has 'i32'}}
  spec.softmax %y = softmax(%x) along 1 : memref<4x8xi32> -> memref<4x8xi32>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{dimension 2 is out of range for 'input' of rank 2}}
  spec.softmax %y = softmax(%x) along 2 : memref<4x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{attribute 'dim' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  spec.softmax %y = softmax(%x) along -1 : memref<4x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %m: memref<4x8xf32>) {
  // expected-error @+1 {{dimension 1 of 'out' is 8; expected 1 (the reduced dimension)}}
  spec.reduce %m = max(%x) along 1 : memref<4x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %m: memref<3x1xf32>) {
  // expected-error @+1 {{dimension 0 of 'out' is 3; expected 4 (as in 'input')}}
  spec.reduce %m = sum(%x) along 1 : memref<4x8xf32> -> memref<3x1xf32>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %m: memref<4xf32>) {
  // expected-error @+1 {{operand 'out' has rank 1 but 'input' has rank 2}}
  spec.reduce %m = sum(%x) along 1 : memref<4x8xf32> -> memref<4xf32>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %m: memref<4x1xbf16>) {
  // expected-error @+1 {{operand 'out' has element type 'bf16'; expected 'f32' (as 'input') or f32 for bf16/f16 inputs}}
  spec.reduce %m = sum(%x) along 1 : memref<4x8xf32> -> memref<4x1xbf16>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{dimension 0 of 'input' is 4; expected 1 (a broadcast dimension)}}
  spec.broadcast %y = broadcast(%x) along [0] : memref<4x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%x: memref<1x8x1xf32>, %y: memref<4x8x3xf32>) {
  // expected-error @+1 {{dimensions must increase; 0 follows 2}}
  spec.broadcast %y = broadcast(%x) along [2, 0] : memref<1x8x1xf32> -> memref<4x8x3xf32>
  return
}

// -----

func.func @f(%x: memref<1x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{dimension 2 is out of range for 'out' of rank 2}}
  spec.broadcast %y = broadcast(%x) along [0, 2] : memref<1x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{broadcasts along no dimension (use spec.move)}}
  spec.broadcast %y = broadcast(%x) along [] : memref<4x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%x: memref<1x8xf32>, %y: memref<4x8xf32>) {
  // expected-error @+1 {{dimension -1 is negative}}
  spec.broadcast %y = broadcast(%x) along [-1] : memref<1x8xf32> -> memref<4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

func.func @f(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<4x9xf32>) {
  // expected-error @+1 {{dimension 1 of 'lhs' is 8; expected 9 (as in 'out') or 1 (broadcast)}}
  spec.add %c = add(%a, %b) : memref<4x8xf32>, memref<4x8xf32> -> memref<4x9xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<8xf32>) {
  // expected-error @+1 {{operand 'rhs' has rank 1 but 'out' has rank 2}}
  spec.mul %a = mul(%a, %b) : memref<4x8xf32>, memref<8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<4x2xf32>) {
  // expected-error @+1 {{dimension 1 of 'rhs' is 2; expected 8 (as in 'out') or 1 (broadcast)}}
  spec.div %a = div(%a, %b) : memref<4x8xf32>, memref<4x2xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<4x8xf16>) {
  // expected-error @+1 {{operand 'rhs' has element type 'f16' but 'lhs' has 'f32'}}
  spec.max %a = max(%a, %b) : memref<4x8xf32>, memref<4x8xf16> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<4x8xi32>) {
  // expected-error @+1 {{operand 'out' has element type 'i32'; expected 'f32' (as 'input') or f32 for bf16/f16 inputs}}
  spec.relu %b = relu(%a) : memref<4x8xf32> -> memref<4x8xi32>
  return
}

// -----

func.func @f(%a: memref<4x8xi32>, %b: memref<4x8xi32>) {
  // expected-error @+1 {{needs a floating-point element type; 'input' has 'i32'}}
  spec.exp %b = exp(%a) : memref<4x8xi32> -> memref<4x8xi32>
  return
}

// -----

// An epilogue is a floating-point function.
func.func @f(%a: memref<4x8xi32>, %b: memref<4x8xi32>) {
  // expected-error @+1 {{needs a floating-point element type; 'lhs' has 'i32'}}
  spec.add %b = add(%a, %a) then relu : memref<4x8xi32>, memref<4x8xi32> -> memref<4x8xi32>
  return
}

// -----

func.func @f(%a: memref<4x8xbf16>, %b: memref<4x8xbf16>) {
  // expected-error @+1 {{takes an epilogue ('then') into f32 only; 'out' has 'bf16'}}
  spec.add %b = add(%a, %a) then exp : memref<4x8xbf16>, memref<4x8xbf16> -> memref<4x8xbf16>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<4x8xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'epilogue' [relu, neg, abs, exp, tanh, sigmoid, gelu, gelu_tanh, reciprocal]}}
  spec.add %b = add(%a, %a) then max : memref<4x8xf32>, memref<4x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<4x8xbf16>) {
  // expected-error @+1 {{operand 'out' has element type 'bf16'; expected 'f32' (as 'input') or f32 for bf16/f16 inputs}}
  spec.gelu_tanh %b = gelu_tanh(%a) : memref<4x8xf32> -> memref<4x8xbf16>
  return
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

// -----

func.func @f(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) {
  // expected-error @+1 {{'spec.relu' op expected type of operand #1 ('tensor<4x8xf32>') to match type of corresponding result ('tensor<4x9xf32>')}}
  %r = "spec.relu"(%a, %b) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x9xf32>
  return
}

// -----

func.func @f(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x17xf32>) {
  // expected-error @+1 {{N mismatch: dimension 1 of 'rhs' is 16 but dimension 1 of 'out' is 17}}
  %r = spec.matmul %c = %a * %b : tensor<4x8xf32> * tensor<8x16xf32> -> tensor<4x17xf32>
  return
}

// -----

func.func @f(%a: tensor<4x8xf64>, %b: tensor<4x8xf64>) {
  // expected-error @+1 {{operand 'input' has element type 'f64'; spec ops support f32, bf16, f16, i8, i16 and i32}}
  %r = spec.exp %b = exp(%a) : tensor<4x8xf64> -> tensor<4x8xf64>
  return
}

// -----

#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
func.func @f(%a: tensor<4x8xf32, #CSR>, %b: tensor<4x8xf32>) {
  // expected-error @+1 {{operand 'input' has encoding}}
  %r = spec.exp %b = exp(%a) : tensor<4x8xf32, #CSR> -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x9x9x4xf32>) {
  // expected-error @+1 {{padding must be two (height, width) or four (top, left, bottom, right) non-negative integers}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", padding = array<i64: 1, 1, 1>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x9x9x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x9x9x4xf32>) {
  // expected-error @+1 {{padding must be two (height, width) or four (top, left, bottom, right) non-negative integers}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", padding = array<i64: 1, -1>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x9x9x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x2x2x1xf32>, %f: memref<5x5x1x1xf32>, %o: memref<1x1x1x1xf32>) {
  // expected-error @+1 {{filter height 5 (dimension 0 of 'filters') exceeds the image height 2 padded to 4 (dimension 1 of 'image')}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", padding = array<i64: 1, 1>} : memref<1x2x2x1xf32>, memref<5x5x1x1xf32> -> memref<1x1x1x1xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x9x9x4xf32>) {
  // expected-error @+1 {{dimension 2 of 'out' is 9; expected 8 ((image width 9 padded to 10 - window 3) / stride 1 + 1)}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", padding = array<i64: 1, 0, 1, 1>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x9x9x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x4xf32>, %o: memref<1x9x9x4xf32>) {
  // expected-error @+1 {{padded image height exceeds 2^63}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwcf", padding = array<i64: 9223372036854775807, 1>} : memref<1x9x9x8xf32>, memref<3x3x8x4xf32> -> memref<1x9x9x4xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x8x8xf32>, %o: memref<1x7x7x8xf32>) {
  // expected-error @+1 {{operand 'filters' has rank 4; expected 3 (height x width x channels)}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwc"} : memref<1x9x9x8xf32>, memref<3x3x8x8xf32> -> memref<1x7x7x8xf32>
  return
}

// -----

func.func @f(%i: memref<1x9x9x8xf32>, %f: memref<3x3x6xf32>, %o: memref<1x7x7x8xf32>) {
  // expected-error @+1 {{channel mismatch: dimension 3 of 'image' is 8 but dimension 2 of 'filters' is 6}}
  spec.conv2d %o = conv(%i, %f) {format = "nhwc_hwc"} : memref<1x9x9x8xf32>, memref<3x3x6xf32> -> memref<1x7x7x8xf32>
  return
}

// -----

func.func @f(%i: memref<1x8x9x9xf32>, %f: memref<8x3x3xf32>, %o: memref<1x4x7x7xf32>) {
  // expected-error @+1 {{channel mismatch: dimension 0 of 'filters' is 8 but dimension 1 of 'out' is 4}}
  spec.conv2d %o = conv(%i, %f) {format = "nchw_chw"} : memref<1x8x9x9xf32>, memref<8x3x3xf32> -> memref<1x4x7x7xf32>
  return
}

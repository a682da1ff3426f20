// RUN: tessel-opt %s -split-input-file -verify-diagnostics
// Operand views a spec op cannot compute on: elements before the buffer,
// spans that overflow or exceed the address space, and outputs that share
// memory with inputs (other than elementwise ops and moves exactly in place)
// or may (buffers chosen at run time), and outputs in constant globals.

func.func @negative_offset(%a: memref<4x4xf32, strided<[4, 1], offset: -8>>, %b: memref<4x4xf32>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{operand 'lhs' has offset -8; its elements would lie before the start of its buffer}}
  spec.matmul %c = %a * %b : memref<4x4xf32, strided<[4, 1], offset: -8>> * memref<4x4xf32> -> memref<4x4xf32>
  return
}

// -----

func.func @huge_offset(%a: memref<4x4xf32, strided<[4, 1], offset: 9223372036854775807>>, %b: memref<4x4xf32>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{operand 'lhs' spans more than 2^47 bytes}}
  spec.matmul %c = %a * %b : memref<4x4xf32, strided<[4, 1], offset: 9223372036854775807>> * memref<4x4xf32> -> memref<4x4xf32>
  return
}

// -----

func.func @huge_stride(%a: memref<4x4xf32>, %b: memref<4x4xf32, strided<[9223372036854775807, 1]>>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{operand 'rhs' spans more than 2^47 bytes}}
  spec.matmul %c = %a * %b : memref<4x4xf32> * memref<4x4xf32, strided<[9223372036854775807, 1]>> -> memref<4x4xf32>
  return
}

// -----

func.func @huge_extent(%a: memref<9223372036854775807xf32>, %c: memref<9223372036854775807xf32>) {
  // expected-error @+1 {{operand 'input' spans more than 2^47 bytes}}
  spec.relu %c = relu(%a) : memref<9223372036854775807xf32> -> memref<9223372036854775807xf32>
  return
}

// -----

// Extents whose product overflows int64 although each is small enough.
func.func @overflowing_product(%a: memref<4294967296x4294967296xf32>, %c: memref<4294967296x4294967296xf32>) {
  // expected-error @+1 {{operand 'input' spans more than 2^47 bytes}}
  spec.relu %c = relu(%a) : memref<4294967296x4294967296xf32> -> memref<4294967296x4294967296xf32>
  return
}

// -----

func.func @just_too_large(%a: memref<35184372088833xf32>, %c: memref<35184372088833xf32>) {
  // expected-error @+1 {{operand 'input' spans more than 2^47 bytes}}
  spec.relu %c = relu(%a) : memref<35184372088833xf32> -> memref<35184372088833xf32>
  return
}

// -----

func.func @negative_stride(%a: memref<4x4xf32, strided<[-4, 1], offset: 12>>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{operand 'source' has stride -4 in dimension 0; Tessel takes non-negative strides}}
  spec.move %c = %a : memref<4x4xf32, strided<[-4, 1], offset: 12>> -> memref<4x4xf32>
  return
}

// -----

func.func @matmul_in_place(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  // expected-error @+1 {{operand 'out' is operand 'lhs'; spec.matmul cannot compute in place: give the output its own buffer}}
  spec.matmul %a = %a * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

func.func @matmul_into_rhs(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  // expected-error @+1 {{operand 'out' is operand 'rhs'}}
  spec.matmul %b += %a * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

// Rows 4..11 of a buffer overlap rows 0..7.
func.func @matmul_overlapping_rows(%a: memref<16x8xf32>, %b: memref<8x8xf32>) {
  %x = memref.subview %a[0, 0] [8, 8] [1, 1] : memref<16x8xf32> to memref<8x8xf32, strided<[8, 1]>>
  %y = memref.subview %a[4, 0] [8, 8] [1, 1] : memref<16x8xf32> to memref<8x8xf32, strided<[8, 1], offset: 32>>
  // expected-error @+1 {{operand 'out' overlaps operand 'lhs'}}
  spec.matmul %y = %x * %b : memref<8x8xf32, strided<[8, 1]>> * memref<8x8xf32> -> memref<8x8xf32, strided<[8, 1], offset: 32>>
  return
}

// -----

// Columns 4..11 of a buffer interleave with columns 0..7.
func.func @matmul_overlapping_columns(%a: memref<8x16xf32>, %b: memref<8x8xf32>) {
  %x = memref.subview %a[0, 0] [8, 8] [1, 1] : memref<8x16xf32> to memref<8x8xf32, strided<[16, 1]>>
  %z = memref.subview %a[0, 4] [8, 8] [1, 1] : memref<8x16xf32> to memref<8x8xf32, strided<[16, 1], offset: 4>>
  // expected-error @+1 {{operand 'out' overlaps operand 'lhs'}}
  spec.matmul %z = %x * %b : memref<8x8xf32, strided<[16, 1]>> * memref<8x8xf32> -> memref<8x8xf32, strided<[16, 1], offset: 4>>
  return
}

// -----

// A transpose of the output's own buffer: the same elements in another order.
func.func @move_transposed_onto_itself(%a: memref<8x8xf32>) {
  %t = memref.transpose %a (i, j) -> (j, i) : memref<8x8xf32> to memref<8x8xf32, strided<[1, 8]>>
  // expected-error @+1 {{operand 'out' overlaps operand 'source'; spec.move cannot compute into a partly overlapping output}}
  spec.move %a = %t : memref<8x8xf32, strided<[1, 8]>> -> memref<8x8xf32>
  return
}

// -----

func.func @reduce_in_place(%a: memref<8x1xf32>) {
  // expected-error @+1 {{operand 'out' is operand 'input'; spec.reduce cannot compute in place}}
  spec.reduce %a = sum(%a) along 1 : memref<8x1xf32> -> memref<8x1xf32>
  return
}

// -----

// Shifted by one element: the elementwise op would read what it wrote.
func.func @add_shifted(%a: memref<16xf32>, %b: memref<8xf32>) {
  %x = memref.subview %a[0] [8] [1] : memref<16xf32> to memref<8xf32, strided<[1]>>
  %y = memref.subview %a[1] [8] [1] : memref<16xf32> to memref<8xf32, strided<[1], offset: 1>>
  // expected-error @+1 {{operand 'out' overlaps operand 'lhs'; spec.add cannot compute into a partly overlapping output}}
  spec.add %y = add(%x, %b) : memref<8xf32, strided<[1]>>, memref<8xf32> -> memref<8xf32, strided<[1], offset: 1>>
  return
}

// -----

// out[i][j] and out[i+1][j-1] are one element.
func.func @self_overlapping_output(%a: memref<7x3xf32>, %c: memref<7x3xf32, strided<[3, 3]>>) {
  // expected-error @+1 {{operand 'out' has elements that share memory (strides that overlap in 'memref<7x3xf32, strided<[3, 3]>>'); an output needs an element per index}}
  spec.exp %c = exp(%a) : memref<7x3xf32> -> memref<7x3xf32, strided<[3, 3]>>
  return
}

// -----

func.func @zero_stride_output(%a: memref<4x4xf32>, %c: memref<4x4xf32, strided<[0, 1]>>) {
  // expected-error @+1 {{operand 'out' has elements that share memory}}
  spec.move %c = %a : memref<4x4xf32> -> memref<4x4xf32, strided<[0, 1]>>
  return
}

// -----

// A buffer chosen at run time may be either arm: here the output itself.
func.func @select_may_be_the_output(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %p: i1) {
  %s = arith.select %p, %a, %b : memref<8x8xf32>
  // expected-error @+1 {{operand 'out' may overlap operand 'lhs' (their buffers, or their layouts in one buffer, cannot be told apart statically); spec.matmul cannot compute in place}}
  spec.matmul %a = %s * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

func.func @if_may_be_the_output(%a: memref<16xf32>, %b: memref<16xf32>, %p: i1) {
  %v = scf.if %p -> memref<16xf32> {
    scf.yield %b : memref<16xf32>
  } else {
    %t = memref.subview %a[0] [16] [1] : memref<16xf32> to memref<16xf32, strided<[1]>>
    %c = memref.cast %t : memref<16xf32, strided<[1]>> to memref<16xf32>
    scf.yield %c : memref<16xf32>
  }
  // expected-error @+1 {{operand 'out' may overlap operand 'input'}}
  spec.exp %a = exp(%v) : memref<16xf32> -> memref<16xf32>
  return
}

// -----

// Both arms are buffers other than the output: accepted.
func.func @select_of_other_buffers(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>, %p: i1) {
  %t = memref.alloc() : memref<8x8xf32>
  %s = arith.select %p, %a, %t : memref<8x8xf32>
  spec.matmul %c = %s * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

// A buffer from elsewhere (a call) may be any buffer.
func.func private @some_buffer() -> memref<8x8xf32>
func.func @call_result(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  %s = func.call @some_buffer() : () -> memref<8x8xf32>
  // expected-error @+1 {{operand 'out' may overlap operand 'rhs' ('rhs' is a view of a result of 'func.call', which may be any buffer); spec.matmul cannot compute in place}}
  spec.matmul %a = %b * %s : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

// One global fetched twice is one buffer.
memref.global "private" @g : memref<8x8xf32> = uninitialized
func.func @global_twice(%b: memref<8x8xf32>) {
  %x = memref.get_global @g : memref<8x8xf32>
  %y = memref.get_global @g : memref<8x8xf32>
  // expected-error @+1 {{operand 'out' is operand 'lhs'; spec.matmul cannot compute in place}}
  spec.matmul %y = %x * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

// Constant globals live in read-only memory.
memref.global "private" constant @c : memref<4x4xf32> = dense<1.0>
func.func @fill_constant_global() {
  %g = memref.get_global @c : memref<4x4xf32>
  %v = memref.subview %g[1, 0] [2, 4] [1, 1] : memref<4x4xf32> to memref<2x4xf32, strided<[4, 1], offset: 4>>
  // expected-error @+1 {{operand 'out' is a view of constant global @c, which cannot be written}}
  spec.fill %v = zero : memref<2x4xf32, strided<[4, 1], offset: 4>>
  return
}

// -----

memref.global "private" constant @c : memref<4x4xf32> = dense<1.0>
func.func @move_into_constant_global(%a: memref<4x4xf32>) {
  %g = memref.get_global @c : memref<4x4xf32>
  // expected-error @+1 {{operand 'out' is a view of constant global @c, which cannot be written}}
  spec.move %g = %a : memref<4x4xf32> -> memref<4x4xf32>
  return
}

// -----

// Reading a constant global is fine.
memref.global "private" constant @c : memref<4x4xf32> = dense<1.0>
func.func @read_constant_global(%a: memref<4x4xf32>) {
  %g = memref.get_global @c : memref<4x4xf32>
  spec.move %a = %g : memref<4x4xf32> -> memref<4x4xf32>
  return
}

// -----

// Two globals are two buffers.
memref.global "private" @g1 : memref<8x8xf32> = uninitialized
memref.global "private" @g2 : memref<8x8xf32> = uninitialized
func.func @two_globals() {
  %x = memref.get_global @g1 : memref<8x8xf32>
  %y = memref.get_global @g2 : memref<8x8xf32>
  %b = memref.alloc() : memref<8x8xf32>
  spec.matmul %y = %x * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

// A caller may pass a writable global as an argument.
memref.global "private" @g : memref<8x8xf32> = uninitialized
func.func @global_and_argument(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  %x = memref.get_global @g : memref<8x8xf32>
  // expected-error @+1 {{operand 'out' may overlap operand 'lhs'}}
  spec.matmul %a = %x * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

// A buffer a loop carries is its initial or its yielded value: here
// either is another buffer than the output.
func.func @carried_other_buffer(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.alloc() : memref<8x8xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%x = %a) -> memref<8x8xf32> {
    spec.matmul %c = %x * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
    scf.yield %t : memref<8x8xf32>
  }
  spec.move %c = %r : memref<8x8xf32> -> memref<8x8xf32>
  return
}

// -----

func.func @carried_output(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%x = %b) -> memref<8x8xf32> {
    // expected-error @+1 {{operand 'out' may overlap operand 'lhs'}}
    spec.matmul %a = %x * %b : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
    scf.yield %a : memref<8x8xf32>
  }
  return
}

// -----

// A block argument of a later block may be any buffer a branch passes.
func.func @branch_argument(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  cf.br ^bb1(%a : memref<8x8xf32>)
^bb1(%m: memref<8x8xf32>):
  // expected-error @+1 {{operand 'out' may overlap operand 'lhs' ('lhs' is a view of a block argument of 'func.func', which may be any buffer)}}
  spec.matmul %b = %m * %a : memref<8x8xf32> * memref<8x8xf32> -> memref<8x8xf32>
  return
}

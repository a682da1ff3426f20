// Malformed input of any kind gets a located diagnostic, never a crash.
// RUN: tessel-opt %s -split-input-file -verify-diagnostics
// The exit status is exactly 1.
// RUN: sh -c 'tessel-opt %S/../../Plugin/Inputs/invalid-matmul.mlir > /dev/null 2>&1; test $? -eq 1'
// RUN: sh -c 'printf "\377\376garbage\0" | tessel-opt > /dev/null 2>&1; test $? -eq 1'

func.func @f(%a: memref<4x8xf32>) {
  // expected-error @+1 {{custom op 'spec.transpose' is unknown}}
  spec.transpose %a : memref<4x8xf32>
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %c: memref<4x8xf32>) {
  // expected-error @+1 {{use of undeclared SSA value name}}
  spec.move %c = %missing : memref<4x8xf32> -> memref<4x8xf32>
  return
}

// -----

func.func @f(%t: tensor<4x8xf32>, %c: memref<4x8xf32>) {
  // expected-error @+1 {{'spec.move' op operand 'source' is a tensor but 'out' is a memref; a spec op works on buffers or on tensors, not both}}
  "spec.move"(%t, %c) : (tensor<4x8xf32>, memref<4x8xf32>) -> ()
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %c: memref<4x8xf32>) {
  // expected-error @+1 {{'spec.move' op expected 2 operands, but found 1}}
  "spec.move"(%a) : (memref<4x8xf32>) -> ()
  return
}

// -----

func.func @f(%a: memref<4x8xf32>, %b: memref<8x4xf32>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{expected ':'}}
  spec.matmul %c = %a * %b
}

// -----

// expected-error @+1 {{unbalanced '<' character in pretty dialect name}}
func.func private @f(memref<4xf32, #spec.memory<l1)

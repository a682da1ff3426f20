// The transform ops refuse what they cannot do with a located diagnostic:
// import of a non-linalg op or of a form Tessel leaves to upstream, and
// synthesis of an op that is not a spec op.
// RUN: tessel-opt %s --transform-interpreter --split-input-file --verify-diagnostics

func.func @f(%x: memref<4x8xbf16>, %y: memref<4x8xbf16>) {
  // expected-note @below {{this op}}
  linalg.softmax dimension(1) ins(%x : memref<4x8xbf16>) outs(%y : memref<4x8xbf16>)
  return
}
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %s = transform.structured.match ops{["linalg.softmax"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{cannot import this op: synthesis computes f32 softmax}}
    %spec = transform.tessel.import %s : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

func.func @g(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  // expected-note @below {{this op}}
  linalg.softmax dimension(1) ins(%x : memref<4x8xf32>) outs(%y : memref<4x8xf32>)
  return
}
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %s = transform.structured.match ops{["linalg.softmax"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{expects spec ops (import linalg ops first with transform.tessel.import), got 'linalg.softmax'}}
    %c = transform.tessel.synthesize %s : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

func.func @h(%x: memref<4x8xf32>) {
  // expected-note @below {{this op}}
  memref.copy %x, %x : memref<4x8xf32> to memref<4x8xf32>
  return
}
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %s = transform.structured.match ops{["memref.copy"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{expects linalg ops, got 'memref.copy'}}
    %spec = transform.tessel.import %s : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

func.func @k(%a: memref<4x4xf32>, %b: memref<4x4xf32>, %c: memref<4x4xf32>) {
  spec.matmul %c = %a * %b : memref<4x4xf32> * memref<4x4xf32> -> memref<4x4xf32>
  return
}
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %s = transform.structured.match ops{["spec.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{unknown target 'sparc'; expected host, avx512, avx2, zen5, sapphire-rapids or a description file (.target)}}
    %c = transform.tessel.synthesize %s {target = "sparc"} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

func.func @f(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @below {{'spec.softmax' op works on tensors; synthesis takes buffers: bufferize first (--one-shot-bufferize)}}
  %r = spec.softmax %y = softmax(%x) along 1 : tensor<4x8xf32> -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %s = transform.structured.match ops{["spec.softmax"]} in %root : (!transform.any_op) -> !transform.any_op
    %p = transform.tessel.synthesize %s : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

// Thread counts are 0 (all cores) to 1024; a negative one once hung the
// search's thread pool.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %s = transform.structured.match ops{["spec.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{attribute 'search_threads' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative whose maximum value is 1024}}
    %c = transform.tessel.synthesize %s {search_threads = -5} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

// -----

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %s = transform.structured.match ops{["spec.matmul"]} in %root : (!transform.any_op) -> !transform.any_op
    // expected-error @below {{attribute 'search_budget' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
    %c = transform.tessel.synthesize %s {search_budget = -1} : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}

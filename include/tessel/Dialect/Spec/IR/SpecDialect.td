//===- SpecDialect.td - The spec dialect -------------------*- tablegen -*-===//
//
// The spec dialect states *what* a tensor computation is, on buffers, in
// destination-passing style. Synthesis decides *how* to compute it.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECDIALECT_TD
#define TESSEL_DIALECT_SPEC_IR_SPECDIALECT_TD

include "mlir/IR/OpBase.td"

def Spec_Dialect : Dialect {
  let name = "spec";
  let cppNamespace = "::tessel::spec";
  let summary = "Specifications of tensor computations on buffers";
  let description = [{
    A `spec` op states what a tensor computation is — a matrix multiplication,
    a convolution, a copy or relayout, a fill, a softmax, a reduction, a
    broadcast, an elementwise operation — on statically shaped memrefs, in
    destination-passing style: inputs are read, the output operand is
    written. It says nothing about how to compute it: `--tessel-synthesize`
    searches for the cheapest implementation.

    Before bufferization, the same ops work on statically shaped tensors and
    return the output's new value (`%r = spec.relu %init = relu(%x) :
    tensor<4x8xf32> -> tensor<4x8xf32>`); one-shot bufferization turns them
    into ops on buffers, writing the output's buffer in place. Elementwise
    ops and moves may overwrite an input's buffer. A buffer whose innermost
    stride is only known at run time (a tensor function argument) is cast to
    unit stride when it is 1 and copied to a contiguous buffer otherwise.

    What a spec needs beyond a memref's shape and element type lives in the
    memref type itself:

    * the **layout** is the memref's layout: the identity (row-major), any
      builtin strided layout, or a `#spec.layout` for permuted and packed
      (blocked) layouts such as `[n/16][k][16]`;
    * the **memory level** is the memref's memory space: none (global
      memory) or a `#spec.memory`.

    Output operands are written; an op marked `+=` (accumulating)
    reads its output too and combines into it (matmul and conv add, a `max`
    reduction takes the maximum, a `sum` reduction adds).
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
  private:
    // Defined beside the attribute storage classes it instantiates.
    void registerAttributes();
  }];
}

#endif // TESSEL_DIALECT_SPEC_IR_SPECDIALECT_TD

//===- Passes.td - Tessel's conversion passes --------------*- tablegen -*-===//

#ifndef TESSEL_CONVERSION_PASSES_TD
#define TESSEL_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def TesselImportLinalg : Pass<"tessel-import-linalg"> {
  let summary = "Turn linalg contractions and fills on memrefs into spec ops";
  let description = [{
    Rewrites, on statically shaped memrefs:

    * `linalg.matmul` and `linalg.batch_matmul` into an accumulating
      `spec.matmul` (`+=`: linalg contractions add into their output);
      operands read transposed through `indexing_maps` (what
      `matmul_transpose_a/b` used to be) become `memref.transpose` views,
      whose strided layouts the spec op takes as they are;
    * `linalg.matvec` and `linalg.vecmat` into a `spec.matmul` with N = 1 or
      M = 1, viewing vectors as `K x 1` / `1 x K` matrices through
      `memref.expand_shape`;
    * `linalg.fill` of a constant zero, negative infinity or the element
      type's lowest value into `spec.fill`.

    Everything else is left alone: ops on tensors (bufferize first),
    dynamic shapes or strides, element types or mixed precisions the spec
    dialect does not support, unsigned casts, other fill values.
  }];
  let dependentDialects = [
    "::tessel::spec::SpecDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

#endif // TESSEL_CONVERSION_PASSES_TD

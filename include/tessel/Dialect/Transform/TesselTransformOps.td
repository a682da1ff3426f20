//===- TesselTransformOps.td - Tessel in the transform dialect -*- tablegen -*-===//
//
// A transform dialect extension: a schedule written in the transform dialect
// hands the ops it matched to Tessel (import linalg ops as spec ops, then
// synthesize them) and keeps scheduling the rest.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_TRANSFORM_TESSELTRANSFORMOPS_TD
#define TESSEL_DIALECT_TRANSFORM_TESSELTRANSFORMOPS_TD

include "mlir/Dialect/Transform/IR/TransformDialect.td"
include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def TesselImportOp : TransformDialectOp<"tessel.import",
    [FunctionalStyleTransformOpTrait, MemoryEffectsOpInterface,
     DeclareOpInterfaceMethods<TransformOpInterface>]> {
  let summary = "Turn matched linalg ops into spec ops";
  let description = [{
    Rewrites each linalg op the handle points to into spec ops, as
    `--tessel-import-linalg` does (contractions, fills, elementwise ops,
    reductions, softmax, convolutions on static memrefs). A convolution
    whose padded image was copied into a zero-filled buffer reads the image
    itself with the padding folded in, and the buffer (its allocation, fill,
    copy and dealloc) is then erased. The result points to the spec ops
    made (not the erased ones). An op that cannot be imported is a
    silenceable failure naming the reason; the ops before it stay imported.

    ```mlir
    %spec = transform.tessel.import %matmul : (!transform.any_op) -> !transform.any_op
    ```

    Consumes its operand handle, produces a new one, modifies the payload.
  }];
  let arguments = (ins TransformHandleTypeInterface:$ops);
  let results = (outs TransformHandleTypeInterface:$result);
  let assemblyFormat = "$ops attr-dict `:` functional-type(operands, results)";
}

// 0 (the default: all cores) up to synth::kMaxThreads.
def ThreadCount : ConfinedAttr<I64Attr, [IntNonNegative, IntMaxValue<1024>]>;

def TesselSynthesizeOp : TransformDialectOp<"tessel.synthesize",
    [FunctionalStyleTransformOpTrait, MemoryEffectsOpInterface,
     DeclareOpInterfaceMethods<TransformOpInterface>]> {
  let summary = "Replace matched spec ops by their synthesized programs";
  let description = [{
    Synthesizes each spec op the handle points to, as `--tessel-synthesize`
    does for every spec op of a module: composite ops (softmax) are
    decomposed, the search picks each program for `target` and `threads`
    cores (with the memo database `db`, if given), and the op becomes a
    `func.call` of a new private function holding the program (`scf`
    loops, buffers and `ukernel` ops; `--tessel-to-llvm` lowers them). The
    result points to the calls. A linalg op is refused: import it first.

    ```mlir
    %calls = transform.tessel.synthesize %spec {target = "avx512", threads = 1}
        : (!transform.any_op) -> !transform.any_op
    ```

    Consumes its operand handle, produces a new one, modifies the payload.
  }];
  let arguments = (ins TransformHandleTypeInterface:$ops,
                       DefaultValuedAttr<StrAttr, "\"host\"">:$target,
                       DefaultValuedAttr<ThreadCount, "0">:$threads,
                       DefaultValuedAttr<ThreadCount, "0">:$search_threads,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>
                           :$search_budget,
                       DefaultValuedAttr<StrAttr, "\"\"">:$db);
  let results = (outs TransformHandleTypeInterface:$result);
  let assemblyFormat = "$ops attr-dict `:` functional-type(operands, results)";
}

#endif // TESSEL_DIALECT_TRANSFORM_TESSELTRANSFORMOPS_TD

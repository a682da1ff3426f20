//===- EngineSpecInterface.td - Spec ops as engine specs ---*- tablegen -*-===//
//
// How a spec op states itself to the synthesis engine. Declared beside the
// bridge (TesselSpecSynthesis) rather than in the dialect, which knows
// nothing of the engine; the bridge attaches it to the spec ops as external
// models (registerEngineSpecExternalModels).
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPECINTERFACE_TD
#define TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPECINTERFACE_TD

include "mlir/IR/OpBase.td"

def Spec_EngineSpecOpInterface : OpInterface<"EngineSpecOpInterface"> {
  let description = [{
    A spec op the synthesis engine can solve: it states its operands
    (shapes, element types, layouts, memory levels) and its kind's
    parameters as a `tessel::synth::Spec`. `spec::getEngineSpec` asks it,
    then adds what does not depend on the kind (buffers only, serial inside a
    parallel loop, the canonical form). An op without it is not synthesized.
  }];
  let cppNamespace = "::tessel::spec";
  let methods = [
    InterfaceMethod<
      /*desc=*/[{The engine spec of this op under memory `limits` of
        `target`; an error at the op (an element type, layout or parameter
        the engine cannot state) and failure otherwise.}],
      /*retTy=*/"::mlir::FailureOr<::tessel::synth::Spec>",
      /*methodName=*/"getEngineSpec",
      /*args=*/(ins "const ::tessel::synth::Target &":$target,
                    "::tessel::synth::MemoryLimits":$limits)>,
    InterfaceMethod<
      /*desc=*/[{How operand `operand` appears in the engine spec: for each
        of the engine operand's dims in logical order, the operand's dim it
        is, or -1 for a unit dim the engine adds (leading). The emitter views
        the operand so. By default the operand's own dims, in order.}],
      /*retTy=*/"::llvm::SmallVector<int64_t>",
      /*methodName=*/"getEngineDims",
      /*args=*/(ins "unsigned":$operand),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{
        auto type = ::llvm::cast<::mlir::ShapedType>(
            $_op->getOperand(operand).getType());
        return ::llvm::to_vector(::llvm::seq<int64_t>(0, type.getRank()));
      }]>
  ];
}

#endif // TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPECINTERFACE_TD

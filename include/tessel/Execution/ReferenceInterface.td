//===- ReferenceInterface.td - Spec ops' reference semantics -*- tablegen -*-===//
//
// What a spec op computes, evaluated directly and in double precision: the
// oracle `tessel run`, the differential tests and the benchmarks check
// synthesized code against. Declared beside the interpreter
// (TesselExecution), which attaches it to the spec ops as external models
// (registerReferenceExternalModels); it shares no code with synthesis.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_EXECUTION_REFERENCEINTERFACE_TD
#define TESSEL_EXECUTION_REFERENCEINTERFACE_TD

include "mlir/IR/OpBase.td"

def Exec_ReferenceOpInterface : OpInterface<"ReferenceOpInterface"> {
  let description = [{
    A spec op the reference interpreter evaluates: from its definition, on
    host buffers in double precision, with an error budget per output
    element that the comparison of synthesized results scales with.
  }];
  let cppNamespace = "::tessel::exec";
  let methods = [
    InterfaceMethod<
      /*desc=*/[{Computes the op on `operands` (one buffer per operand, in
        order; the output may alias an input for ops computed in place) and
        updates the output's `bound` (created on first use).}],
      /*retTy=*/"::mlir::LogicalResult",
      /*methodName=*/"evaluate",
      /*args=*/(ins "::llvm::ArrayRef<::tessel::exec::HostBuffer *>":$operands,
                    "::tessel::exec::ErrorBound &":$bound)>
  ];
}

#endif // TESSEL_EXECUTION_REFERENCEINTERFACE_TD

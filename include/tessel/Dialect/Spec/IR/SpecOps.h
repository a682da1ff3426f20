//===- SpecOps.h - Operations of the spec dialect ---------------*- C++ -*-===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECOPS_H
#define TESSEL_DIALECT_SPEC_IR_SPECOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tessel/Dialect/Spec/IR/SpecAttrs.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"

#define GET_OP_CLASSES
#include "tessel/Dialect/Spec/IR/SpecOps.h.inc"

namespace tessel::spec {

/// Element types spec ops compute with: f32, bf16, f16, i8, i16 and i32.
bool isSupportedElementType(mlir::Type type);

/// Products of `in` values can accumulate in `out`: the same type, f32 for
/// bf16/f16, or i32 for i8/i16.
bool isValidAccumulation(mlir::Type in, mlir::Type out);

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_IR_SPECOPS_H

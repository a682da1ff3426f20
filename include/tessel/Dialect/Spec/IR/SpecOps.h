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

#endif // TESSEL_DIALECT_SPEC_IR_SPECOPS_H

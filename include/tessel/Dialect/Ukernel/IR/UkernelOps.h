//===- UkernelOps.h - Microkernel operations --------------------*- C++ -*-===//

#ifndef TESSEL_DIALECT_UKERNEL_IR_UKERNELOPS_H
#define TESSEL_DIALECT_UKERNEL_IR_UKERNELOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tessel/Dialect/Ukernel/IR/UkernelDialect.h"

#define GET_OP_CLASSES
#include "tessel/Dialect/Ukernel/IR/UkernelOps.h.inc"

#endif // TESSEL_DIALECT_UKERNEL_IR_UKERNELOPS_H

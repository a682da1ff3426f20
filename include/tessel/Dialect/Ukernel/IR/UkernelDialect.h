//===- UkernelDialect.h - The microkernel dialect ---------------*- C++ -*-===//

#ifndef TESSEL_DIALECT_UKERNEL_IR_UKERNELDIALECT_H
#define TESSEL_DIALECT_UKERNEL_IR_UKERNELDIALECT_H

#include "mlir/IR/Dialect.h"

#include "tessel/Dialect/Ukernel/IR/UkernelDialect.h.inc"

#endif // TESSEL_DIALECT_UKERNEL_IR_UKERNELDIALECT_H

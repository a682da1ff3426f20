//===- SpecDialect.h - The spec dialect -------------------------*- C++ -*-===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECDIALECT_H
#define TESSEL_DIALECT_SPEC_IR_SPECDIALECT_H

#include "mlir/IR/Dialect.h"

#include "tessel/Dialect/Spec/IR/SpecDialect.h.inc"

#endif // TESSEL_DIALECT_SPEC_IR_SPECDIALECT_H

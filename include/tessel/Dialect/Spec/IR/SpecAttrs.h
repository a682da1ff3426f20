//===- SpecAttrs.h - Attributes of the spec dialect -------------*- C++ -*-===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECATTRS_H
#define TESSEL_DIALECT_SPEC_IR_SPECATTRS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "tessel/Dialect/Spec/IR/SpecEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tessel/Dialect/Spec/IR/SpecAttrs.h.inc"

#endif // TESSEL_DIALECT_SPEC_IR_SPECATTRS_H

//===- SpecDialect.cpp - The spec dialect ---------------------------------===//

#include "tessel/Dialect/Spec/IR/SpecDialect.h"

#include "tessel/Dialect/Spec/IR/SpecAttrs.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

using namespace mlir;
using namespace tessel::spec;

#include "tessel/Dialect/Spec/IR/SpecDialect.cpp.inc"

void SpecDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tessel/Dialect/Spec/IR/SpecOps.cpp.inc"
      >();
  registerAttributes();
}

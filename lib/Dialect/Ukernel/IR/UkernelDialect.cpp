//===- UkernelDialect.cpp - The microkernel dialect -----------------------===//

#include "tessel/Dialect/Ukernel/IR/UkernelDialect.h"
#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"

using namespace mlir;
using namespace tessel::ukernel;

#include "tessel/Dialect/Ukernel/IR/UkernelDialect.cpp.inc"

void UkernelDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tessel/Dialect/Ukernel/IR/UkernelOps.cpp.inc"
      >();
}

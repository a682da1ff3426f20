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

namespace tessel::ukernel {

/// The cache line size prefetches assume.
constexpr int64_t kCacheLineBytes = 64;

/// How a tile op's `prefetch` numbers the cache lines of a box: row by row
/// along its innermost dimension, each row starting a line of
/// `elementsPerLine` elements.
struct CacheLines {
  int64_t elementsPerLine, perRow, count;
};
CacheLines cacheLines(mlir::MemRefType box);

} // namespace tessel::ukernel

#endif // TESSEL_DIALECT_UKERNEL_IR_UKERNELOPS_H

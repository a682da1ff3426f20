//===- CatalogFunctionOps.h - Models for every catalog op -------*- C++ -*-===//
//
// Attaches one interface model to every spec op that applies a function of
// the engine's elementwise catalog (the AppliesCatalogFunction trait), from
// the dialect's generated op list: a new elementwise op needs no entry in
// any registration.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_SPEC_IR_CATALOGFUNCTIONOPS_H
#define TESSEL_DIALECT_SPEC_IR_CATALOGFUNCTIONOPS_H

#include "tessel/Dialect/Spec/IR/SpecOps.h"

namespace tessel::spec {
namespace detail {
template <template <typename> class Model, typename... Ops>
void attachToCatalogFunctionOps(mlir::MLIRContext &context) {
  (
      [&] {
        if constexpr (Ops::template hasTrait<AppliesCatalogFunction>())
          Ops::template attachInterface<Model<Ops>>(context);
      }(),
      ...);
}
} // namespace detail

/// Attaches `Model<Op>` to each spec op `Op` with AppliesCatalogFunction.
template <template <typename> class Model>
void attachToCatalogFunctionOps(mlir::MLIRContext &context) {
  detail::attachToCatalogFunctionOps<Model,
#define GET_OP_LIST
#include "tessel/Dialect/Spec/IR/SpecOps.cpp.inc"
                                     >(context);
}
} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_IR_CATALOGFUNCTIONOPS_H

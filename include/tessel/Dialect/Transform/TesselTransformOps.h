//===- TesselTransformOps.h - Tessel in the transform dialect ---*- C++ -*-===//
#ifndef TESSEL_DIALECT_TRANSFORM_TESSELTRANSFORMOPS_H
#define TESSEL_DIALECT_TRANSFORM_TESSELTRANSFORMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "tessel/Dialect/Transform/TesselTransformOps.h.inc"

namespace tessel {
/// Adds transform.tessel.import and transform.tessel.synthesize to the
/// transform dialect of `registry`.
void registerTransformExtension(mlir::DialectRegistry &registry);
} // namespace tessel

#endif // TESSEL_DIALECT_TRANSFORM_TESSELTRANSFORMOPS_H

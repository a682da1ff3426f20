//===- InitAllTessel.h - Register Tessel's dialects and passes --*- C++ -*-===//
//
// One place that knows everything Tessel adds to an MLIR context, shared by
// tessel-opt, the tessel driver and the mlir-opt plugin.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_INITALLTESSEL_H
#define TESSEL_INITALLTESSEL_H

#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Dialect/Spec/Transforms/BufferizableOpInterfaceImpl.h"
#include "tessel/Dialect/Transform/TesselTransformOps.h"
#include "tessel/Dialect/Ukernel/IR/UkernelDialect.h"
#include "tessel/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

namespace tessel {

/// Adds every Tessel dialect to `registry`, spec ops' bufferization and
/// engine specs, and Tessel's transform dialect extension
/// (transform.tessel.import/synthesize).
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<spec::SpecDialect, ukernel::UkernelDialect>();
  spec::registerBufferizableOpInterfaceExternalModels(registry);
  spec::registerEngineSpecExternalModels(registry);
  registerTransformExtension(registry);
}

/// Registers every Tessel pass (and pipeline) with the global registry.
inline void registerAllPasses() {
  registerConversionPasses();
  registerToLLVMPipeline();
}

} // namespace tessel

#endif // TESSEL_INITALLTESSEL_H

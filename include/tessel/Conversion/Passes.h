//===- Passes.h - Tessel's conversion passes --------------------*- C++ -*-===//

#ifndef TESSEL_CONVERSION_PASSES_H
#define TESSEL_CONVERSION_PASSES_H

#include "tessel/Conversion/LinalgToSpec/LinalgToSpec.h"

#include "mlir/Pass/Pass.h"

namespace tessel {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "tessel/Conversion/Passes.h.inc"

} // namespace tessel

#endif // TESSEL_CONVERSION_PASSES_H

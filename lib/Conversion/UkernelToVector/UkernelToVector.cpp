//===- UkernelToVector.cpp - --tessel-lower-microkernels ------------------===//
//
// Expands every ukernel op into vector code with the patterns of each op
// family (Contraction.cpp, Movement.cpp, Elementwise.cpp), then exp, tanh
// and erf into polynomials. The ukernel dialect is illegal afterwards: an
// op no pattern lowers is an error at the op, never left behind.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/UkernelToVector/UkernelToVector.h"
#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELLOWERMICROKERNELS
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

void tessel::populateUkernelToVectorPatterns(RewritePatternSet &patterns,
                                             bool avx512) {
  populateUkernelContractionToVectorPatterns(patterns);
  populateUkernelMovementToVectorPatterns(patterns);
  populateUkernelElementwiseToVectorPatterns(patterns, avx512);
}

namespace {

struct TesselLowerMicrokernels
    : public tessel::impl::TesselLowerMicrokernelsBase<
          TesselLowerMicrokernels> {
  using TesselLowerMicrokernelsBase::TesselLowerMicrokernelsBase;
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<ukernel::UkernelDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet kernels(&getContext());
    populateUkernelToVectorPatterns(kernels, avx512);
    if (failed(
            applyPartialConversion(getOperation(), target, std::move(kernels))))
      return signalPassFailure();

    // tanh (and any exp or erf) as polynomials: no libm calls in kernels.
    // Only those ops (and what their expansions create) are rewritten.
    SmallVector<Operation *> math;
    getOperation()->walk([&](Operation *op) {
      if (isa<math::ExpOp, math::TanhOp, math::ErfOp>(op))
        math.push_back(op);
    });
    if (math.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == math::ExpOp::getOperationName() ||
             name == math::TanhOp::getOperationName() ||
             name == math::ErfOp::getOperationName();
    });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(math, std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace

//===- UkernelToVector.h - ukernel ops to vector code -----------*- C++ -*-===//
//
// The patterns of --tessel-lower-microkernels, by op family, for pipelines
// that lower ukernel ops themselves. Each expands one ukernel op into
// vector, arith, scf and memref ops (exp, tanh and erf as math ops, which
// populateMathPolynomialApproximationPatterns then expands).
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_CONVERSION_UKERNELTOVECTOR_UKERNELTOVECTOR_H
#define TESSEL_CONVERSION_UKERNELTOVECTOR_UKERNELTOVECTOR_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace tessel {

/// broadcast_fma, dot_bf16, dot_reduce, scalar_fma: register-tile products.
void populateUkernelContractionToVectorPatterns(
    mlir::RewritePatternSet &patterns);
/// copy, pack_bf16_pairs, fill.
void populateUkernelMovementToVectorPatterns(mlir::RewritePatternSet &patterns);
/// elementwise, reduce. `avx512`: the code runs on a CPU with AVX-512F (exp
/// of 16 lanes then uses vscalefps).
void populateUkernelElementwiseToVectorPatterns(
    mlir::RewritePatternSet &patterns, bool avx512 = false);
/// Every ukernel op.
void populateUkernelToVectorPatterns(mlir::RewritePatternSet &patterns,
                                     bool avx512 = false);

} // namespace tessel

#endif // TESSEL_CONVERSION_UKERNELTOVECTOR_UKERNELTOVECTOR_H

//===- LinalgToSpec.h - linalg ops to spec ops ------------------*- C++ -*-===//

#ifndef TESSEL_CONVERSION_LINALGTOSPEC_LINALGTOSPEC_H
#define TESSEL_CONVERSION_LINALGTOSPEC_LINALGTOSPEC_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace tessel {

/// Patterns that rewrite linalg contractions and fills on memrefs into spec
/// ops (see --tessel-import-linalg).
void populateLinalgToSpecPatterns(mlir::RewritePatternSet &patterns);

} // namespace tessel

#endif // TESSEL_CONVERSION_LINALGTOSPEC_LINALGTOSPEC_H

//===- EngineSpec.h - spec ops as synthesis-engine specs --------*- C++ -*-===//
//
// The bridge between the IR and the engine: a spec op on memrefs becomes a
// tessel::synth::Spec value (shapes, dtypes, layouts, memory levels), which
// the search solves without touching MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPEC_H
#define TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPEC_H

#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Target.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Operation.h"

#include "tessel/Dialect/Spec/Synthesis/EngineSpecInterface.h.inc"

namespace tessel::spec {

/// Attaches EngineSpecOpInterface to the spec ops the engine solves (every
/// op but spec.softmax, which is decomposed first). Part of
/// tessel::registerAllDialects.
void registerEngineSpecExternalModels(mlir::DialectRegistry &registry);

/// A strided memref as the engine sees it: a tile of a dense buffer whose
/// physical order is `order` (dimensions, slowest first; unit dimensions
/// lead, except one may stand in as the unit-stride innermost dimension of a
/// view whose elements are spaced apart) and whose extents `parent` include
/// the padding between rows. Code generation walks operands in this order.
struct StridedForm {
  llvm::SmallVector<int64_t> order;
  llvm::SmallVector<int64_t> parent;
  /// Dimensions inside a run-time stride, whose `parent` extent is a
  /// placeholder (one more than the extent).
  llvm::SmallVector<bool> runtimePitch;
};

/// Nothing unless `type` has a static shape, the innermost stride (or a unit
/// dimension standing in for it) 1, and each outer stride a multiple of the
/// next that leaves room for the extent inside it. Strides may be dynamic
/// if a non-unit dimension has static stride 1: it goes innermost, dynamic
/// strides outermost, and the engine sees each dynamic stride as a padded
/// row.
std::optional<StridedForm> getStridedForm(mlir::MemRefType type);

/// `type` with dim i taken from dim `positions[i]` (the type memref.transpose
/// gives): a convolution's operands in the engine's logical dim order. Null
/// if `type` has no strided form.
mlir::MemRefType getPermutedType(mlir::MemRefType type,
                                 llvm::ArrayRef<int64_t> positions);

/// Whether synthesis makes a spec.move from `from` to `to` elements (the
/// same type, or a widening the engine states: bf16/f16 to f32, i8 to i16
/// or i32, i16 to i32). The dialect verifies other casts too.
bool synthesizesMove(mlir::Type from, mlir::Type to);

/// Every spec op under `root` works on buffers (programs are made for
/// buffers); else an error at the first on tensors, saying to bufferize.
mlir::LogicalResult verifyOnBuffers(mlir::Operation *root);

/// The engine function an elementwise spec op applies (spec.add: add, ...;
/// see AppliesCatalogFunction); none for other ops. A binary op's epilogue is
/// the `epilogue` attribute.
std::optional<synth::ElementwiseFn> elementwiseFnOf(mlir::Operation *op);
/// The epilogue of elementwise spec op `op` (`then relu`), or none.
std::optional<synth::ElementwiseFn> epilogueOf(mlir::Operation *op);

/// Whether synthesis convolves with the element types, strides and
/// dilations of `op`; else an error at `op` saying what it supports.
mlir::LogicalResult verifySynthesizableConv(Conv2DOp op);

/// The engine spec that `op` (a spec op) states through its
/// EngineSpecOpInterface, under the full memory of `target`, serial inside a
/// parallel loop, in canonical form. Emits an error at `op` and fails when
/// the engine cannot state it yet (an op kind, element type or layout it
/// lacks).
mlir::FailureOr<synth::Spec> getEngineSpec(mlir::Operation *op,
                                           const synth::Target &target);

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPEC_H

//===- SpecOps.h - Operations of the spec dialect ---------------*- C++ -*-===//

#ifndef TESSEL_DIALECT_SPEC_IR_SPECOPS_H
#define TESSEL_DIALECT_SPEC_IR_SPECOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::memref {
class GlobalOp;
} // namespace mlir::memref

#include "tessel/Dialect/Spec/IR/SpecAttrs.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"

namespace tessel::spec {
/// Ops whose output may be the very buffer of an input of its shape
/// (elementwise ops and moves): each output element reads such an input
/// only at its own index.
template <typename ConcreteType>
class ComputesInPlace
    : public mlir::OpTrait::TraitBase<ConcreteType, ComputesInPlace> {};

/// Elementwise ops (and spec.broadcast): the op applies the engine catalog's
/// function named by its mnemonic.
template <typename ConcreteType>
class AppliesCatalogFunction
    : public mlir::OpTrait::TraitBase<ConcreteType, AppliesCatalogFunction> {};

/// Bytes of `op`'s shaped operands (SpecOpInterface's default).
double operandBytes(mlir::Operation *op);
} // namespace tessel::spec

#include "tessel/Dialect/Spec/IR/SpecInterfaces.h.inc"

#define GET_OP_CLASSES
#include "tessel/Dialect/Spec/IR/SpecOps.h.inc"

namespace tessel::spec {

/// Element types spec ops compute with: f32, bf16, f16, i8, i16 and i32.
bool isSupportedElementType(mlir::Type type);

/// Products of `in` values can accumulate in `out`: the same type, f32 for
/// bf16/f16, or i32 for i8/i16.
bool isValidAccumulation(mlir::Type in, mlir::Type out);

/// Whether spec.move converts `from` to `to`: a plain copy, bf16/f16 to f32
/// and back, or a widening of integers.
bool isSupportedCast(mlir::Type from, mlir::Type to);

/// Whether its spec op reads `operand`: inputs always, the output only when
/// the op accumulates into it.
bool readsOperand(mlir::OpOperand &operand);

/// How two memref views may share memory (Overlap.cpp).
enum class Overlap {
  Disjoint, ///< different buffers, or provably apart in one buffer
  Same,     ///< the same elements in the same order
  Partial,  ///< some elements shared
  Unknown,  ///< not provably apart: views of one buffer that cannot be
            ///< compared statically, or buffers chosen at run time
};
/// Distinct function arguments, allocations and globals are taken to be
/// disjoint.
Overlap getOverlap(mlir::Value a, mlir::Value b);
/// A buffer `view` may be a view of whose origin is unknown (a call's
/// result, say), making it possibly any buffer; null if there is none.
mlir::Value unknownBufferOf(mlir::Value view);
/// The constant global `view` is a view of, if any (it cannot be written).
mlir::memref::GlobalOp constantGlobalOf(mlir::Value view);
/// Whether two indices of one static strided view address one element (a
/// zero stride, strides [3, 3] on 7x3); such a view cannot be an output.
/// Call after verifyAddressable (its spans must not overflow).
bool sharesElements(mlir::MemRefType type);

/// The largest number of bytes an operand may span (offset included): the
/// user address space of x86-64 with four-level paging.
constexpr uint64_t kMaxOperandBytes = uint64_t(1) << 47;

/// Elements from the start of `type`'s buffer through the last one it
/// addresses (offset + sum((size - 1) * stride) + 1; every element of a
/// #spec.layout), with dynamic offsets counted as 0 and dynamic strides and
/// sizes left out; nothing if an offset or a stride is negative or the
/// arithmetic overflows.
std::optional<int64_t> addressedElements(mlir::MemRefType type);

/// `type`'s elements lie at or after its buffer's start and its span
/// (offset + sum((size - 1) * stride) + 1 elements) fits in
/// kMaxOperandBytes, in checked arithmetic; else an error naming `what`.
mlir::LogicalResult
verifyAddressable(llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
                  const llvm::Twine &what, mlir::MemRefType type);

/// The last dimension of `type` with an extent above 1, if any: the one
/// vectors run along (Strides.cpp).
std::optional<unsigned> innermostDim(mlir::MemRefType type);

/// Whether `type` has a static shape and the stride of its last non-unit
/// dimension is only known at run time (fully dynamic layouts, as one-shot
/// bufferization gives tensor function arguments): spec ops take such a
/// buffer only after a cast to `withUnitInnermostStride` behind a run-time
/// check.
bool hasDynamicInnermostStride(mlir::MemRefType type);

/// `type` (strided) with the stride of its last non-unit dimension 1.
mlir::MemRefType withUnitInnermostStride(mlir::MemRefType type);

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_IR_SPECOPS_H

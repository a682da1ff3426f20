//===- BufferizableOpInterfaceImpl.cpp - Spec ops in bufferization --------===//
//
// A spec op on tensors is in destination-passing style: it bufferizes to the
// same op on its operands' buffers, writing its output's buffer in place.
// The output is read only when the op accumulates, so an output that starts
// as `tensor.empty` needs no copy.
//
// Buffers of tensor function arguments have fully dynamic strides, and spec
// ops need a dimension of static stride 1 for vectors. Such a buffer is cast
// to unit stride along its last non-unit dimension when that stride is 1 at
// run time, and copied into a contiguous buffer otherwise (an output is then
// copied back). One spec op serves both cases: the engine sees run-time row
// pitches either way. Like one-shot bufferization's own allocations, the
// copies are freed by the deallocation pipeline
// (--buffer-deallocation-pipeline) a pipeline runs after bufferizing.
//
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Spec/Transforms/BufferizableOpInterfaceImpl.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace tessel;
using namespace tessel::spec;

namespace {

/// A buffer as a spec op takes it, and what follows the op for it.
struct UnitStrideBuffer {
  Value buffer;
  /// Whether the original buffer's innermost stride is 1 at run time (null
  /// when its type says so): if not, `buffer` is a contiguous copy.
  Value isUnitStride;
};

/// `buffer` with static unit stride along its last non-unit dimension:
/// itself if its type says so, else a cast if the stride is 1 at run time
/// and a new contiguous buffer otherwise (holding `buffer`'s elements if
/// `read`).
FailureOr<UnitStrideBuffer>
withUnitStride(RewriterBase &rewriter, Location loc, Value buffer, bool read,
               const BufferizationOptions &options) {
  auto type = cast<MemRefType>(buffer.getType());
  if (!hasDynamicInnermostStride(type))
    return UnitStrideBuffer{buffer, Value()};
  MemRefType unitType = withUnitInnermostStride(type);
  auto meta = memref::ExtractStridedMetadataOp::create(rewriter, loc, buffer);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value isUnit =
      arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                            meta.getStrides()[*innermostDim(type)], one);
  auto ifOp = scf::IfOp::create(rewriter, loc, unitType, isUnit,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(
      rewriter, loc,
      memref::CastOp::create(rewriter, loc, unitType, buffer).getResult());
  rewriter.setInsertionPointToStart(ifOp.elseBlock());
  auto contiguousType =
      MemRefType::get(type.getShape(), type.getElementType(),
                      MemRefLayoutAttrInterface(), type.getMemorySpace());
  FailureOr<Value> copy =
      options.createAlloc(rewriter, loc, contiguousType, ValueRange());
  if (failed(copy))
    return failure();
  if (read)
    linalg::CopyOp::create(rewriter, loc, buffer, *copy);
  scf::YieldOp::create(
      rewriter, loc,
      memref::CastOp::create(rewriter, loc, unitType, *copy).getResult());
  return UnitStrideBuffer{ifOp.getResult(0), isUnit};
}

template <typename OpTy>
struct SpecOpInterface
    : DstBufferizableOpInterfaceExternalModel<SpecOpInterface<OpTy>, OpTy> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return readsOperand(operand);
  }

  // Lets an elementwise op overwrite an input's buffer of the output's
  // shape when nothing reads that tensor later.
  bool bufferizesToElementwiseAccess(Operation *op, const AnalysisState &,
                                     ArrayRef<OpOperand *> operands) const {
    Type out = cast<DestinationStyleOpInterface>(op).getDpsInits()[0].getType();
    return op->hasTrait<ComputesInPlace>() &&
           llvm::all_of(operands, [&](OpOperand *operand) {
             return cast<ShapedType>(operand->get().getType()).getShape() ==
                    cast<ShapedType>(out).getShape();
           });
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto dps = cast<DestinationStyleOpInterface>(op);
    Location loc = op->getLoc();
    rewriter.setInsertionPoint(op);
    SmallVector<Value> operands;
    Value outBuffer;
    UnitStrideBuffer out;
    for (OpOperand &operand : op->getOpOperands()) {
      FailureOr<Value> buffer =
          getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      FailureOr<UnitStrideBuffer> view = withUnitStride(
          rewriter, loc, *buffer, readsOperand(operand), options);
      if (failed(view))
        return failure();
      operands.push_back(view->buffer);
      if (dps.isDpsInit(&operand)) {
        outBuffer = *buffer;
        out = *view;
      }
    }
    OperationState specOp(loc, op->getName(), operands, TypeRange(),
                          op->getAttrs());
    rewriter.create(specOp);
    if (out.isUnitStride) {
      // The op wrote a contiguous copy: copy it back.
      Value copied = arith::XOrIOp::create(
          rewriter, loc, out.isUnitStride,
          arith::ConstantIntOp::create(rewriter, loc, 1, 1));
      auto back = scf::IfOp::create(rewriter, loc, copied);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(back.thenBlock());
      linalg::CopyOp::create(rewriter, loc, out.buffer, outBuffer);
    }
    replaceOpWithBufferizedValues(rewriter, op, outBuffer);
    return success();
  }
};

template <typename... Ops> void attachToAll(MLIRContext *context) {
  (Ops::template attachInterface<SpecOpInterface<Ops>>(*context), ...);
}

} // namespace

void tessel::spec::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SpecDialect *) {
    // Ops bufferization of spec ops may create.
    context->loadDialect<arith::ArithDialect, linalg::LinalgDialect,
                         memref::MemRefDialect, scf::SCFDialect>();
    attachToAll<
#define GET_OP_LIST
#include "tessel/Dialect/Spec/IR/SpecOps.cpp.inc"
        >(context);
  });
}

//===- LinalgToSpec.cpp - linalg ops to spec ops --------------------------===//
//
// A linalg contraction becomes a spec.matmul once each operand is viewed in
// the spec's dimension order: [batch] x M x K, [batch] x K x N and
// [batch] x M x N. Transposed operands become memref.transpose views (strided
// layouts, which spec ops accept); vectors gain unit dimensions through
// memref.expand_shape. No data moves: synthesis decides whether to repack.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/LinalgToSpec/LinalgToSpec.h"
#include "Views.h"

#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELIMPORTLINALG
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;

/// Why the spec dialect cannot take `value` as it is, if it cannot.
static std::optional<std::string> whyNotImportable(Value value,
                                                   bool dynamicSizes) {
  auto tensor = dyn_cast<RankedTensorType>(value.getType());
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!tensor && !type)
    return std::string("it is neither a memref nor a ranked tensor");
  if (tensor && tensor.getEncoding())
    return std::string("it has an encoding (a sparse or otherwise "
                       "encoded tensor)");
  auto shaped = cast<ShapedType>(value.getType());
  if (tensor && !tensor.hasStaticShape())
    return std::string("it is a tensor with dynamic sizes (those import "
                       "after bufferization)");
  if (!shaped.hasStaticShape() && !dynamicSizes)
    return std::string("it has dynamic sizes (only matrix products import "
                       "with dynamic sizes)");
  if (llvm::is_contained(shaped.getShape(), 0))
    return std::string("it is empty (nothing to compute)");
  if (type && type.getMemorySpace())
    return std::string("it is not in main memory");
  if (!spec::isSupportedElementType(shaped.getElementType()))
    return std::string("its element type is not f32, bf16, f16, i8, i16 or "
                       "i32");
  // A tensor is a value: strides come with bufferization.
  if (tensor)
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return std::string("its layout is not strided");
  if (spec::hasDynamicInnermostStride(type))
    return std::string("the stride of its last non-unit dimension is only "
                       "known at run time");
  if (dynamicSizes && (type.getRank() != 2 || strides[1] != 1))
    return std::string("with dynamic sizes, Tessel takes 2-D matrices whose "
                       "last dimension has static stride 1");
  return std::nullopt;
}

LogicalResult tessel::checkImportable(Operation *op, ValueRange operands,
                                      PatternRewriter &rewriter,
                                      bool dynamicSizes) {
  for (Value operand : operands)
    if (std::optional<std::string> why =
            whyNotImportable(operand, dynamicSizes))
      return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
        diag << "operand #";
        for (OpOperand &use : op->getOpOperands())
          if (use.get() == operand) {
            diag << use.getOperandNumber();
            break;
          }
        std::string type;
        llvm::raw_string_ostream(type) << operand.getType();
        diag << " (" << type << "): " << *why;
      });
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
    for (OpOperand &init : dps.getDpsInitsMutable())
      if (memref::GlobalOp global = spec::constantGlobalOf(init.get()))
        return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
          diag << "operand #" << init.getOperandNumber()
               << " is a view of constant global @" << global.getSymName()
               << ", which cannot be written";
        });
  return success();
}

LogicalResult tessel::checkOutputOverlap(Operation *op,
                                         PatternRewriter &rewriter,
                                         bool inPlace) {
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (linalgOp.hasPureTensorSemantics())
    return success(); // Values: bufferization keeps them apart.
  OpOperand *out = linalgOp.getDpsInitOperand(0);
  for (OpOperand *in : linalgOp.getDpsInputOperands()) {
    spec::Overlap overlap = spec::getOverlap(out->get(), in->get());
    if (overlap == spec::Overlap::Disjoint ||
        (inPlace && overlap == spec::Overlap::Same &&
         linalgOp.getMatchingIndexingMap(in) ==
             linalgOp.getMatchingIndexingMap(out)))
      continue;
    return rewriter.notifyMatchFailure(
        op, "the output " +
                Twine(overlap == spec::Overlap::Unknown ? "may overlap"
                                                        : "overlaps") +
                " input #" + Twine(in->getOperandNumber()) +
                ", which synthesized code does not compute in place");
  }
  return success();
}

namespace {
/// The loop dimensions of a contraction, by the operands that index them.
struct ContractionDims {
  std::optional<unsigned> batch, m, n;
  unsigned k;
};
} // namespace

/// Classifies the loop dimensions of `lhs * rhs -> out` from indexing maps
/// that are projected permutations; fails on anything but at most one batch,
/// M and N dimension and exactly one K dimension.
static FailureOr<ContractionDims> classifyDims(ArrayRef<AffineMap> maps) {
  if (maps.size() != 3 || !llvm::all_of(maps, [](AffineMap map) {
        return map.isProjectedPermutation(/*allowZeroInResults=*/false);
      }))
    return failure();
  std::optional<unsigned> batch, m, n, k;
  for (unsigned dim = 0, e = maps[0].getNumDims(); dim < e; ++dim) {
    bool inLhs = maps[0].isFunctionOfDim(dim);
    bool inRhs = maps[1].isFunctionOfDim(dim);
    bool inOut = maps[2].isFunctionOfDim(dim);
    std::optional<unsigned> *slot = inLhs && inRhs && inOut ? &batch
                                    : inLhs && inOut        ? &m
                                    : inRhs && inOut        ? &n
                                    : inLhs && inRhs        ? &k
                                                            : nullptr;
    if (!slot || slot->has_value())
      return failure();
    *slot = dim;
  }
  if (!k)
    return failure();
  return ContractionDims{batch, m, n, *k};
}

/// Which operand dimension goes to each position of `wanted` (loop
/// dimensions; std::nullopt stands for a unit dimension the operand lacks),
/// if `map` reads each present one.
static std::optional<SmallVector<unsigned>>
permutationFor(AffineMap map, ArrayRef<std::optional<unsigned>> wanted) {
  SmallVector<unsigned> permutation;
  for (std::optional<unsigned> dim : wanted) {
    if (!dim)
      continue;
    std::optional<unsigned> pos =
        map.getResultPosition(getAffineDimExpr(*dim, map.getContext()));
    if (!pos)
      return std::nullopt;
    permutation.push_back(*pos);
  }
  if (permutation.size() != map.getNumResults())
    return std::nullopt;
  return permutation;
}

/// Whether `viewAs` can view `operand` so: `map` reads each loop wanted,
/// and a tensor needs no reordering.
static bool canViewAs(Value operand, AffineMap map,
                      ArrayRef<std::optional<unsigned>> wanted) {
  std::optional<SmallVector<unsigned>> permutation =
      permutationFor(map, wanted);
  return permutation &&
         (isa<MemRefType>(operand.getType()) ||
          llvm::equal(*permutation,
                      llvm::seq<unsigned>(0, permutation->size())));
}

/// Views `operand`, indexed through `map`, with its dimensions in the order
/// `wanted` (loop dimensions; std::nullopt stands for a unit dimension the
/// operand lacks): a memref.transpose to reorder, then a memref.expand_shape
/// to add the unit dimensions.
FailureOr<Value> tessel::viewAs(RewriterBase &rewriter, Location loc,
                                Value operand, AffineMap map,
                                ArrayRef<std::optional<unsigned>> wanted) {
  std::optional<SmallVector<unsigned>> found = permutationFor(map, wanted);
  if (!found)
    return failure();
  SmallVector<unsigned> permutation = std::move(*found);
  SmallVector<unsigned> present;
  for (std::optional<unsigned> dim : wanted)
    if (dim)
      present.push_back(*dim);
  Value view = operand;
  bool onTensor = isa<RankedTensorType>(operand.getType());
  if (!llvm::equal(permutation, llvm::seq<unsigned>(0, permutation.size()))) {
    if (onTensor)
      return failure(); // A tensor has no transposed view; a buffer has.
    AffineMap perm =
        AffineMap::getPermutationMap(permutation, rewriter.getContext());
    view = memref::TransposeOp::create(rewriter, loc, view,
                                       AffineMapAttr::get(perm));
  }
  if (present.size() == wanted.size())
    return view;

  // Each unit dimension joins the group of the next present dimension (or
  // the last group when none follows).
  auto viewType = cast<ShapedType>(view.getType());
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> groups(present.size());
  unsigned next = 0;
  for (auto [pos, dim] : llvm::enumerate(wanted)) {
    if (dim) {
      shape.push_back(viewType.getDimSize(next));
      groups[next++].push_back(pos);
    } else {
      shape.push_back(1);
      if (!groups.empty())
        groups[std::min<unsigned>(next, groups.size() - 1)].push_back(pos);
    }
  }
  for (ReassociationIndices &group : groups)
    llvm::sort(group);
  if (onTensor)
    return tensor::ExpandShapeOp::create(rewriter, loc, viewType.clone(shape),
                                         view, groups)
        .getResult();
  FailureOr<MemRefType> expandedType =
      memref::ExpandShapeOp::computeExpandedType(cast<MemRefType>(viewType),
                                                 shape, groups);
  if (failed(expandedType))
    return failure();
  return memref::ExpandShapeOp::create(rewriter, loc, *expandedType, view,
                                       groups)
      .getResult();
}

FailureOr<SmallVector<Value>>
tessel::viewAllAs(RewriterBase &rewriter, Location loc, ValueRange operands,
                  ArrayRef<AffineMap> maps,
                  ArrayRef<ArrayRef<std::optional<unsigned>>> orders) {
  for (auto [operand, map, order] : llvm::zip_equal(operands, maps, orders))
    if (!canViewAs(operand, map, order))
      return failure();
  SmallVector<Value> views;
  for (auto [operand, map, order] : llvm::zip_equal(operands, maps, orders)) {
    FailureOr<Value> view = viewAs(rewriter, loc, operand, map, order);
    if (failed(view))
      return failure();
    views.push_back(*view);
  }
  return views;
}

void tessel::replaceWithSpecOp(RewriterBase &rewriter, Operation *op,
                               Operation *specOp) {
  if (op->getNumResults() == 0)
    return rewriter.eraseOp(op);
  Value result = specOp->getResult(0);
  Value out = cast<DestinationStyleOpInterface>(specOp).getDpsInits()[0];
  Value init = cast<DestinationStyleOpInterface>(op).getDpsInits()[0];
  // Unit dimensions viewAs added to the output come off the result.
  auto expand = out.getDefiningOp<tensor::ExpandShapeOp>();
  if (out != init && expand && expand.getSrc() == init)
    result = tensor::CollapseShapeOp::create(rewriter, op->getLoc(), result,
                                             expand.getReassociationIndices());
  rewriter.replaceOp(op, result);
}

/// Rewrites a linalg contraction on memrefs into an accumulating spec.matmul.
static LogicalResult importContraction(linalg::LinalgOp op,
                                       PatternRewriter &rewriter) {
  if (!(op.hasPureBufferSemantics() || op.hasPureTensorSemantics()) ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return rewriter.notifyMatchFailure(
        op, "not a contraction of two inputs on memrefs or tensors");
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1],
        out = op.getDpsInits()[0];
  bool dynamicSizes = op.hasPureBufferSemantics() &&
                      llvm::any_of(ValueRange{lhs, rhs, out}, [](Value v) {
                        auto type = dyn_cast<MemRefType>(v.getType());
                        return type && !type.hasStaticShape();
                      });
  if (failed(checkImportable(op, {lhs, rhs, out}, rewriter, dynamicSizes)))
    return failure();
  if (failed(checkOutputOverlap(op, rewriter, /*inPlace=*/false)))
    return failure();
  Type inType = getElementTypeOrSelf(lhs.getType());
  if (inType != getElementTypeOrSelf(rhs.getType()) ||
      !spec::isValidAccumulation(inType, getElementTypeOrSelf(out.getType())))
    return rewriter.notifyMatchFailure(
        op, "element types the spec dialect does not multiply (inputs must "
            "agree; bf16/f16 may accumulate in f32, integers widen)");

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  FailureOr<ContractionDims> dims = classifyDims(maps);
  if (failed(dims))
    return rewriter.notifyMatchFailure(
        op, "indexing maps are not a (batched) matrix product");
  using Dims = SmallVector<std::optional<unsigned>>;
  Dims lhsOrder{dims->m, dims->k}, rhsOrder{dims->k, dims->n},
      outOrder{dims->m, dims->n};
  if (dims->batch) {
    lhsOrder.insert(lhsOrder.begin(), dims->batch);
    rhsOrder.insert(rhsOrder.begin(), dims->batch);
    outOrder.insert(outOrder.begin(), dims->batch);
  }
  if (dynamicSizes) {
    // A zero fill of the output just before starts the sum at zero.
    auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
    if (!fill || !fill.hasPureBufferSemantics() || fill.output() != out ||
        classifyFillValue(fill.value()) != spec::FillValue::Zero)
      fill = nullptr;
    return importDynamicContraction(op, lhsOrder, rhsOrder, outOrder, fill,
                                    rewriter);
  }
  Location loc = op.getLoc();
  FailureOr<SmallVector<Value>> views = viewAllAs(
      rewriter, loc, {lhs, rhs, out}, maps, {lhsOrder, rhsOrder, outOrder});
  if (failed(views))
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "an operand cannot be viewed in the matmul's dimension order";
      if (op.hasPureTensorSemantics())
        diag << " (a transposed tensor becomes a view after bufferization)";
    });
  replaceWithSpecOp(rewriter, op,
                    spec::MatmulOp::create(rewriter, loc, (*views)[0],
                                           (*views)[1], (*views)[2],
                                           /*accumulate=*/true));
  return success();
}

/// A zero fill followed by an accumulating matmul or convolution into the
/// same buffer (what linalg.fill + linalg.matmul import as) is one
/// overwriting op: its program starts the accumulators at zero instead of
/// reading the output. Only view ops of the operands may stand between the
/// two. On tensors, the op accumulates into the fill's result.
template <typename OpTy> static void fuseZeroFill(OpTy op) {
  if (!op.getAccumulate())
    return;
  if (isa<RankedTensorType>(op.getOut().getType())) {
    // On tensors the fill's value is the op's output (maybe with unit
    // dimensions added), used by nothing else.
    Value out = op.getOut();
    auto expand = out.template getDefiningOp<tensor::ExpandShapeOp>();
    Value filled = expand ? expand.getSrc() : out;
    auto fill = filled.getDefiningOp<spec::FillOp>();
    if (!fill || fill.getValue() != spec::FillValue::Zero ||
        !filled.hasOneUse() || !out.hasOneUse())
      return;
    (expand ? expand.getSrcMutable() : op.getOutMutable())
        .assign(fill.getOut());
    fill->erase();
    op.setAccumulate(false);
    return;
  }
  Operation *prev = op->getPrevNode();
  while (prev && isa<memref::TransposeOp, memref::ExpandShapeOp,
                     memref::CollapseShapeOp, memref::SubViewOp>(prev))
    prev = prev->getPrevNode();
  auto fill = dyn_cast_or_null<spec::FillOp>(prev);
  if (!fill || fill.getValue() != spec::FillValue::Zero ||
      fill.getOut() != op.getOut())
    return;
  fill->erase();
  op.setAccumulate(false);
}

static void fuseZeroFills(Operation *root) {
  root->walk([](Operation *op) {
    if (auto matmul = dyn_cast<spec::MatmulOp>(op))
      fuseZeroFill(matmul);
    else if (auto conv = dyn_cast<spec::Conv2DOp>(op))
      fuseZeroFill(conv);
  });
}

std::optional<spec::FillValue> tessel::classifyFillValue(Value value) {
  Attribute constant;
  if (!matchPattern(value, m_Constant(&constant)))
    return std::nullopt;
  if (auto f = dyn_cast<FloatAttr>(constant)) {
    const APFloat &v = f.getValue();
    if (v.isPosZero())
      return spec::FillValue::Zero;
    if (v.isInfinity() && v.isNegative())
      return spec::FillValue::NegInf;
    if (v == APFloat::getLargest(v.getSemantics(), /*Negative=*/true))
      return spec::FillValue::Min;
    if (v.isInfinity() && !v.isNegative())
      return spec::FillValue::Inf;
  } else if (auto i = dyn_cast<IntegerAttr>(constant)) {
    const APInt &v = i.getValue();
    if (v.isZero())
      return spec::FillValue::Zero;
    if (v.isMinSignedValue())
      return spec::FillValue::Min;
  }
  return std::nullopt;
}

/// The zero fills dynamic-size products took over (marked by the pattern,
/// which may not erase ops it did not match).
static void eraseFusedZeroFills(Operation *root) {
  root->walk([](linalg::FillOp fill) {
    if (fill->hasAttr(kFusedZeroFillAttr))
      fill->erase();
  });
}

namespace {
/// linalg.matmul and linalg.batch_matmul carry a cast kind; only signed
/// (the spec dialect's semantics for integers) imports.
template <typename OpTy> struct ImportMatmulLike : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op.getCast() != linalg::TypeFn::cast_signed)
      return rewriter.notifyMatchFailure(
          op, "an unsigned cast (spec ops compute integers as signed)");
    return importContraction(op, rewriter);
  }
};

template <typename OpTy> struct ImportContraction : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    return importContraction(op, rewriter);
  }
};

struct ImportFill : OpRewritePattern<linalg::FillOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::FillOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkImportable(op, op.output(), rewriter)))
      return failure();
    std::optional<spec::FillValue> value = classifyFillValue(op.value());
    if (!value)
      return rewriter.notifyMatchFailure(op,
                                         "spec.fill writes only zero, negative "
                                         "infinity or the type's lowest value");
    replaceWithSpecOp(
        rewriter, op,
        spec::FillOp::create(rewriter, op.getLoc(), op.output(), *value));
    return success();
  }
};

/// Keeps the last reason a pattern gave for not importing the op at each
/// location.
struct FailureReasons : RewriterBase::Listener {
  llvm::DenseMap<Location, std::string> reasons;
  void
  notifyMatchFailure(Location loc,
                     function_ref<void(Diagnostic &)> reasonCallback) override {
    Diagnostic diag(loc, DiagnosticSeverity::Remark);
    reasonCallback(diag);
    reasons[loc] = diag.str();
  }
};

struct TesselImportLinalg
    : tessel::impl::TesselImportLinalgBase<TesselImportLinalg> {
  using TesselImportLinalgBase::TesselImportLinalgBase;

  void runOnOperation() override {
    if (failed(verifySizeHints(getOperation())))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateLinalgToSpecPatterns(patterns);
    FailureReasons listener;
    SmallVector<StrideGuard> guards = guardRuntimeStrides(getOperation());
    walkAndApplyPatterns(getOperation(), std::move(patterns),
                         report ? &listener : nullptr);
    llvm::DenseSet<Operation *> fallbacks = finishStrideGuards(guards);
    eraseFusedZeroFills(getOperation());
    IRRewriter rewriter(&getContext());
    erasePaddedImages(getOperation(), rewriter);
    fuseZeroFills(getOperation());
    if (!report)
      return;
    // Every linalg op left (structured or not, like linalg.softmax), but
    // not the ops of their bodies.
    getOperation()->walk([&](Operation *op) {
      if (!isa_and_present<linalg::LinalgDialect>(op->getDialect()) ||
          isa<linalg::YieldOp>(op) ||
          isa_and_nonnull<linalg::LinalgDialect>(
              op->getParentOp() ? op->getParentOp()->getDialect() : nullptr))
        return;
      auto reason = listener.reasons.find(op->getLoc());
      InFlightDiagnostic remark = op->emitRemark("left to upstream lowering: ");
      if (fallbacks.contains(op))
        remark << "this copy runs when an innermost stride is not 1 at run "
                  "time; Tessel's program runs when they are";
      else if (reason != listener.reasons.end())
        remark << reason->second;
      else
        remark << "Tessel does not import '" << op->getName() << "'";
    });
  }
};
} // namespace

void tessel::populateLinalgToSpecPatterns(RewritePatternSet &patterns) {
  patterns.add<ImportMatmulLike<linalg::MatmulOp>,
               ImportMatmulLike<linalg::BatchMatmulOp>,
               ImportContraction<linalg::MatvecOp>,
               ImportContraction<linalg::VecmatOp>, ImportFill>(
      patterns.getContext());
  populateElementwiseImportPatterns(patterns);
  populateReduceImportPatterns(patterns);
  populateConvImportPatterns(patterns);
}

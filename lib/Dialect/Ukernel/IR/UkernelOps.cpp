//===- UkernelOps.cpp - Microkernel operations ----------------------------===//
//
// The verifiers check everything the lowering relies on: maps stay inside
// their boxes, vectors run along a contiguous innermost box dimension, and
// element types are ones the kernel computes with.
//
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Synthesis/Elementwise.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace tessel::ukernel;

/// The largest value of `e` over the index space `sizes`, for the forms the
/// synthesize pass emits: d, d floordiv c, d mod c and constants.
static std::optional<int64_t> maxValue(AffineExpr e, ArrayRef<int64_t> sizes) {
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue();
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return sizes[d.getPosition()] - 1;
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin || !isa<AffineDimExpr>(bin.getLHS()) ||
      !isa<AffineConstantExpr>(bin.getRHS()))
    return std::nullopt;
  int64_t top = sizes[cast<AffineDimExpr>(bin.getLHS()).getPosition()] - 1;
  int64_t c = cast<AffineConstantExpr>(bin.getRHS()).getValue();
  if (c <= 0)
    return std::nullopt;
  if (e.getKind() == AffineExprKind::FloorDiv)
    return top / c;
  if (e.getKind() == AffineExprKind::Mod)
    return std::min(top, c - 1);
  return std::nullopt;
}

static LogicalResult verifyBox(Operation *op, StringRef name, Value box,
                               AffineMap map, ArrayRef<int64_t> sizes) {
  auto type = cast<MemRefType>(box.getType());
  if (map.getNumSymbols() != 0 || map.getNumDims() != sizes.size())
    return op->emitOpError() << name << " map must have " << sizes.size()
                             << " dimensions (one per size) and no symbols";
  if (map.getNumResults() != type.getRank())
    return op->emitOpError() << name << " map must have " << type.getRank()
                             << " results, one per box dimension";
  for (auto [i, e] : llvm::enumerate(map.getResults())) {
    std::optional<int64_t> top = maxValue(e, sizes);
    if (!top)
      return op->emitOpError() << name << " map result " << i
                               << " must be d, d floordiv c, d mod c or a "
                                  "constant";
    if (*top >= type.getDimSize(i))
      return op->emitOpError()
             << name << " map reaches index " << *top << " of box dimension "
             << i << " of size " << type.getDimSize(i);
  }
  return success();
}

static bool isDimOrModOf(AffineExpr e, unsigned dim, int64_t quantum) {
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return d.getPosition() == dim;
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin || e.getKind() != AffineExprKind::Mod)
    return false;
  auto lhs = dyn_cast<AffineDimExpr>(bin.getLHS());
  auto rhs = dyn_cast<AffineConstantExpr>(bin.getRHS());
  return lhs && rhs && lhs.getPosition() == dim &&
         rhs.getValue() % quantum == 0;
}

static int64_t innermostStride(Value box) {
  auto type = cast<MemRefType>(box.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (type.getRank() == 0 || failed(type.getStridesAndOffset(strides, offset)))
    return 0;
  return strides.back();
}

/// Vectors of `lanes` elements along logical `dim` are contiguous runs of
/// the box: its last dimension has unit stride and is indexed by `dim`
/// (whole, or modulo a multiple of `lanes`). A row's last vector may be
/// partial: it is masked where a box ends, so a box padded to whole vectors
/// (a register tile) is accessed a whole vector at a time.
/// `gathered`: an input whose innermost box dimension may be strided (its
/// vectors loaded element by element), if that dimension is index d<dim>.
static LogicalResult verifyRun(Operation *op, StringRef name, Value box,
                               AffineMap map, unsigned dim, int64_t lanes,
                               bool gathered = false) {
  if (gathered && map.getNumResults() &&
      map.getResults().back() == getAffineDimExpr(dim, op->getContext()) &&
      innermostStride(box) > 1)
    return success();
  if (map.getNumResults() == 0 ||
      !isDimOrModOf(map.getResults().back(), dim, lanes) ||
      innermostStride(box) != 1)
    return op->emitOpError()
           << name << " must be contiguous along dimension " << dim
           << ": its innermost box dimension needs unit stride and index d"
           << dim << " (or d" << dim << " mod a multiple of " << lanes << ")";
  return success();
}

/// As verifyRun, and the run holds whole vectors.
static LogicalResult verifyWholeVectorRun(Operation *op, StringRef name,
                                          Value box, AffineMap map,
                                          ArrayRef<int64_t> sizes, unsigned dim,
                                          int64_t lanes) {
  if (sizes[dim] % lanes != 0)
    return op->emitOpError()
           << "size " << sizes[dim] << " along dimension " << dim
           << " is not a multiple of " << lanes << " lanes";
  return verifyRun(op, name, box, map, dim, lanes);
}

static bool isF32OrBf16(Type t) { return t.isF32() || t.isBF16(); }
static Type elementType(Value v) {
  return cast<MemRefType>(v.getType()).getElementType();
}

template <typename TileOp>
static LogicalResult verifyTile(TileOp op, bool f32Acc = true) {
  ArrayRef<int64_t> sizes = op.getSizes();
  if (sizes.size() != 3 || llvm::any_of(sizes, [](int64_t s) { return s < 1; }))
    return op.emitOpError("sizes must be [M, K, N], each at least 1");
  if (failed(verifyBox(op, "lhs", op.getLhs(), op.getLhsMap(), sizes)) ||
      failed(verifyBox(op, "rhs", op.getRhs(), op.getRhsMap(), sizes)) ||
      failed(verifyBox(op, "acc", op.getAcc(), op.getAccMap(), sizes)))
    return failure();
  // Operands only depend on their own logical dimensions.
  auto uses = [](AffineMap map, unsigned d) { return map.isFunctionOfDim(d); };
  if (uses(op.getLhsMap(), 2) || uses(op.getRhsMap(), 0) ||
      uses(op.getAccMap(), 1))
    return op.emitOpError("lhs map may use only (m, k), rhs only (k, n) and "
                          "acc only (m, n)");
  if (f32Acc && !elementType(op.getAcc()).isF32())
    return op.emitOpError("accumulator must be f32");
  return success();
}

/// A tile of f32 vector accumulators fed by f32 or bf16 inputs (widened as
/// loaded).
template <typename TileOp>
static LogicalResult verifyWideningVectorTile(TileOp op) {
  if (failed(verifyTile(op)))
    return failure();
  if (!isF32OrBf16(elementType(op.getLhs())) ||
      !isF32OrBf16(elementType(op.getRhs())))
    return op.emitOpError("lhs and rhs must be f32 or bf16");
  if (op.getLanes() < 1)
    return op.emitOpError("lanes must be positive");
  return success();
}

CacheLines tessel::ukernel::cacheLines(MemRefType box) {
  ArrayRef<int64_t> shape = box.getShape();
  int64_t perLine =
      std::max<int64_t>(1, kCacheLineBytes * 8 / box.getElementTypeBitWidth());
  int64_t perRow = llvm::divideCeil(shape.back(), perLine);
  return {perLine, perRow, box.getNumElements() / shape.back() * perRow};
}

/// A tile's prefetches: per box of static shape, a first line and a
/// positive number of lines.
template <typename TileOp> static LogicalResult verifyPrefetch(TileOp op) {
  ArrayRef<int64_t> lines = op.getPrefetchLines();
  if (op.getPrefetch().size() != op.getPrefetchFirst().size() ||
      op.getPrefetch().size() != lines.size())
    return op.emitOpError("prefetch needs a first line and a line count per "
                          "box");
  for (Value box : op.getPrefetch()) {
    auto type = cast<MemRefType>(box.getType());
    if (!type.hasStaticShape() || type.getRank() < 1 ||
        type.getNumElements() == 0)
      return op.emitOpError("prefetch box must have a static, non-empty shape");
  }
  if (llvm::any_of(lines, [](int64_t n) { return n < 1; }))
    return op.emitOpError("prefetch line count must be positive");
  return success();
}

LogicalResult BroadcastFmaOp::verify() {
  if (failed(verifyWideningVectorTile(*this)) ||
      failed(verifyPrefetch(*this)) ||
      failed(verifyRun(*this, "rhs", getRhs(), getRhsMap(), 2, getLanes())) ||
      failed(verifyRun(*this, "acc", getAcc(), getAccMap(), 2, getLanes())))
    return failure();
  return success();
}

LogicalResult DotBf16Op::verify() {
  if (failed(verifyTile(*this)) || failed(verifyPrefetch(*this)))
    return failure();
  if (!elementType(getLhs()).isBF16() || !elementType(getRhs()).isBF16())
    return emitOpError("lhs and rhs must be bf16");
  if (getLanes() != 16)
    return emitOpError("lanes must be 16 (vdpbf16ps on zmm registers)");
  if (getK() % 2 != 0)
    return emitOpError("K must be even (bf16 pairs)");
  if (failed(verifyWholeVectorRun(*this, "acc", getAcc(), getAccMap(),
                                  getSizes(), 2, getLanes())) ||
      failed(verifyWholeVectorRun(*this, "lhs", getLhs(), getLhsMap(),
                                  getSizes(), 1, 2)))
    return failure();
  // rhs: (k, n) -> (..., n, k mod 2) with [n][2] one contiguous run.
  auto rhsType = cast<MemRefType>(getRhs().getType());
  ArrayRef<AffineExpr> r = getRhsMap().getResults();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (r.size() < 2 || rhsType.getDimSize(rhsType.getRank() - 1) != 2 ||
      !isDimOrModOf(r.back(), 1, 2) || !isDimOrModOf(r[r.size() - 2], 2, 16) ||
      failed(rhsType.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || strides[strides.size() - 2] != 2)
    return emitOpError("rhs must be pair-packed: (k, n) -> (..., n, k mod 2) "
                       "with the last two box dimensions contiguous");
  return success();
}

LogicalResult DotReduceOp::verify() {
  // Vectors along k; a partial last vector is a masked load, so K is free.
  if (failed(verifyWideningVectorTile(*this)) ||
      failed(verifyRun(*this, "lhs", getLhs(), getLhsMap(), 1, getLanes())) ||
      failed(verifyRun(*this, "rhs", getRhs(), getRhsMap(), 1, getLanes())))
    return failure();
  return success();
}

LogicalResult ScalarFmaOp::verify() {
  if (failed(verifyTile(*this, /*f32Acc=*/false)))
    return failure();
  if (getSizes() != ArrayRef<int64_t>{1, 1, 1} || getLanes() != 0)
    return emitOpError("a scalar multiply-add has sizes [1, 1, 1] and 0 lanes");
  // Exactly what spec.matmul accumulates, each input on its own (the engine
  // may widen one of them to f32 by a copy and not the other).
  Type acc = elementType(getAcc());
  if (!spec::isValidAccumulation(elementType(getLhs()), acc) ||
      !spec::isValidAccumulation(elementType(getRhs()), acc))
    return emitOpError("cannot accumulate ")
           << elementType(getLhs()) << " * " << elementType(getRhs())
           << " into " << acc
           << " (as spec.matmul: a type into itself, bf16/f16 into f32, "
              "i8/i16 into i32)";
  return success();
}

/// Shared by copy and fill: sizes, the vector dimension and lanes.
static LogicalResult verifyRows(Operation *op, ArrayRef<int64_t> sizes,
                                int64_t lanes, int64_t dim) {
  if (sizes.empty() || llvm::any_of(sizes, [](int64_t s) { return s < 1; }))
    return op->emitOpError("sizes must be non-empty and positive");
  if (lanes < 0 || dim < 0 || dim >= int64_t(sizes.size()))
    return op->emitOpError("lanes must be >= 0 and `along` a dimension of "
                           "sizes");
  return success();
}

LogicalResult CopyOp::verify() {
  ArrayRef<int64_t> sizes = getSizes();
  if (failed(verifyRows(*this, sizes, getLanes(), getDim())) ||
      failed(verifyBox(*this, "src", getSrc(), getSrcMap(), sizes)) ||
      failed(verifyBox(*this, "dst", getDst(), getDstMap(), sizes)))
    return failure();
  Type from = elementType(getSrc()), to = elementType(getDst());
  bool widening = (to.isF32() && (from.isBF16() || from.isF16())) ||
                  (from.isSignlessInteger() && to.isSignlessInteger() &&
                   from.getIntOrFloatBitWidth() >= 8 &&
                   from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth());
  if (from != to && !widening)
    return emitOpError("copies ")
           << from << " to " << to
           << "; only equal types, bf16/f16 to f32 or a wider signless "
              "integer (from i8 up)";
  if (getLanes() > 0 && (failed(verifyRun(*this, "src", getSrc(), getSrcMap(),
                                          getDim(), getLanes())) ||
                         failed(verifyRun(*this, "dst", getDst(), getDstMap(),
                                          getDim(), getLanes()))))
    return failure();
  return success();
}

LogicalResult PackBf16PairsOp::verify() {
  ArrayRef<int64_t> sizes = getSizes();
  if (sizes.size() != 2 || sizes[0] != 2 || sizes[1] < 1)
    return emitOpError("sizes must be [2, N]");
  if (failed(verifyBox(*this, "src", getSrc(), getSrcMap(), sizes)) ||
      failed(verifyBox(*this, "dst", getDst(), getDstMap(), sizes)))
    return failure();
  if (!elementType(getSrc()).isBF16() || !elementType(getDst()).isBF16())
    return emitOpError("src and dst must be bf16");
  int64_t half = getLanes() / 2;
  if (getLanes() < 2 || getLanes() % 2 != 0)
    return emitOpError("lanes must be a positive even number");
  if (failed(verifyWholeVectorRun(*this, "src", getSrc(), getSrcMap(), sizes, 1,
                                  half)))
    return failure();
  auto dstType = cast<MemRefType>(getDst().getType());
  ArrayRef<AffineExpr> r = getDstMap().getResults();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (r.size() != 2 || !isDimOrModOf(r[1], 0, 2) || !isDimOrModOf(r[0], 1, 1) ||
      dstType.getDimSize(1) != 2 ||
      failed(dstType.getStridesAndOffset(strides, offset)) || strides[1] != 1 ||
      strides[0] != 2)
    return emitOpError("dst must be one contiguous run of (n, k) pairs");
  return success();
}

LogicalResult FillOp::verify() {
  ArrayRef<int64_t> sizes = getSizes();
  if (failed(verifyRows(*this, sizes, getLanes(), getDim())) ||
      failed(verifyBox(*this, "dst", getDst(), getDstMap(), sizes)))
    return failure();
  if (getValue().getType() != elementType(getDst()))
    return emitOpError("value type ")
           << getValue().getType() << " differs from the element type "
           << elementType(getDst());
  if (getLanes() > 0 && failed(verifyRun(*this, "dst", getDst(), getDstMap(),
                                         getDim(), getLanes())))
    return failure();
  return success();
}

LogicalResult ElementwiseOp::verify() {
  ArrayRef<int64_t> sizes = getSizes();
  std::optional<synth::ElementwiseFn> fn = synth::elementwiseFnNamed(getFn());
  if (!fn)
    return emitOpError("unknown function '") << getFn() << "'";
  unsigned arity = synth::arityOf(uint8_t(*fn));
  if (getInputs().size() != arity || getInputMaps().size() != arity)
    return emitOpError("'")
           << getFn() << "' takes " << arity << " inputs, each with a map";
  if (std::optional<StringRef> then = getEpilogue()) {
    std::optional<synth::ElementwiseFn> g = synth::elementwiseFnNamed(*then);
    if (!g || !synth::isEpilogue(uint8_t(*g)))
      return emitOpError("epilogue '")
             << *then << "' is not a function of one input";
  }
  if (failed(verifyRows(*this, sizes, getLanes(), getDim())) ||
      failed(verifyBox(*this, "out", getOut(), getOutMap(), sizes)))
    return failure();
  if (!elementType(getOut()).isF32())
    return emitOpError("out must be f32");
  for (auto [i, input, mapAttr] : llvm::enumerate(
           getInputs(), getInputMaps().getAsRange<AffineMapAttr>())) {
    std::string name = "input " + std::to_string(i);
    AffineMap map = mapAttr.getValue();
    if (failed(verifyBox(*this, name, input, map, sizes)))
      return failure();
    if (!isF32OrBf16(elementType(input)))
      return emitOpError() << name << " must be f32 or bf16";
    if (getLanes() > 0 && map.isFunctionOfDim(getDim()) &&
        failed(verifyRun(*this, name, input, map, getDim(), getLanes(),
                         /*gathered=*/true)))
      return failure();
  }
  if (getLanes() > 0 && failed(verifyRun(*this, "out", getOut(), getOutMap(),
                                         getDim(), getLanes())))
    return failure();
  return success();
}

LogicalResult ReduceOp::verify() {
  ArrayRef<int64_t> sizes = getSizes();
  if (!synth::reduceFnNamed(getFn()))
    return emitOpError("unknown reduction '") << getFn() << "'";
  if (failed(verifyRows(*this, sizes, getLanes(), getDim())) ||
      failed(verifyBox(*this, "x", getX(), getXMap(), sizes)) ||
      failed(verifyBox(*this, "out", getOut(), getOutMap(), sizes)))
    return failure();
  int64_t reduced = getReduced();
  if (reduced < 0 || reduced >= int64_t(sizes.size()) ||
      getOutMap().isFunctionOfDim(reduced))
    return emitOpError("reduced index must be one of sizes that out's map "
                       "does not use");
  if (!isF32OrBf16(elementType(getX())) || !elementType(getOut()).isF32())
    return emitOpError("x must be f32 or bf16 and out f32");
  if (getLanes() > 0 &&
      (failed(verifyRun(*this, "x", getX(), getXMap(), getDim(), getLanes())) ||
       (int64_t(getDim()) != reduced &&
        failed(verifyRun(*this, "out", getOut(), getOutMap(), getDim(),
                         getLanes())))))
    return failure();
  return success();
}

#define GET_OP_CLASSES
#include "tessel/Dialect/Ukernel/IR/UkernelOps.cpp.inc"

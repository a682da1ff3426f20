//===- Elementwise.cpp - Elementwise ops and reductions to vectors --------===//
//
// elementwise (vectors along the output's contiguous dim; inputs strided
// there are gathered) and reduce. exp and erf (in GELU) are expanded here;
// tanh stays a math op, which the pass expands into upstream's polynomial
// afterwards.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "tessel/Conversion/UkernelToVector/UkernelToVector.h"

#include "tessel/Synthesis/Elementwise.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::ukernel;

namespace {

/// Whether `box`'s innermost dimension is strided (its elements apart in
/// memory: a strided convolution's image columns).
bool isStridedRun(Value box) {
  auto type = cast<MemRefType>(box.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  return type.getRank() > 0 &&
         succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() != 1;
}

/// At stride 2: the two vectors of the same memory read contiguously (a
/// view of the box's memory with unit stride), and their even lanes (one
/// two-source permute). Lanes past the box's end are zeros.
Value gatherEvenLanes(OpBuilder &b, Location loc, VectorType type, Value box,
                      ValueRange idx) {
  auto boxType = cast<MemRefType>(box.getType());
  int64_t lanes = type.getNumElements(), extent = boxType.getShape().back();
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, box);
  int64_t unitExtent = 2 * extent - 1;
  SmallVector<int64_t> shape(boxType.getShape());
  shape.back() = unitExtent;
  SmallVector<OpFoldResult> sizes =
                                getAsIndexOpFoldResult(b.getContext(), shape),
                            strides = getAsOpFoldResult(meta.getStrides());
  strides.back() = b.getIndexAttr(1);
  SmallVector<int64_t> staticStrides(boxType.getRank(), ShapedType::kDynamic);
  staticStrides.back() = 1;
  auto unitType =
      MemRefType::get(shape, boxType.getElementType(),
                      StridedLayoutAttr::get(
                          b.getContext(), ShapedType::kDynamic, staticStrides));
  Value unit = memref::ReinterpretCastOp::create(
      b, loc, unitType, meta.getBaseBuffer(),
      getAsOpFoldResult(meta.getOffset()), sizes, strides);
  // Element `first` + i of the unit view for i < lanes, masked to its end
  // (a dynamic start covers whole outputs, but its second vector may reach
  // one element past the last one read).
  auto load = [&](Value first) -> Value {
    SmallVector<Value> where(idx);
    where.back() = first;
    Value left = arith::SubIOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, unitExtent), first);
    Value count = arith::MinSIOp::create(
        b, loc, left, arith::ConstantIndexOp::create(b, loc, lanes));
    Value mask = vector::CreateMaskOp::create(
        b, loc, VectorType::get({lanes}, b.getI1Type()), count);
    Value zeros = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(type, b.getZeroAttr(type.getElementType())));
    return vector::MaskedLoadOp::create(b, loc, type, unit, where, mask, zeros);
  };
  Value first = arith::MulIOp::create(
      b, loc, idx.back(), arith::ConstantIndexOp::create(b, loc, 2));
  Value low = load(first);
  Value high = load(arith::AddIOp::create(
      b, loc, first, arith::ConstantIndexOp::create(b, loc, lanes)));
  SmallVector<int64_t> even;
  for (int64_t i = 0; i < lanes; ++i)
    even.push_back(2 * i);
  return vector::ShuffleOp::create(b, loc, low, high, even);
}

/// `type`'s lanes from `idx` on along `box`'s strided innermost dimension
/// (zeros past the box's end): at stride 2 from contiguous loads, else
/// element by element.
Value gatherVector(OpBuilder &b, Location loc, VectorType type, Value box,
                   ValueRange idx) {
  auto boxType = cast<MemRefType>(box.getType());
  SmallVector<int64_t> boxStrides;
  int64_t boxOffset;
  if (succeeded(boxType.getStridesAndOffset(boxStrides, boxOffset)) &&
      boxStrides.back() == 2)
    return gatherEvenLanes(b, loc, type, box, idx);
  int64_t extent = boxType.getShape().back();
  std::optional<int64_t> at = getConstantIntValue(idx.back());
  SmallVector<Value> elements;
  SmallVector<Value> where(idx);
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    if (at && *at + i >= extent) {
      elements.push_back(arith::ConstantOp::create(
          b, loc, b.getZeroAttr(type.getElementType())));
      continue;
    }
    where.back() = arith::AddIOp::create(
        b, loc, idx.back(), arith::ConstantIndexOp::create(b, loc, i));
    elements.push_back(memref::LoadOp::create(b, loc, box, where));
  }
  return vector::FromElementsOp::create(b, loc, type, elements);
}

/// `v` as an f32 constant of `type` (f32, or a vector of f32).
Value f32Constant(OpBuilder &b, Location loc, Type type, float v) {
  TypedAttr attr = b.getF32FloatAttr(v);
  if (auto vector = dyn_cast<VectorType>(type))
    attr = DenseElementsAttr::get(vector, attr);
  return arith::ConstantOp::create(b, loc, attr);
}

/// `x`, `bound` where `x` is `beyond` it: one vminps (OGT) or vmaxps (OLT).
/// The comparison is ordered, so a NaN `x` passes and a NaN `bound` is
/// never taken.
Value clampPast(OpBuilder &b, Location loc, Value x,
                arith::CmpFPredicate beyond, Value bound) {
  Value past = arith::CmpFOp::create(b, loc, beyond, x, bound);
  return arith::SelectOp::create(b, loc, past, bound, x);
}
Value clampPast(OpBuilder &b, Location loc, Value x,
                arith::CmpFPredicate beyond, float limit) {
  return clampPast(b, loc, x, beyond, f32Constant(b, loc, x.getType(), limit));
}

/// The sum of coefficients[i] t^i, by Horner's rule in fmas.
Value polynomial(OpBuilder &b, Location loc, Value t,
                 ArrayRef<float> coefficients) {
  Type type = t.getType();
  Value acc = f32Constant(b, loc, type, coefficients.back());
  for (float k : llvm::reverse(coefficients.drop_back()))
    acc = math::FmaOp::create(b, loc, acc, t, f32Constant(b, loc, type, k));
  return acc;
}

/// A constant of `type`'s shape (scalar or vector) with i32 elements.
Value i32Constant(OpBuilder &b, Location loc, Type type, int32_t v) {
  Type i32 = b.getI32Type();
  TypedAttr attr = b.getI32IntegerAttr(v);
  if (auto vector = dyn_cast<VectorType>(type))
    attr = DenseElementsAttr::get(vector.clone(i32), attr);
  return arith::ConstantOp::create(b, loc, attr);
}

/// e^x of f32 scalars or vectors: x = k ln2 + r with k = round(x / ln2)
/// (ln2 in two parts, Cody and Waite, so that r is nearly exact), e^r by its
/// Taylor series to r^7 (|r| <= ln2/2: truncation below 2^-23 relative),
/// times 2^k. x is first clamped to [-104, 89], beyond which e^x rounds to
/// 0 or overflows; NaN passes. On AVX-512, 16 lanes take 2^k from
/// vscalefps. Elsewhere 2^k is two powers of two built in the exponent
/// field, 2^(k>>1) and 2^(k-(k>>1)), each normal for every k here: the
/// first product is exact, so the second alone rounds, and subnormal
/// results and overflow come out correctly rounded without selects.
Value exp(OpBuilder &b, Location loc, Value x, bool avx512) {
  Type type = x.getType();
  auto vector = dyn_cast<VectorType>(type);
  assert(getElementTypeOrSelf(type).isF32() && "exp of f32 only");
  auto c = [&](float v) { return f32Constant(b, loc, type, v); };
  x = clampPast(b, loc, x, arith::CmpFPredicate::OGT, 89.0f);
  x = clampPast(b, loc, x, arith::CmpFPredicate::OLT, -104.0f);
  // Adding 1.5 * 2^23 rounds x / ln2 to an integer (to nearest even) and
  // leaves it in the low mantissa bits, defined even for NaN (where a
  // conversion to int would be poison).
  const float shifter = 0x1.8p23f;
  Value shifterValue = c(shifter);
  Value shifted = arith::AddFOp::create(
      b, loc, arith::MulFOp::create(b, loc, x, c(float(M_LOG2E))),
      shifterValue);
  Value k = arith::SubFOp::create(b, loc, shifted, shifterValue);
  Value r = math::FmaOp::create(b, loc, k, c(-0x1.62e4p-1f), x);
  r = math::FmaOp::create(b, loc, k, c(-0x1.7f7d1cp-20f), r);
  Value p = polynomial(b, loc, r,
                       {1.0f, 1.0f, 1.0f / 2, 1.0f / 6, 1.0f / 24, 1.0f / 120,
                        1.0f / 720, 1.0f / 5040});
  if (avx512 && vector && vector.getShape() == ArrayRef<int64_t>{16}) {
    Value allLanes = arith::ConstantIntOp::create(b, loc, b.getI16Type(), -1);
    Value currentRounding =
        arith::ConstantIntOp::create(b, loc, b.getI32Type(), 4);
    // The op's operands are the intrinsic's in order (a, b, passthrough):
    // p * 2^k, every lane.
    return x86vector::MaskScaleFOp::create(b, loc, vector, p, k, p, allLanes,
                                           currentRounding);
  }
  Type i32 = vector ? Type(vector.clone(b.getI32Type())) : b.getI32Type();
  auto ci = [&](int32_t v) { return i32Constant(b, loc, type, v); };
  Value kInt = arith::SubIOp::create(
      b, loc, arith::BitcastOp::create(b, loc, i32, shifted),
      ci(llvm::bit_cast<int32_t>(shifter)));
  Value kHalf = arith::ShRSIOp::create(b, loc, kInt, ci(1));
  auto powerOfTwo = [&](Value e) -> Value {
    Value bits = arith::ShLIOp::create(
        b, loc, arith::AddIOp::create(b, loc, e, ci(127)), ci(23));
    return arith::BitcastOp::create(b, loc, type, bits);
  };
  Value scaled = arith::MulFOp::create(b, loc, p, powerOfTwo(kHalf));
  return arith::MulFOp::create(
      b, loc, scaled, powerOfTwo(arith::SubIOp::create(b, loc, kInt, kHalf)));
}

/// GELU, x (1 + erf(x / sqrt 2)) / 2, of f32 scalars or vectors. erf(y) is
/// y P(y^2) / Q(y^2) on [-3.92, 3.92] (beyond, erf rounds to +-1 in f32),
/// with P of degree 6 and Q of degree 4 in y^2: a weighted least-squares
/// rational fit made for Tessel (4.5e-8 from erf in exact arithmetic). The
/// scalings fold into the coefficients: with z = x clamped to
/// +-3.92 sqrt 2, erf(x / sqrt 2) / 2 = z P~(z^2) / Q~(z^2), where P~ has
/// coefficients p_i / (2^i 2 sqrt 2) and Q~ q_i / 2^i, so the function is
/// x max(0, 1/2 + z P~ / Q~): 13 multiplies and FMAs a vector, the
/// divisions in their own unit (measured within 3.5 u of the magnitude
/// |x| (1 + |erf|) / 2 on [-8, 8] and [-100, 100]). The max keeps erf's
/// rounding past -1 from flipping the far negative tail's sign; NaN passes both
/// clamps.
Value gelu(OpBuilder &b, Location loc, Value x) {
  static constexpr double p[] = {0x1.20dd6ep+0, 0x1.a6476cp-3,  0x1.a5226ep-5,
                                 0x1.0494fap-8, 0x1.389a9ap-13, -0x1.0bb264p-19,
                                 0x1.56313ap-26};
  static constexpr double q[] = {0x1p+0, 0x1.08391cp-1, 0x1.e1ad1ap-4,
                                 0x1.e81ce2p-7, 0x1.0cabcep-10};
  SmallVector<float> pz, qz;
  for (auto [i, c] : llvm::enumerate(p))
    pz.push_back(float(std::ldexp(c, -int(i)) * M_SQRT1_2 / 2));
  for (auto [i, c] : llvm::enumerate(q))
    qz.push_back(float(std::ldexp(c, -int(i))));
  float limit = float(3.92 * M_SQRT2);
  Value z = clampPast(b, loc, x, arith::CmpFPredicate::OGT, limit);
  z = clampPast(b, loc, z, arith::CmpFPredicate::OLT, -limit);
  Value t = arith::MulFOp::create(b, loc, z, z);
  Value numerator = arith::MulFOp::create(b, loc, z, polynomial(b, loc, t, pz));
  Value half =
      arith::DivFOp::create(b, loc, numerator, polynomial(b, loc, t, qz));
  Value phi = arith::AddFOp::create(
      b, loc, f32Constant(b, loc, x.getType(), 0.5f), half);
  phi = clampPast(b, loc, phi, arith::CmpFPredicate::OLT, 0);
  return arith::MulFOp::create(b, loc, x, phi);
}

/// `fn` of f32 scalars or vectors. tanh stays a math op here; the pass
/// expands it into upstream's polynomial afterwards.
Value applyFn(OpBuilder &b, Location loc, synth::ElementwiseFn fn,
              ValueRange args, bool avx512) {
  using Fn = synth::ElementwiseFn;
  Type type = args[0].getType();
  auto c = [&](double v) { return f32Constant(b, loc, type, float(v)); };
  auto add = [&](Value x, Value y) -> Value {
    return arith::AddFOp::create(b, loc, x, y);
  };
  auto mul = [&](Value x, Value y) -> Value {
    return arith::MulFOp::create(b, loc, x, y);
  };
  Value x = args[0];
  switch (fn) {
  case Fn::Add:
    return add(x, args[1]);
  case Fn::Sub:
    return arith::SubFOp::create(b, loc, x, args[1]);
  case Fn::Mul:
    return mul(x, args[1]);
  case Fn::Div:
    return arith::DivFOp::create(b, loc, x, args[1]);
  // As the reference: y where y is greater (less), else x (of equal zeros,
  // x), NaN if either is. clampPast keeps x's NaN; y's takes a second
  // select. (maximumf's own lowering is six instructions.)
  case Fn::Max:
  case Fn::Min: {
    Value y = args[1];
    Value r = clampPast(b, loc, x,
                        fn == Fn::Max ? arith::CmpFPredicate::OLT
                                      : arith::CmpFPredicate::OGT,
                        y);
    Value yIsNaN =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, y, y);
    return arith::SelectOp::create(b, loc, yIsNaN, y, r);
  }
  case Fn::Relu: // 0 where x < 0, else x (NaN and -0 pass)
    return clampPast(b, loc, x, arith::CmpFPredicate::OLT, 0.0f);
  case Fn::Neg:
    return arith::NegFOp::create(b, loc, x);
  case Fn::Abs:
    return math::AbsFOp::create(b, loc, x);
  case Fn::Exp:
    return exp(b, loc, x, avx512);
  case Fn::Reciprocal:
    return arith::DivFOp::create(b, loc, c(1), x);
  case Fn::Broadcast:
    return x;
  case Fn::Tanh:
    return math::TanhOp::create(b, loc, x);
  case Fn::Sigmoid: {
    // 1 / (1 + exp(-x)): exp overflows to +inf for very negative x, giving 0.
    Value e = exp(b, loc, arith::NegFOp::create(b, loc, x), avx512);
    return arith::DivFOp::create(b, loc, c(1), add(c(1), e));
  }
  case Fn::Gelu:
    return gelu(b, loc, x);
  case Fn::MulAdd:
    return math::FmaOp::create(b, loc, x, args[1], args[2]);
  case Fn::GeluTanh: {
    Value cube = mul(mul(x, x), x);
    Value inner = mul(c(0.7978845608028654), add(x, mul(c(0.044715), cube)));
    Value t = math::TanhOp::create(b, loc, inner);
    return mul(mul(c(0.5), x), add(c(1), t));
  }
  }
  llvm_unreachable("bad elementwise function");
}

/// What every point of an elementwise op computes.
struct ElementwiseBody {
  ElementwiseBody(ElementwiseOp op, bool avx512)
      : op(op), avx512(avx512), lanes(op.getLanes()), dim(op.getDim()),
        fn(*synth::elementwiseFnNamed(op.getFn())),
        maps(
            llvm::map_to_vector(op.getInputMaps().getAsRange<AffineMapAttr>(),
                                [](AffineMapAttr m) { return m.getValue(); })) {
    if (std::optional<StringRef> then = op.getEpilogue())
      epilogue = synth::elementwiseFnNamed(*then);
  }

  /// fn (then the epilogue) of the inputs at `point`: a vector of `lanes`
  /// along `dim` (its loads masked by `mask` when given, else past the
  /// box's end), or a scalar without lanes.
  Value at(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> point,
           Value mask = {}) const {
    Type f32 = b.getF32Type();
    auto f32Vector = VectorType::get({lanes ? lanes : 1}, f32);
    SmallVector<Value> args;
    for (auto [input, map] : llvm::zip(op.getInputs(), maps)) {
      SmallVector<Value> idx = indices(b, loc, map, point);
      if (lanes && map.isFunctionOfDim(dim)) {
        auto type = VectorType::get({lanes}, elementType(input));
        Value v;
        if (mask)
          v = vector::MaskedLoadOp::create(
              b, loc, type, input, idx, mask,
              arith::ConstantOp::create(
                  b, loc,
                  DenseElementsAttr::get(
                      type, b.getZeroAttr(type.getElementType()))));
        else if (isStridedRun(input))
          v = gatherVector(b, loc, type, input, idx);
        else
          v = loadVector(b, loc, type, input, idx);
        args.push_back(widen(b, loc, v, f32Vector));
        continue;
      }
      // One element (broadcast along the vectors, or scalar code).
      Value v = widen(b, loc, memref::LoadOp::create(b, loc, input, idx), f32);
      args.push_back(lanes ? vector::BroadcastOp::create(b, loc, f32Vector, v)
                           : v);
    }
    Value result = applyFn(b, loc, fn, args, avx512);
    if (epilogue)
      result = applyFn(b, loc, *epilogue, result, avx512);
    return result;
  }

  /// Every point, stored with ordinary stores.
  void emit(OpBuilder &b, Location loc) const {
    forEachPoint(b, loc, op.getSizes(), dim, lanes ? lanes : 1,
                 [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
                   storeVector(nb, loc, at(nb, loc, point), op.getOut(),
                               indices(nb, loc, op.getOutMap(), point));
                 });
  }

  mutable ElementwiseOp op; // op accessors are not const
  bool avx512;
  int64_t lanes;
  unsigned dim;
  synth::ElementwiseFn fn;
  std::optional<synth::ElementwiseFn> epilogue;
  SmallVector<AffineMap> maps;
};

/// Streaming stores go out a whole cache line at a time: a part line
/// written so costs a partial write-combining flush and a read.
constexpr int64_t kLineElements = 64 / 4;

/// Whether `op`'s output can take streaming stores: vector rows of at least
/// two lines along the output's innermost box dimension, contiguous, as
/// are the inputs that run along it (the others broadcast), in vectors
/// that tile a line.
bool canStream(ElementwiseOp op) {
  int64_t lanes = op.getLanes();
  unsigned dim = op.getDim();
  auto runsAlongDim = [&](Value box, AffineMap map) {
    auto type = cast<MemRefType>(box.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    return type.getRank() > 0 &&
           succeeded(type.getStridesAndOffset(strides, offset)) &&
           strides.back() == 1 &&
           map.getResults().back() == getAffineDimExpr(dim, op.getContext()) &&
           llvm::count_if(map.getResults(), [&](AffineExpr e) {
             return e.isFunctionOfDim(dim);
           }) == 1;
  };
  if (!op.getStreaming() || lanes <= 0 || kLineElements % lanes ||
      op.getSizes()[dim] < 2 * kLineElements ||
      !runsAlongDim(op.getOut(), op.getOutMap()))
    return false;
  for (auto [input, map] : llvm::zip(
           op.getInputs(), op.getInputMaps().getAsValueRange<AffineMapAttr>()))
    if (map.isFunctionOfDim(dim) && !runsAlongDim(input, map))
      return false;
  return true;
}

/// Streaming stores are weakly ordered: an sfence where this thread's part
/// of the work ends (the body of the parallel loop around `at`), else
/// before its function returns, makes them visible to whoever reads the
/// output next. One a scope, however many kernels stream in it.
void fenceAtScopeEnd(Operation *at, PatternRewriter &b) {
  constexpr StringLiteral sfence = "llvm.x86.sse.sfence";
  Operation *scope = at->getParentOp();
  while (scope &&
         !isa<scf::ForallOp, scf::ParallelOp, FunctionOpInterface>(scope))
    scope = scope->getParentOp();
  SmallVector<Operation *> ends;
  if (scope && isa<scf::ForallOp, scf::ParallelOp>(scope))
    ends.push_back(scope->getRegion(0).front().getTerminator());
  else if (scope)
    for (Block &block : scope->getRegion(0))
      if (!block.empty() && block.back().hasTrait<OpTrait::ReturnLike>())
        ends.push_back(&block.back());
  OpBuilder::InsertionGuard guard(b);
  auto fence = [&] {
    LLVM::CallIntrinsicOp::create(b, at->getLoc(), b.getStringAttr(sfence),
                                  ValueRange{});
  };
  if (ends.empty()) { // no scope it could tell: right after the stores
    b.setInsertionPointAfter(at);
    fence();
    return;
  }
  for (Operation *end : ends) {
    auto previous = dyn_cast_or_null<LLVM::CallIntrinsicOp>(end->getPrevNode());
    if (previous && previous.getIntrin() == sfence)
      continue;
    b.setInsertionPoint(end);
    fence();
  }
}

/// `op` with streaming stores. Each row along `dim` is a masked head up to
/// the first cache line boundary, whole lines of vectors stored
/// non-temporally at their alignment, and a masked tail; then
/// fenceAtScopeEnd. A base that is not element-aligned (no aligned vector
/// exists) takes the ordinary code.
void lowerStreamed(const ElementwiseBody &body, PatternRewriter &b) {
  ElementwiseOp op = body.op;
  Location loc = op.getLoc();
  int64_t lanes = body.lanes, n = op.getSizes()[body.dim];
  constexpr int64_t elementBytes = 4, lineBytes = kLineElements * elementBytes;
  auto c = [&](OpBuilder &nb, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(nb, loc, v);
  };
  Value out = op.getOut();
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, out);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, out);
  Value misaligned = arith::RemUIOp::create(b, loc, base, c(b, elementBytes));
  Value aligned = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        misaligned, c(b, 0));
  auto branch = scf::IfOp::create(b, loc, aligned, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(branch.elseBlock()->getTerminator());
  body.emit(b, loc);

  b.setInsertionPoint(branch.thenBlock()->getTerminator());
  SmallVector<int64_t> rows(op.getSizes());
  rows[body.dim] = 1;
  forEachPoint(
      b, loc, rows, body.dim, 1,
      [&](OpBuilder &nb, ArrayRef<OpFoldResult> row) {
        SmallVector<OpFoldResult> point(row);
        auto storeAt = [&](OpBuilder &sb, Value column, Value mask) {
          point[body.dim] = column;
          Value result = body.at(sb, loc, point, mask);
          SmallVector<Value> idx = indices(sb, loc, op.getOutMap(), point);
          if (mask)
            vector::MaskedStoreOp::create(sb, loc, out, idx, mask, result);
          else
            vector::StoreOp::create(sb, loc, result, out, idx,
                                    /*nontemporal=*/true,
                                    llvm::MaybeAlign(lanes * elementBytes));
        };
        // `count` (below a line) elements from `column` on, in vectors
        // masked to them.
        auto storePart = [&](Value column, Value count) {
          for (int64_t k = 0; k < kLineElements; k += lanes) {
            Value left = arith::SubIOp::create(nb, loc, count, c(nb, k));
            Value mask = vector::CreateMaskOp::create(
                nb, loc, VectorType::get({lanes}, nb.getI1Type()), left);
            storeAt(nb, arith::AddIOp::create(nb, loc, column, c(nb, k)), mask);
          }
        };
        // The elements before the row's first line boundary.
        point[body.dim] = nb.getIndexAttr(0);
        Value first = meta.getOffset();
        for (auto [i, index] :
             llvm::enumerate(indices(nb, loc, op.getOutMap(), point)))
          first = arith::AddIOp::create(
              nb, loc, first,
              arith::MulIOp::create(nb, loc, index, meta.getStrides()[i]));
        Value address = arith::AddIOp::create(
            nb, loc, base,
            arith::MulIOp::create(nb, loc, first, c(nb, elementBytes)));
        Value toBoundary = arith::SubIOp::create(
            nb, loc, c(nb, lineBytes),
            arith::RemUIOp::create(nb, loc, address, c(nb, lineBytes)));
        Value head = arith::DivUIOp::create(
            nb, loc,
            arith::RemUIOp::create(nb, loc, toBoundary, c(nb, lineBytes)),
            c(nb, elementBytes));
        // n >= 2 lines, so the head (< 1 line) leaves at least one line.
        Value lines = arith::DivUIOp::create(
            nb, loc, arith::SubIOp::create(nb, loc, c(nb, n), head),
            c(nb, kLineElements));
        Value end = arith::AddIOp::create(
            nb, loc, head,
            arith::MulIOp::create(nb, loc, lines, c(nb, kLineElements)));
        storePart(c(nb, 0), head);
        scf::ForOp::create(nb, loc, head, end, c(nb, lanes), ValueRange{},
                           [&](OpBuilder &lb, Location, Value j, ValueRange) {
                             storeAt(lb, j, Value());
                             scf::YieldOp::create(lb, loc);
                           });
        storePart(end, arith::SubIOp::create(nb, loc, c(nb, n), end));
      });
  fenceAtScopeEnd(branch, b);
}

void lower(ElementwiseOp op, PatternRewriter &b, bool avx512) {
  b.setInsertionPoint(op);
  ElementwiseBody body(op, avx512);
  if (canStream(op))
    lowerStreamed(body, b);
  else
    body.emit(b, op.getLoc());
  b.eraseOp(op);
}

/// Independent accumulators a reduction keeps, so that consecutive steps do
/// not wait on one another's combine (an add's latency is four times its
/// issue rate).
constexpr int64_t kAccumulators = 4;

/// What a reduction carries: its accumulator, and for a maximum or minimum
/// the lanes that have seen a NaN (the compare-and-select that combines them
/// drops a NaN of x; NaN-propagating maximumf is several dependent
/// instructions on x86, which bound the loop by their latency).
using Carried = SmallVector<Value, 2>;

/// Folds `body` over `count` indices in steps of `step`: step i combines into
/// accumulator i mod n (n at most kAccumulators, the first starting at `init`,
/// the others at `identity`), merged at the end by `merge`. An scf.for
/// carries them over the whole rounds when there are many; the rest, and the
/// partial last step (at a constant index, so its loads can be masked), are
/// unrolled.
Carried
foldSteps(OpBuilder &b, Location loc, int64_t count, int64_t step,
          const Carried &init, const Carried &identity,
          function_ref<Carried(OpBuilder &, OpFoldResult, Carried)> body,
          function_ref<Carried(OpBuilder &, Carried, Carried)> merge) {
  int64_t steps = llvm::divideCeil(count, step);
  int64_t n = std::clamp<int64_t>(steps, 1, kAccumulators);
  size_t width = init.size();
  SmallVector<Carried> accs(n, identity);
  accs[0] = init;
  int64_t round = n * step, whole = count / round * round, start = 0;
  if (whole / round > 2) {
    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v).getResult();
    };
    SmallVector<Value> flat;
    for (const Carried &acc : accs)
      flat.append(acc.begin(), acc.end());
    auto loop = scf::ForOp::create(
        b, loc, c(0), c(whole), c(round), flat,
        [&](OpBuilder &nb, Location, Value iv, ValueRange args) {
          SmallVector<Value> next;
          for (int64_t i = 0; i < n; ++i) {
            Value at = iv;
            if (i)
              at = arith::AddIOp::create(
                  nb, loc, iv,
                  arith::ConstantIndexOp::create(nb, loc, i * step));
            Carried acc(args.slice(i * width, width));
            llvm::append_range(next, body(nb, at, acc));
          }
          scf::YieldOp::create(nb, loc, next);
        });
    for (int64_t i = 0; i < n; ++i)
      accs[i] = Carried(loop.getResults().slice(i * width, width));
    start = whole;
  }
  for (int64_t i = start; i < count; i += step) {
    Carried &acc = accs[(i - start) / step % n];
    acc = body(b, b.getIndexAttr(i), acc);
  }
  // Pairwise, so the merges too are independent.
  for (int64_t w = 1; w < n; w *= 2)
    for (int64_t i = 0; i + w < n; i += 2 * w)
      accs[i] = merge(b, accs[i], accs[i + w]);
  return accs[0];
}

void lower(ReduceOp op, PatternRewriter &b) {
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  int64_t lanes = op.getLanes(), reduced = op.getReduced();
  unsigned dim = op.getDim();
  synth::ReduceFn fn = *synth::reduceFnNamed(op.getFn());
  bool isMax = fn == synth::ReduceFn::Max, isMin = fn == synth::ReduceFn::Min;
  Type f32 = b.getF32Type(), xType = elementType(op.getX());
  auto identity = [&](Type t) -> TypedAttr {
    const llvm::fltSemantics &sem = cast<FloatType>(t).getFloatSemantics();
    if (isMax || isMin)
      return FloatAttr::get(t, APFloat::getInf(sem, /*Negative=*/isMax));
    // -0: the sum of -0s stays -0 (+0 would turn it into +0).
    return FloatAttr::get(t, APFloat::getZero(sem, /*Negative=*/true));
  };
  // NaN-propagating: where a step ends and the result is stored.
  auto combine = [&](OpBuilder &nb, Value acc, Value v) -> Value {
    if (isMax)
      return arith::MaximumFOp::create(nb, loc, acc, v);
    if (isMin)
      return arith::MinimumFOp::create(nb, loc, acc, v);
    return arith::AddFOp::create(nb, loc, acc, v);
  };
  ArrayRef<int64_t> sizes = op.getSizes();
  SmallVector<int64_t> outer(sizes);
  outer[reduced] = 1;
  auto at = [&](ArrayRef<OpFoldResult> point, OpFoldResult r) {
    SmallVector<OpFoldResult> p(point);
    p[reduced] = r;
    return p;
  };
  if (!lanes) {
    forEachPoint(
        b, loc, sizes, 0, 1, [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
          Value x = widen(
              nb, loc,
              memref::LoadOp::create(nb, loc, op.getX(),
                                     indices(nb, loc, op.getXMap(), point)),
              f32);
          SmallVector<Value> o = indices(nb, loc, op.getOutMap(), point);
          Value acc = memref::LoadOp::create(nb, loc, op.getOut(), o);
          memref::StoreOp::create(nb, loc, combine(nb, acc, x), op.getOut(), o);
        });
    b.eraseOp(op);
    return;
  }
  auto xVector = VectorType::get({lanes}, xType);
  auto f32Vector = VectorType::get({lanes}, f32);
  auto maskVector = VectorType::get({lanes}, b.getI1Type());
  auto loadX = [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
    Value v =
        loadVector(nb, loc, xVector, op.getX(),
                   indices(nb, loc, op.getXMap(), point), identity(xType));
    return widen(nb, loc, v, f32Vector);
  };
  // Vector steps. A maximum (minimum) takes x where acc < x (acc > x), one
  // vmaxps (vminps), and ORs in the lanes where x is NaN; a NaN
  // accumulator stays (NaN < x is false). Of a zero result the sign is
  // either (the reference keeps the first of equal zeros; they compare
  // equal).
  bool tracksNaN = isMax || isMin;
  auto nan = FloatAttr::get(
      f32, APFloat::getQNaN(cast<FloatType>(f32).getFloatSemantics()));
  auto carried = [&](OpBuilder &nb, Value acc) -> Carried {
    if (!tracksNaN)
      return {acc};
    return {acc, arith::ConstantOp::create(
                     nb, loc, DenseElementsAttr::get(maskVector, false))};
  };
  auto step = [&](OpBuilder &nb, Carried acc, Value x) -> Carried {
    if (!tracksNaN)
      return {combine(nb, acc[0], x)};
    Value xIsNaN =
        arith::CmpFOp::create(nb, loc, arith::CmpFPredicate::UNO, x, x);
    return {
        clampPast(nb, loc, acc[0],
                  isMax ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT,
                  x),
        arith::OrIOp::create(nb, loc, acc[1], xIsNaN)};
  };
  // Accumulators merge as steps do (a NaN in an accumulator comes from
  // out's initial value, kept by the first operand or marked by the
  // second's).
  auto merge = [&](OpBuilder &nb, Carried a, Carried c) -> Carried {
    if (!tracksNaN)
      return {combine(nb, a[0], c[0])};
    Carried merged = step(nb, a, c[0]);
    merged[1] = arith::OrIOp::create(nb, loc, merged[1], c[1]);
    return merged;
  };
  // The accumulator, NaN in the lanes that saw one.
  auto result = [&](OpBuilder &nb, const Carried &acc) -> Value {
    if (!tracksNaN)
      return acc[0];
    return arith::SelectOp::create(
        nb, loc, acc[1],
        arith::ConstantOp::create(nb, loc,
                                  DenseElementsAttr::get(f32Vector, nan)),
        acc[0]);
  };
  if (dim == reduced) {
    // Per-lane accumulators along the row, then across the lanes.
    forEachPoint(
        b, loc, outer, dim, 1, [&](OpBuilder &nb, ArrayRef<OpFoldResult> p) {
          Value init = arith::ConstantOp::create(
              nb, loc, DenseElementsAttr::get(f32Vector, identity(f32)));
          Carried acc = foldSteps(
              nb, loc, sizes[reduced], lanes, carried(nb, init),
              carried(nb, init),
              [&](OpBuilder &lb, OpFoldResult r, Carried a) {
                return step(lb, a, loadX(lb, at(p, r)));
              },
              merge);
          Value total;
          if (!tracksNaN) {
            total = vector::ReductionOp::create(
                nb, loc, vector::CombiningKind::ADD, acc[0]);
          } else {
            // The lanes hold no NaN (they start at the identity and a NaN
            // x is never kept), so the reduction across them need not
            // look for one; whether any lane saw one is an OR of the mask.
            total = vector::ReductionOp::create(
                nb, loc,
                isMax ? vector::CombiningKind::MAXIMUMF
                      : vector::CombiningKind::MINIMUMF,
                acc[0], /*acc=*/Value(),
                arith::FastMathFlags::nnan | arith::FastMathFlags::nsz);
            Value sawNaN = vector::ReductionOp::create(
                nb, loc, vector::CombiningKind::OR, acc[1]);
            total = arith::SelectOp::create(
                nb, loc, sawNaN, arith::ConstantOp::create(nb, loc, nan),
                total);
          }
          SmallVector<Value> o = indices(nb, loc, op.getOutMap(), p);
          Value old = memref::LoadOp::create(nb, loc, op.getOut(), o);
          memref::StoreOp::create(nb, loc, combine(nb, old, total), op.getOut(),
                                  o);
        });
  } else {
    // out's row accumulates x's rows.
    forEachPoint(b, loc, outer, dim, lanes,
                 [&](OpBuilder &nb, ArrayRef<OpFoldResult> p) {
                   SmallVector<Value> o = indices(nb, loc, op.getOutMap(), p);
                   Value init = loadVector(nb, loc, f32Vector, op.getOut(), o);
                   Value identityVector = arith::ConstantOp::create(
                       nb, loc,
                       DenseElementsAttr::get(f32Vector, identity(f32)));
                   Carried acc = foldSteps(
                       nb, loc, sizes[reduced], 1, carried(nb, init),
                       carried(nb, identityVector),
                       [&](OpBuilder &lb, OpFoldResult r, Carried a) {
                         return step(lb, a, loadX(lb, at(p, r)));
                       },
                       merge);
                   storeVector(nb, loc, result(nb, acc), op.getOut(), o);
                 });
  }
  b.eraseOp(op);
}

} // namespace

namespace {
struct LowerElementwise : OpRewritePattern<ElementwiseOp> {
  LowerElementwise(MLIRContext *ctx, bool avx512)
      : OpRewritePattern(ctx), avx512(avx512) {}
  LogicalResult matchAndRewrite(ElementwiseOp op,
                                PatternRewriter &rewriter) const override {
    lower(op, rewriter, avx512);
    return success();
  }
  bool avx512;
};
} // namespace

void tessel::populateUkernelElementwiseToVectorPatterns(
    RewritePatternSet &patterns, bool avx512) {
  patterns.add<LowerElementwise>(patterns.getContext(), avx512);
  patterns.add<LowerKernel<ReduceOp, lower>>(patterns.getContext());
}

//===- UkernelToVector.cpp - --tessel-lower-microkernels ------------------===//
//
// Expands each ukernel op into vector code. Register tiles are unrolled with
// constant indices; accumulators are SSA values carried through the k loop,
// so they live in vector registers whatever the surrounding code does.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"

#include "tessel/Synthesis/Elementwise.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

namespace tessel {
#define GEN_PASS_DEF_TESSELLOWERMICROKERNELS
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::ukernel;

namespace {

/// Copies and fills up to this many vectors are unrolled completely.
constexpr int64_t kMaxUnrolled = 64;

/// The box indices of logical `point` under `map`.
SmallVector<Value> indices(OpBuilder &b, Location loc, AffineMap map,
                           ArrayRef<OpFoldResult> point) {
  SmallVector<Value> result;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    result.push_back(getValueOrCreateConstantIndexOp(
        b, loc,
        affine::makeComposedFoldedAffineApply(b, loc, map.getSubMap({i}),
                                              point)));
  return result;
}

SmallVector<OpFoldResult> constants(OpBuilder &b, ArrayRef<int64_t> values) {
  return llvm::map_to_vector(
      values, [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); });
}

Value widen(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = getElementTypeOrSelf(v.getType());
  if (from == getElementTypeOrSelf(to))
    return v;
  return arith::ExtFOp::create(b, loc, to, v);
}

Type elementType(Value memref) {
  return cast<MemRefType>(memref.getType()).getElementType();
}

/// The mask of a vector of `lanes` at `idx` of `box` when it runs past the
/// end of the box's innermost dimension (a row's partial last vector).
/// Boxes padded to whole vectors (register tiles) need none.
std::optional<Value> tailMask(OpBuilder &b, Location loc, int64_t lanes,
                              Value box, ValueRange idx) {
  int64_t extent = cast<MemRefType>(box.getType()).getShape().back();
  std::optional<int64_t> at = getConstantIntValue(idx.back());
  if (!at || ShapedType::isDynamic(extent) || *at + lanes <= extent)
    return std::nullopt;
  Value count = arith::ConstantIndexOp::create(b, loc, extent - *at);
  return vector::CreateMaskOp::create(
             b, loc, VectorType::get({lanes}, b.getI1Type()), count)
      .getResult();
}

/// A vector load, masked past the box's end with `fill` (default: zeros).
Value loadVector(OpBuilder &b, Location loc, VectorType type, Value box,
                 ValueRange idx, TypedAttr fill = {}) {
  if (std::optional<Value> mask =
          tailMask(b, loc, type.getNumElements(), box, idx)) {
    Value passThrough = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            type, fill ? fill : b.getZeroAttr(type.getElementType())));
    return vector::MaskedLoadOp::create(b, loc, type, box, idx, *mask,
                                        passThrough);
  }
  return vector::LoadOp::create(b, loc, type, box, idx);
}

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

/// A vector store, masked to the box's end.
void storeVector(OpBuilder &b, Location loc, Value value, Value box,
                 ValueRange idx) {
  int64_t lanes = cast<VectorType>(value.getType()).getNumElements();
  if (std::optional<Value> mask = tailMask(b, loc, lanes, box, idx))
    vector::MaskedStoreOp::create(b, loc, box, idx, *mask, value);
  else
    vector::StoreOp::create(b, loc, value, box, idx);
}

/// Calls `fn` on every point of `sizes` whose `dim` coordinate is a multiple
/// of `step` (the last one along `dim` may start a partial vector):
/// unrolled when there are few, else with scf.for loops over the dimensions
/// (the vector dimension stays unrolled when it is short; a loop along it
/// covers whole vectors and the partial one follows it, at a constant
/// index).
void forEachPoint(OpBuilder &b, Location loc, ArrayRef<int64_t> sizes,
                  unsigned dim, int64_t step,
                  function_ref<void(OpBuilder &, ArrayRef<OpFoldResult>)> fn) {
  SmallVector<int64_t> trips(sizes);
  trips[dim] = llvm::divideCeil(sizes[dim], step);
  int64_t count = 1;
  for (int64_t t : trips)
    count *= t;
  SmallVector<bool> looped(sizes.size(), false);
  if (count > kMaxUnrolled)
    for (unsigned d = 0; d < sizes.size(); ++d)
      looped[d] = trips[d] > 1 && (d != dim || trips[d] > 8);

  // Recursive nest: dimension d either loops or unrolls.
  std::function<void(OpBuilder &, unsigned, SmallVector<OpFoldResult> &)> nest =
      [&](OpBuilder &nb, unsigned d, SmallVector<OpFoldResult> &point) {
        if (d == sizes.size())
          return fn(nb, point);
        int64_t stride = d == dim ? step : 1;
        if (looped[d]) {
          auto c = [&](int64_t v) {
            return arith::ConstantIndexOp::create(nb, loc, v).getResult();
          };
          int64_t whole = sizes[d] / stride * stride;
          auto loop = scf::ForOp::create(nb, loc, c(0), c(whole), c(stride));
          OpBuilder body = OpBuilder::atBlockBegin(loop.getBody());
          point[d] = loop.getInductionVar();
          nest(body, d + 1, point);
          if (whole < sizes[d]) {
            point[d] = nb.getIndexAttr(whole);
            nest(nb, d + 1, point);
          }
          return;
        }
        for (int64_t i = 0; i < sizes[d]; i += stride) {
          point[d] = nb.getIndexAttr(i);
          nest(nb, d + 1, point);
        }
      };
  SmallVector<OpFoldResult> point(sizes.size());
  nest(b, 0, point);
}

/// Loads the accumulator tile as M x (N / lanes) vectors.
SmallVector<Value> loadAccumulators(OpBuilder &b, Location loc, Value acc,
                                    AffineMap map, int64_t m, int64_t n,
                                    int64_t lanes) {
  auto type = VectorType::get({lanes}, b.getF32Type());
  SmallVector<Value> result;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; j += lanes)
      result.push_back(loadVector(
          b, loc, type, acc, indices(b, loc, map, constants(b, {i, 0, j}))));
  return result;
}

void storeAccumulators(OpBuilder &b, Location loc, ValueRange values, Value acc,
                       AffineMap map, int64_t m, int64_t n, int64_t lanes) {
  unsigned v = 0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; j += lanes)
      storeVector(b, loc, values[v++], acc,
                  indices(b, loc, map, constants(b, {i, 0, j})));
}

/// Prefetches group `g`'s share of lines [first, first + count) of `box` (as
/// `cacheLines` numbers them): the `share` lines from first + g * share, so
/// the groups fetch each line once however many there are. Straight-line
/// code: a line past the range or the box is clamped to its last line,
/// whose repeated prefetch costs an instruction, not a loop in the FMAs.
void prefetchShare(OpBuilder &b, Location loc, Value box, Value first,
                   int64_t count, Value g, int64_t share) {
  auto type = cast<MemRefType>(box.getType());
  ArrayRef<int64_t> shape = type.getShape();
  CacheLines lines = cacheLines(type);
  MLIRContext *ctx = b.getContext();
  AffineExpr f = getAffineDimExpr(0, ctx), gi = getAffineDimExpr(1, ctx);
  for (int64_t i = 0; i < share; ++i) {
    Value line = affine::AffineMinOp::create(
        b, loc,
        AffineMap::get(2, 0,
                       {f + gi * share + i, f + (count - 1),
                        getAffineConstantExpr(lines.count - 1, ctx)},
                       ctx),
        ValueRange{first, g});
    // Line l: row l / perRow (row-major over the outer dimensions), column
    // (l mod perRow) * elementsPerLine.
    AffineExpr l = f;
    auto at = [&](AffineExpr e) -> Value {
      return affine::AffineApplyOp::create(b, loc, AffineMap::get(1, 0, e),
                                           ValueRange{line});
    };
    SmallVector<Value> indices(shape.size());
    indices.back() = at((l % lines.perRow) * lines.elementsPerLine);
    AffineExpr row = l.floorDiv(lines.perRow);
    for (int d = int(shape.size()) - 2; d >= 0; --d) {
      indices[d] = at(row % shape[d]);
      row = row.floorDiv(shape[d]);
    }
    // Into L2 (locality 2): the kernel's own operands keep L1 busy.
    memref::PrefetchOp::create(b, loc, box, indices, /*isWrite=*/false,
                               /*localityHint=*/2, /*isDataCache=*/true);
  }
}

/// The fewest k steps between prefetch groups: each group's loop bounds and
/// line arithmetic cost about as much as a few FMAs, so a group per step
/// crowds small tiles (one every 4 steps ran a 14x768x32 tile 3 % faster
/// than one every step).
constexpr int64_t kMinPrefetchPeriod = 2;

/// The shared k loop of the register-tile kernels: `step` computes one
/// k step (or pair) from the current accumulators.
template <typename TileOp>
void emitTileLoop(
    OpBuilder &b, TileOp op, int64_t kStep,
    function_ref<SmallVector<Value>(OpBuilder &, Value, ValueRange)> step) {
  Location loc = op.getLoc();
  int64_t lanes = op.getLanes();
  SmallVector<Value> init = loadAccumulators(
      b, loc, op.getAcc(), op.getAccMap(), op.getM(), op.getN(), lanes);
  auto c = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  // k steps [from, to) as a loop carrying the accumulators.
  auto steps = [&](OpBuilder &nb, int64_t from, int64_t to, ValueRange accs,
                   Value offset) {
    if (from >= to)
      return SmallVector<Value>(accs);
    auto loop = scf::ForOp::create(
        nb, loc, c(from), c(to), c(kStep), accs,
        [&](OpBuilder &lb, Location, Value k, ValueRange carried) {
          if (offset)
            k = arith::AddIOp::create(lb, loc, k, offset);
          scf::YieldOp::create(lb, loc, step(lb, k, carried));
        });
    return SmallVector<Value>(loop.getResults());
  };
  SmallVector<Value> results;
  int64_t numSteps = op.getK() / kStep;
  ArrayRef<int64_t> counts = op.getPrefetchLines();
  if (counts.empty() || numSteps < 2) {
    results = steps(b, 0, op.getK(), init, {});
  } else {
    // Spread the prefetch evenly: groups of `period` k steps, each starting
    // with its share of the lines (a few instructions per group, not per
    // step, which would crowd the FMAs).
    int64_t period = std::min(
        numSteps, std::max<int64_t>(kMinPrefetchPeriod,
                                    numSteps / std::accumulate(counts.begin(),
                                                               counts.end(),
                                                               int64_t(0))));
    int64_t groups = numSteps / period;
    int64_t span = period * kStep;
    auto outer = scf::ForOp::create(
        b, loc, c(0), c(groups), c(1), init,
        [&](OpBuilder &gb, Location, Value g, ValueRange accs) {
          for (auto [box, first, count] :
               llvm::zip(op.getPrefetch(), op.getPrefetchFirst(), counts))
            prefetchShare(gb, loc, box, first, count, g,
                          llvm::divideCeil(count, groups));
          Value offset = arith::MulIOp::create(
              gb, loc, g, arith::ConstantIndexOp::create(gb, loc, span));
          scf::YieldOp::create(gb, loc, steps(gb, 0, span, accs, offset));
        });
    results = steps(b, groups * span, op.getK(), outer.getResults(), {});
  }
  storeAccumulators(b, loc, results, op.getAcc(), op.getAccMap(), op.getM(),
                    op.getN(), lanes);
}

void lower(BroadcastFmaOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t m = op.getM(), n = op.getN(), lanes = op.getLanes();
  auto f32 = b.getF32Type();
  auto accType = VectorType::get({lanes}, f32);
  emitTileLoop(b, op, 1, [&](OpBuilder &nb, Value k, ValueRange accs) {
    SmallVector<Value> rows;
    for (int64_t j = 0; j < n; j += lanes) {
      Value row = loadVector(
          nb, loc, VectorType::get({lanes}, elementType(op.getRhs())),
          op.getRhs(),
          indices(nb, loc, op.getRhsMap(),
                  {nb.getIndexAttr(0), k, nb.getIndexAttr(j)}));
      rows.push_back(widen(nb, loc, row, accType));
    }
    SmallVector<Value> next;
    for (int64_t i = 0; i < m; ++i) {
      Value a = memref::LoadOp::create(
          nb, loc, op.getLhs(),
          indices(nb, loc, op.getLhsMap(),
                  {nb.getIndexAttr(i), k, nb.getIndexAttr(0)}));
      Value splat =
          vector::BroadcastOp::create(nb, loc, accType, widen(nb, loc, a, f32));
      for (unsigned j = 0; j < rows.size(); ++j)
        next.push_back(vector::FMAOp::create(nb, loc, splat, rows[j],
                                             accs[i * rows.size() + j]));
    }
    return next;
  });
  op.erase();
}

void lower(DotBf16Op op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t m = op.getM(), n = op.getN(), lanes = op.getLanes();
  auto bf16 = b.getBF16Type();
  auto pairsType = VectorType::get({2 * lanes}, bf16);
  // View the rhs box's contiguous [n][2] pairs as one dimension.
  auto rhsType = cast<MemRefType>(op.getRhs().getType());
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d + 2 < rhsType.getRank(); ++d)
    groups.push_back({d});
  groups.push_back({rhsType.getRank() - 2, rhsType.getRank() - 1});
  Value rhs = memref::CollapseShapeOp::create(b, loc, op.getRhs(), groups);

  emitTileLoop(b, op, 2, [&](OpBuilder &nb, Value k, ValueRange accs) {
    SmallVector<Value> cols;
    for (int64_t j = 0; j < n; j += lanes) {
      SmallVector<Value> idx = indices(
          nb, loc, op.getRhsMap(), {nb.getIndexAttr(0), k, nb.getIndexAttr(j)});
      // (..., n, k mod 2) -> (..., 2 n): k is even here.
      idx.pop_back();
      AffineExpr d0;
      bindDims(nb.getContext(), d0);
      idx.back() = getValueOrCreateConstantIndexOp(
          nb, loc,
          affine::makeComposedFoldedAffineApply(nb, loc, d0 * 2,
                                                {OpFoldResult(idx.back())}));
      cols.push_back(vector::LoadOp::create(nb, loc, pairsType, rhs, idx));
    }
    SmallVector<Value> next;
    for (int64_t i = 0; i < m; ++i) {
      // Broadcast the pair (a[i, k], a[i, k + 1]) as one 32-bit lane.
      Value pair = vector::LoadOp::create(
          nb, loc, VectorType::get({2}, bf16), op.getLhs(),
          indices(nb, loc, op.getLhsMap(),
                  {nb.getIndexAttr(i), k, nb.getIndexAttr(0)}));
      auto i32 = nb.getI32Type();
      Value word =
          vector::BitCastOp::create(nb, loc, VectorType::get({1}, i32), pair);
      Value scalar = vector::ExtractOp::create(nb, loc, word, int64_t(0));
      Value splat = vector::BroadcastOp::create(
          nb, loc, VectorType::get({lanes}, i32), scalar);
      Value a = vector::BitCastOp::create(nb, loc, pairsType, splat);
      for (unsigned j = 0; j < cols.size(); ++j)
        next.push_back(x86vector::DotBF16Op::create(
            nb, loc, accs[i * cols.size() + j], a, cols[j]));
    }
    return next;
  });
  op.erase();
}

void lower(DotReduceOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t m = op.getM(), kSize = op.getK(), n = op.getN();
  int64_t lanes = op.getLanes();
  auto f32 = b.getF32Type();
  auto accType = VectorType::get({lanes}, f32);
  auto c = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0)));

  // One k step: lhs rows and rhs columns as vectors along k (masked when
  // `mask` is set), every (row, column) pair multiply-added.
  auto step = [&](OpBuilder &nb, Value k, ValueRange accs, Value mask) {
    auto load = [&](Value box, AffineMap map, int64_t i, int64_t j) {
      auto type = VectorType::get({lanes}, elementType(box));
      SmallVector<Value> idx =
          indices(nb, loc, map, {nb.getIndexAttr(i), k, nb.getIndexAttr(j)});
      Value v;
      if (mask) {
        Value pass = arith::ConstantOp::create(
            nb, loc,
            DenseElementsAttr::get(type, nb.getZeroAttr(elementType(box))));
        v = vector::MaskedLoadOp::create(nb, loc, type, box, idx, mask, pass);
      } else {
        v = vector::LoadOp::create(nb, loc, type, box, idx);
      }
      return widen(nb, loc, v, accType);
    };
    SmallVector<Value> rows;
    for (int64_t i = 0; i < m; ++i)
      rows.push_back(load(op.getLhs(), op.getLhsMap(), i, 0));
    SmallVector<Value> next(accs);
    for (int64_t j = 0; j < n; ++j) {
      Value col = load(op.getRhs(), op.getRhsMap(), 0, j);
      for (int64_t i = 0; i < m; ++i)
        next[i * n + j] =
            vector::FMAOp::create(nb, loc, rows[i], col, accs[i * n + j]);
    }
    return next;
  };

  int64_t whole = kSize / lanes * lanes;
  SmallVector<Value> accs(m * n, zero);
  if (whole > 0) {
    auto loop = scf::ForOp::create(
        b, loc, c(0), c(whole), c(lanes), accs,
        [&](OpBuilder &nb, Location, Value k, ValueRange iter) {
          scf::YieldOp::create(nb, loc, step(nb, k, iter, Value()));
        });
    accs.assign(loop.getResults().begin(), loop.getResults().end());
  }
  if (whole < kSize) {
    Value mask = vector::CreateMaskOp::create(
        b, loc, VectorType::get({lanes}, b.getI1Type()),
        ValueRange{c(kSize - whole)});
    accs = step(b, c(whole), accs, mask);
  }
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      SmallVector<Value> idx =
          indices(b, loc, op.getAccMap(), constants(b, {i, 0, j}));
      Value old = memref::LoadOp::create(b, loc, op.getAcc(), idx);
      // Reassociable, so LLVM sums the lanes as a tree, not a chain of 16.
      Value sum = vector::ReductionOp::create(
          b, loc, vector::CombiningKind::ADD, accs[i * n + j], old,
          arith::FastMathFlags::reassoc);
      memref::StoreOp::create(b, loc, sum, op.getAcc(), idx);
    }
  op.erase();
}

void lower(ScalarFmaOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto zero = constants(b, {0, 0, 0});
  auto f32 = b.getF32Type();
  Value a = memref::LoadOp::create(b, loc, op.getLhs(),
                                   indices(b, loc, op.getLhsMap(), zero));
  Value x = memref::LoadOp::create(b, loc, op.getRhs(),
                                   indices(b, loc, op.getRhsMap(), zero));
  SmallVector<Value> cIdx = indices(b, loc, op.getAccMap(), zero);
  Value c = memref::LoadOp::create(b, loc, op.getAcc(), cIdx);
  Type accType = c.getType();
  Value r;
  if (isa<IntegerType>(accType)) {
    // Integers: sign-extended, wrapping like arith.
    auto extend = [&](Value v) -> Value {
      return v.getType() == accType
                 ? v
                 : arith::ExtSIOp::create(b, loc, accType, v).getResult();
    };
    r = arith::AddIOp::create(
        b, loc, c, arith::MulIOp::create(b, loc, extend(a), extend(x)));
  } else {
    // Floats in f32; a bf16/f16 accumulator is rounded after each step.
    Value product = arith::MulFOp::create(b, loc, widen(b, loc, a, f32),
                                          widen(b, loc, x, f32));
    r = arith::AddFOp::create(b, loc, widen(b, loc, c, f32), product);
    if (accType != f32)
      r = arith::TruncFOp::create(b, loc, accType, r);
  }
  memref::StoreOp::create(b, loc, r, op.getAcc(), cIdx);
  op.erase();
}

void lower(CopyOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t lanes = op.getLanes();
  Type to = elementType(op.getDst());
  forEachPoint(
      b, loc, op.getSizes(), op.getDim(), lanes ? lanes : 1,
      [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
        SmallVector<Value> src = indices(nb, loc, op.getSrcMap(), point);
        SmallVector<Value> dst = indices(nb, loc, op.getDstMap(), point);
        if (!lanes) {
          Value v = memref::LoadOp::create(nb, loc, op.getSrc(), src);
          memref::StoreOp::create(nb, loc, widen(nb, loc, v, to), op.getDst(),
                                  dst);
          return;
        }
        Value v = loadVector(nb, loc,
                             VectorType::get({lanes}, elementType(op.getSrc())),
                             op.getSrc(), src);
        storeVector(nb, loc, widen(nb, loc, v, VectorType::get({lanes}, to)),
                    op.getDst(), dst);
      });
  op.erase();
}

void lower(PackBf16PairsOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t half = op.getLanes() / 2, n = op.getSizes()[1];
  auto rowType = VectorType::get({half}, b.getBF16Type());
  Value dst = memref::CollapseShapeOp::create(
      b, loc, op.getDst(), ArrayRef<ReassociationIndices>{{0, 1}});
  AffineExpr d0;
  bindDims(b.getContext(), d0);
  forEachPoint(
      b, loc, {1, n}, 1, half,
      [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
        auto row = [&](int64_t k) {
          return vector::LoadOp::create(
              nb, loc, rowType, op.getSrc(),
              indices(nb, loc, op.getSrcMap(), {nb.getIndexAttr(k), point[1]}));
        };
        Value pairs = vector::InterleaveOp::create(nb, loc, row(0), row(1));
        Value col =
            indices(nb, loc, op.getDstMap(), {nb.getIndexAttr(0), point[1]})[0];
        Value at = getValueOrCreateConstantIndexOp(
            nb, loc,
            affine::makeComposedFoldedAffineApply(nb, loc, d0 * 2,
                                                  {OpFoldResult(col)}));
        vector::StoreOp::create(nb, loc, pairs, dst, at);
      });
  op.erase();
}

void lower(FillOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t lanes = op.getLanes();
  TypedAttr value = op.getValue();
  Value constant =
      lanes ? arith::ConstantOp::create(
                  b, loc,
                  DenseElementsAttr::get(
                      VectorType::get({lanes}, value.getType()), value))
                  .getResult()
            : arith::ConstantOp::create(b, loc, value).getResult();
  forEachPoint(b, loc, op.getSizes(), op.getDim(), lanes ? lanes : 1,
               [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
                 SmallVector<Value> idx =
                     indices(nb, loc, op.getDstMap(), point);
                 if (lanes)
                   storeVector(nb, loc, constant, op.getDst(), idx);
                 else
                   memref::StoreOp::create(nb, loc, constant, op.getDst(), idx);
               });
  op.erase();
}

/// `fn` of f32 scalars or vectors. exp, tanh and erf stay math ops here;
/// the pass expands them into polynomials afterwards.
Value applyFn(OpBuilder &b, Location loc, synth::ElementwiseFn fn,
              ValueRange args) {
  using Fn = synth::ElementwiseFn;
  Type type = args[0].getType();
  auto c = [&](double v) -> Value {
    TypedAttr attr = b.getF32FloatAttr(float(v));
    if (auto vt = dyn_cast<VectorType>(type))
      attr = DenseElementsAttr::get(vt, attr);
    return arith::ConstantOp::create(b, loc, attr);
  };
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
  // maximumf/minimumf propagate NaN, as the reference does.
  case Fn::Max:
    return arith::MaximumFOp::create(b, loc, x, args[1]);
  case Fn::Min:
    return arith::MinimumFOp::create(b, loc, x, args[1]);
  case Fn::Relu:
    return arith::MaximumFOp::create(b, loc, x, c(0));
  case Fn::Neg:
    return arith::NegFOp::create(b, loc, x);
  case Fn::Abs:
    return math::AbsFOp::create(b, loc, x);
  case Fn::Exp:
    return math::ExpOp::create(b, loc, x);
  case Fn::Tanh:
    return math::TanhOp::create(b, loc, x);
  case Fn::Sigmoid: {
    // 1 / (1 + exp(-x)): exp overflows to +inf for very negative x, giving 0.
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, c(1), add(c(1), e));
  }
  case Fn::Gelu: {
    Value erf = math::ErfOp::create(b, loc, mul(x, c(M_SQRT1_2)));
    return mul(mul(c(0.5), x), add(c(1), erf));
  }
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

void lower(ElementwiseOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t lanes = op.getLanes();
  unsigned dim = op.getDim();
  synth::ElementwiseFn fn = *synth::elementwiseFnNamed(op.getFn());
  Type f32 = b.getF32Type();
  auto f32Vector = VectorType::get({lanes ? lanes : 1}, f32);
  SmallVector<AffineMap> maps =
      llvm::map_to_vector(op.getInputMaps().getAsRange<AffineMapAttr>(),
                          [](AffineMapAttr m) { return m.getValue(); });
  forEachPoint(
      b, loc, op.getSizes(), dim, lanes ? lanes : 1,
      [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
        SmallVector<Value> args;
        for (auto [input, map] : llvm::zip(op.getInputs(), maps)) {
          SmallVector<Value> idx = indices(nb, loc, map, point);
          if (lanes && map.isFunctionOfDim(dim)) {
            auto type = VectorType::get({lanes}, elementType(input));
            Value v = isStridedRun(input)
                          ? gatherVector(nb, loc, type, input, idx)
                          : loadVector(nb, loc, type, input, idx);
            args.push_back(widen(nb, loc, v, f32Vector));
            continue;
          }
          // One element (broadcast along the vectors, or scalar code).
          Value v =
              widen(nb, loc, memref::LoadOp::create(nb, loc, input, idx), f32);
          args.push_back(
              lanes ? vector::BroadcastOp::create(nb, loc, f32Vector, v) : v);
        }
        Value result = applyFn(nb, loc, fn, args);
        SmallVector<Value> out = indices(nb, loc, op.getOutMap(), point);
        if (lanes)
          storeVector(nb, loc, result, op.getOut(), out);
        else
          memref::StoreOp::create(nb, loc, result, op.getOut(), out);
      });
  op.erase();
}

/// Folds `body` over `count` indices in steps of `step` from `init`: an
/// scf.for over the whole steps (with the accumulator as an iter_arg) when
/// there are many, then the partial last step at a constant index (so its
/// loads can be masked); unrolled when there are few.
Value foldSteps(OpBuilder &b, Location loc, int64_t count, int64_t step,
                Value init,
                function_ref<Value(OpBuilder &, OpFoldResult, Value)> body) {
  int64_t whole = count / step * step;
  Value acc = init;
  int64_t start = 0;
  if (whole / step > 8) {
    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v).getResult();
    };
    auto loop = scf::ForOp::create(
        b, loc, c(0), c(whole), c(step), ValueRange{init},
        [&](OpBuilder &nb, Location, Value iv, ValueRange args) {
          scf::YieldOp::create(nb, loc, body(nb, iv, args[0]));
        });
    acc = loop.getResult(0);
    start = whole;
  }
  for (int64_t i = start; i < count; i += step)
    acc = body(b, b.getIndexAttr(i), acc);
  return acc;
}

void lower(ReduceOp op) {
  OpBuilder b(op);
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
    return FloatAttr::get(t, APFloat::getZero(sem));
  };
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
    op.erase();
    return;
  }
  auto xVector = VectorType::get({lanes}, xType);
  auto f32Vector = VectorType::get({lanes}, f32);
  auto loadX = [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
    Value v =
        loadVector(nb, loc, xVector, op.getX(),
                   indices(nb, loc, op.getXMap(), point), identity(xType));
    return widen(nb, loc, v, f32Vector);
  };
  if (dim == reduced) {
    // Per-lane accumulators along the row, then across the lanes.
    forEachPoint(
        b, loc, outer, dim, 1, [&](OpBuilder &nb, ArrayRef<OpFoldResult> p) {
          Value init = arith::ConstantOp::create(
              nb, loc, DenseElementsAttr::get(f32Vector, identity(f32)));
          Value acc = foldSteps(nb, loc, sizes[reduced], lanes, init,
                                [&](OpBuilder &lb, OpFoldResult r, Value a) {
                                  return combine(lb, a, loadX(lb, at(p, r)));
                                });
          Value total = vector::ReductionOp::create(
              nb, loc,
              isMax   ? vector::CombiningKind::MAXIMUMF
              : isMin ? vector::CombiningKind::MINIMUMF
                      : vector::CombiningKind::ADD,
              acc);
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
                   Value acc =
                       foldSteps(nb, loc, sizes[reduced], 1, init,
                                 [&](OpBuilder &lb, OpFoldResult r, Value a) {
                                   return combine(lb, a, loadX(lb, at(p, r)));
                                 });
                   storeVector(nb, loc, acc, op.getOut(), o);
                 });
  }
  op.erase();
}

struct TesselLowerMicrokernels
    : public tessel::impl::TesselLowerMicrokernelsBase<
          TesselLowerMicrokernels> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<UkernelDialect>(op->getDialect()))
        ops.push_back(op);
    });
    bool unknown = false;
    for (Operation *op : ops)
      llvm::TypeSwitch<Operation *>(op)
          .Case<BroadcastFmaOp, DotBf16Op, DotReduceOp, ScalarFmaOp, CopyOp,
                PackBf16PairsOp, FillOp, ElementwiseOp, ReduceOp>(
              [](auto kernel) { lower(kernel); })
          .Default([&](Operation *op) {
            // Never left behind silently: a kernel without a lowering here
            // is an error at the op.
            op->emitOpError("has no lowering to vector code");
            unknown = true;
          });
    if (unknown)
      return signalPassFailure();
    // exp, tanh and erf as polynomials: no libm calls in kernels. Only
    // those ops (and what their expansions create) are rewritten.
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

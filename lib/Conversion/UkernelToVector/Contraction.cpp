//===- Contraction.cpp - Register-tile products to vector code ------------===//
//
// broadcast_fma, dot_bf16, dot_reduce and scalar_fma: register tiles are
// unrolled with constant indices; accumulators are SSA values carried
// through the k loop, so they live in vector registers whatever the
// surrounding code does.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "tessel/Conversion/UkernelToVector/UkernelToVector.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"

#include <numeric>

using namespace mlir;
using namespace tessel;
using namespace tessel::ukernel;

namespace {

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

void lower(BroadcastFmaOp op, PatternRewriter &b) {
  b.setInsertionPoint(op);
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
  b.eraseOp(op);
}

void lower(DotBf16Op op, PatternRewriter &b) {
  b.setInsertionPoint(op);
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
  b.eraseOp(op);
}

void lower(DotReduceOp op, PatternRewriter &b) {
  b.setInsertionPoint(op);
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
  b.eraseOp(op);
}

void lower(ScalarFmaOp op, PatternRewriter &b) {
  b.setInsertionPoint(op);
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
  b.eraseOp(op);
}

} // namespace

void tessel::populateUkernelContractionToVectorPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<LowerKernel<BroadcastFmaOp, lower>, LowerKernel<DotBf16Op, lower>,
           LowerKernel<DotReduceOp, lower>, LowerKernel<ScalarFmaOp, lower>>(
          patterns.getContext());
}

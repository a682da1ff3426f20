//===- Lowering.cpp - What every ukernel lowering uses --------------------===//
//
// Indices through a kernel's maps, masked vector loads and stores at a
// box's end, and loop nests over a box's points.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace tessel::ukernel {

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
  if (isa<IntegerType>(from)) // the reference reads integers as signed
    return arith::ExtSIOp::create(b, loc, to, v);
  return arith::ExtFOp::create(b, loc, to, v);
}

Type elementType(Value memref) {
  return cast<MemRefType>(memref.getType()).getElementType();
}

/// The mask of a vector of `lanes` at `idx` of `box` when it runs past the
/// end of the box's innermost dimension (a row's partial last vector).
/// Boxes padded to whole vectors (register tiles) need none.
static std::optional<Value> tailMask(OpBuilder &b, Location loc, int64_t lanes,
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
                 ValueRange idx, TypedAttr fill) {
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

/// A vector store, masked to the box's end; a scalar is stored as it is.
void storeVector(OpBuilder &b, Location loc, Value value, Value box,
                 ValueRange idx) {
  auto type = dyn_cast<VectorType>(value.getType());
  if (!type) {
    memref::StoreOp::create(b, loc, value, box, idx);
    return;
  }
  int64_t lanes = type.getNumElements();
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
          {
            // The same builder (a pattern's rewriter sees what it creates).
            OpBuilder::InsertionGuard guard(nb);
            nb.setInsertionPointToStart(loop.getBody());
            point[d] = loop.getInductionVar();
            nest(nb, d + 1, point);
          }
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

} // namespace tessel::ukernel

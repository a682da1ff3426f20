//===- DynamicSizes.cpp - contractions whose sizes are run-time values ----===//
//
// A spec states static sizes, so a contraction with dynamic sizes becomes
// loops over blocks of a few static sizes, each block a spec.matmul. A
// dynamic dimension is cut into blocks of a largest size, then of a quarter
// of that, then of 16 (the 16-lane vector); its last block may stick out
// past the end. A static dimension is cut into blocks of the largest size
// and one exact remainder. So each dimension has at most three block sizes
// and the op at most 27 distinct matmul specs, whatever the run-time sizes.
// The largest size is kDynamicBlock along M and N and twice that along K:
// each block along K reads and writes its block of C once more, so K's
// blocks are as deep as an L2-resident block of B allows.
//
// Every block is a view of its operand (the search decides what to copy,
// seeing run-time row pitches at their worst); a block that sticks out is
// computed on zero-padded copies (K padding adds zeros; M and N padding is
// never written back). B's loops are outermost, so its block stays in cache
// while the rows of A pass; the loop over row blocks is parallel where no
// block sticks out.
//
//===----------------------------------------------------------------------===//

#include "Views.h"
#include "tessel/Conversion/LinalgToSpec/LinalgToSpec.h"

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

using namespace mlir;
using namespace tessel;

namespace {
/// Blocks of one static size over [begin, end) of a loop dimension. With
/// `mayPad`, `end` is the extent rounded up to `size`, and the last block
/// sticks out past the extent when that is not a multiple of it.
struct Segment {
  int64_t size;
  Value begin, end;
  bool mayPad = false;
};

/// A loop nest over one segment of each loop dimension.
struct Blocks {
  /// Per loop dimension: the block's start and static size, its extent, and
  /// whether it sticks out past the extent (i1; null: never).
  SmallVector<Value> starts, extents, padded;
  SmallVector<int64_t> sizes;
};

/// One operand's block: what the matmul takes (a view of the operand or a
/// copy), whether it sticks out (i1; null: never), and where its part inside
/// lies in the operand.
struct OperandBlock {
  Value value, padded;
  SmallVector<OpFoldResult> offsets, valid;
};
} // namespace

/// The segments of a loop dimension of `extent`, which is at most `upper`
/// (if known): segments of blocks larger than that are never made.
static SmallVector<Segment> segmentsOf(OpBuilder &b, Location loc,
                                       OpFoldResult extent,
                                       std::optional<int64_t> upper,
                                       int64_t block) {
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  if (std::optional<int64_t> size = getConstantIntValue(extent)) {
    SmallVector<Segment> segments;
    int64_t full = *size / block * block;
    if (full)
      segments.push_back({block, index(0), index(full)});
    if (*size % block)
      segments.push_back({*size % block, index(full), index(*size)});
    return segments;
  }
  // [0, e0) in blocks of B, [e0, e1) of B/4, [e1, roundup(extent, B/16)) of
  // B/16, the last one maybe padded.
  Value d = cast<Value>(extent);
  auto roundDown = [&](Value v, int64_t m) {
    return arith::MulIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, v, index(m)), index(m));
  };
  SmallVector<Segment> segments;
  Value begin = index(0);
  for (int64_t size : {block, block / 4}) {
    if (upper && *upper < size)
      continue;
    Value end = arith::AddIOp::create(
        b, loc, begin,
        roundDown(arith::SubIOp::create(b, loc, d, begin), size));
    segments.push_back({size, begin, end});
    begin = end;
  }
  int64_t small = kDynamicBlock / 16;
  Value last = roundDown(
      arith::AddIOp::create(b, loc, d, index(small - 1)).getResult(), small);
  segments.push_back({small, begin, last, /*mayPad=*/true});
  return segments;
}

/// The size hint `name` of `op` for each loop, if it has a valid one.
static std::optional<SmallVector<int64_t>> sizeHint(Operation *op,
                                                    StringRef name) {
  auto hint = op->getAttrOfType<DenseI64ArrayAttr>(name);
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!hint || !linalgOp || hint.size() != int64_t(linalgOp.getNumLoops()) ||
      llvm::any_of(hint.asArrayRef(), [](int64_t v) { return v < 1; }))
    return std::nullopt;
  return SmallVector<int64_t>(hint.asArrayRef());
}

LogicalResult tessel::verifySizeHints(Operation *root) {
  WalkResult result = root->walk([](Operation *op) {
    for (StringRef name : {kLikelySizesAttr, kMaxSizesAttr}) {
      Attribute attr = op->getAttr(name);
      if (!attr || sizeHint(op, name))
        continue;
      auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
      InFlightDiagnostic diag = op->emitError("'") << name << "' ";
      if (!linalgOp)
        diag << "belongs on a linalg op";
      else
        diag << "must be an array<i64> of " << linalgOp.getNumLoops()
             << " positive sizes, one per loop of the op; got " << attr;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// Copies the leading `sizes` of `from` into `to` element by element: only
/// partial edge blocks are copied, and plain loops keep the program free of
/// runtime-library calls.
static void copyRegion(OpBuilder &b, Location loc, Value from, Value to,
                       ArrayRef<Value> sizes) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> lbs(sizes.size(), zero), steps(sizes.size(), one);
  scf::buildLoopNest(b, loc, lbs, sizes, steps,
                     [&](OpBuilder &nested, Location loc, ValueRange ivs) {
                       Value v = memref::LoadOp::create(nested, loc, from, ivs);
                       memref::StoreOp::create(nested, loc, v, to, ivs);
                     });
}

/// The type every block of an operand of type `operand` is seen as: static
/// sizes, the operand's strides (run-time ones stay so), a run-time offset.
static MemRefType blockType(ArrayRef<int64_t> shape, MemRefType operand) {
  auto [strides, offset] = operand.getStridesAndOffset();
  auto layout = StridedLayoutAttr::get(operand.getContext(),
                                       ShapedType::kDynamic, strides);
  return MemRefType::get(shape, operand.getElementType(), layout);
}

/// A buffer for padded blocks of `operand` of `shape`, with the operand's
/// row pitch where that is static, so that a view of it has the block's
/// type.
static Value scratchFor(OpBuilder &b, Location loc, Value operand,
                        ArrayRef<int64_t> shape) {
  auto type = cast<MemRefType>(operand.getType());
  auto [strides, offset] = type.getStridesAndOffset();
  SmallVector<int64_t> allocShape(shape);
  if (!ShapedType::isDynamic(strides[0]))
    allocShape[1] = strides[0];
  return memref::AllocOp::create(
      b, loc, MemRefType::get(allocShape, type.getElementType()));
}

/// The block of `operand` (indexed through `map`) in `blocks`: a view of
/// the operand, or, where it sticks out, `scratch` holding the part inside
/// and zeros.
static OperandBlock blockOf(OpBuilder &b, Location loc, Value operand,
                            AffineMap map, const Blocks &blocks,
                            Value scratch) {
  SmallVector<OpFoldResult> offsets, sizes, strides, valid;
  SmallVector<int64_t> shape;
  Value padded;
  for (AffineExpr result : map.getResults()) {
    unsigned dim = cast<AffineDimExpr>(result).getPosition();
    offsets.push_back(blocks.starts[dim]);
    sizes.push_back(b.getIndexAttr(blocks.sizes[dim]));
    strides.push_back(b.getIndexAttr(1));
    shape.push_back(blocks.sizes[dim]);
    if (!blocks.padded[dim]) {
      valid.push_back(b.getIndexAttr(blocks.sizes[dim]));
      continue;
    }
    padded = padded ? arith::OrIOp::create(b, loc, padded, blocks.padded[dim])
                          .getResult()
                    : blocks.padded[dim];
    Value rest =
        arith::SubIOp::create(b, loc, blocks.extents[dim], blocks.starts[dim]);
    valid.push_back(arith::MinUIOp::create(b, loc, rest,
                                           arith::ConstantIndexOp::create(
                                               b, loc, blocks.sizes[dim]))
                        .getResult());
  }
  MemRefType type = blockType(shape, cast<MemRefType>(operand.getType()));
  auto view = [&](OpBuilder &b) -> Value {
    Value sub =
        memref::SubViewOp::create(b, loc, operand, offsets, sizes, strides);
    if (sub.getType() == type)
      return sub;
    return memref::CastOp::create(b, loc, type, sub);
  };
  // The part inside, zero-padded, into the block at the start of
  // `scratch` (which may have longer rows).
  SmallVector<OpFoldResult> zeros(shape.size(), b.getIndexAttr(0));
  auto block = [&](OpBuilder &b, Location loc) -> Value {
    if (cast<MemRefType>(scratch.getType()).getShape() == ArrayRef(shape))
      return scratch;
    return memref::SubViewOp::create(b, loc, scratch, zeros, sizes, strides);
  };
  auto copyPadded = [&](OpBuilder &b, Location loc) {
    spec::FillOp::create(b, loc, block(b, loc), spec::FillValue::Zero);
    Value inside =
        memref::SubViewOp::create(b, loc, operand, offsets, valid, strides);
    Value into =
        memref::SubViewOp::create(b, loc, scratch, zeros, valid, strides);
    copyRegion(b, loc, inside, into,
               getValueOrCreateConstantIndexOp(b, loc, valid));
  };
  if (!padded)
    return {view(b), nullptr, offsets, valid};
  auto ifOp = scf::IfOp::create(
      b, loc, padded,
      [&](OpBuilder &b, Location loc) {
        copyPadded(b, loc);
        scf::YieldOp::create(
            b, loc, Value(memref::CastOp::create(b, loc, type, block(b, loc))));
      },
      [&](OpBuilder &b, Location loc) {
        scf::YieldOp::create(b, loc, view(b));
      });
  return {ifOp.getResult(0), padded, offsets, valid};
}

LogicalResult tessel::importDynamicContraction(
    linalg::LinalgOp op, ArrayRef<std::optional<unsigned>> lhsOrder,
    ArrayRef<std::optional<unsigned>> rhsOrder,
    ArrayRef<std::optional<unsigned>> outOrder, linalg::FillOp zeroFill,
    PatternRewriter &rewriter) {
  Location loc = op.getLoc();
  SmallVector<Value> operands = {op.getDpsInputs()[0], op.getDpsInputs()[1],
                                 op.getDpsInits()[0]};
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap shapesToLoops = op.getShapesToLoopsMap();
  if (!shapesToLoops)
    return rewriter.notifyMatchFailure(op, "loop sizes cannot be inferred");
  // A static row pitch bounds a dynamic row length: blocks wider than the
  // pitch are never made, and the scratch of a block that sticks out keeps
  // the pitch, so the narrowest block must fit in it.
  SmallVector<std::optional<int64_t>> pitches(op.getNumLoops());
  for (auto [operand, map] : llvm::zip(operands, maps)) {
    auto type = cast<MemRefType>(operand.getType());
    auto [strides, offset] = type.getStridesAndOffset();
    if (ShapedType::isDynamic(strides[0]) ||
        !ShapedType::isDynamic(type.getDimSize(1)))
      continue;
    if (int64_t pitch = strides[0]; pitch < kDynamicBlock / 16)
      return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
        diag << "a row pitch of " << pitch
             << " elements is narrower than the narrowest block ("
             << kDynamicBlock / 16 << ")";
      });
    unsigned d = cast<AffineDimExpr>(map.getResults().back()).getPosition();
    pitches[d] = std::min(pitches[d].value_or(strides[0]), strides[0]);
  }
  SmallVector<OpFoldResult> extents =
      op.createFlatListOfOperandDims(rewriter, loc);
  SmallVector<OpFoldResult> loopExtents =
      affine::makeComposedFoldedMultiResultAffineApply(rewriter, loc,
                                                       shapesToLoops, extents);
  // A loop's extent is static if any operand says so (not only the first
  // that indexes it).
  for (auto [operand, map] : llvm::zip(operands, maps))
    for (auto [i, result] : llvm::enumerate(map.getResults())) {
      int64_t size = cast<MemRefType>(operand.getType()).getDimSize(i);
      if (!ShapedType::isDynamic(size))
        loopExtents[cast<AffineDimExpr>(result).getPosition()] =
            rewriter.getIndexAttr(size);
    }

  // Upper bounds: declared, a row pitch, or proven by linalg's value-bounds
  // analysis.
  std::optional<SmallVector<int64_t>> maxSizes = sizeHint(op, kMaxSizesAttr);
  SmallVector<SmallVector<Segment>> segments;
  for (auto [d, extent] : llvm::enumerate(loopExtents)) {
    std::optional<int64_t> upper = pitches[d];
    if (maxSizes)
      upper = std::min(upper.value_or((*maxSizes)[d]), (*maxSizes)[d]);
    if (auto value = dyn_cast<Value>(extent)) {
      FailureOr<int64_t> proven =
          ValueBoundsConstraintSet::computeConstantBound(
              presburger::BoundType::UB,
              ValueBoundsConstraintSet::Variable(value),
              /*stopCondition=*/nullptr, /*closedUB=*/true);
      if (succeeded(proven))
        upper = upper ? std::min(*upper, *proven) : *proven;
    }
    bool reduced = !maps[2].isFunctionOfDim(d);
    segments.push_back(segmentsOf(rewriter, loc, extent, upper,
                                  reduced ? 2 * kDynamicBlock : kDynamicBlock));
  }
  SmallVector<Value> loopExtentValues =
      getValueOrCreateConstantIndexOp(rewriter, loc, loopExtents);

  // The reduced dimension; with a zero fill before, its first block
  // overwrites the output, and the fill is needed only if K is 0 (no block).
  unsigned kDim = 0;
  while (maps[2].isFunctionOfDim(kDim))
    ++kDim;
  bool overwrite = false;
  if (zeroFill) {
    std::optional<int64_t> k = getConstantIntValue(loopExtents[kDim]);
    overwrite = k != 0;
    if (overwrite && !k) {
      Value empty = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, loopExtentValues[kDim],
          arith::ConstantIndexOp::create(rewriter, loc, 0));
      auto ifOp = scf::IfOp::create(rewriter, loc, empty);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      rewriter.clone(*zeroFill);
    }
    if (overwrite)
      rewriter.modifyOpInPlace(zeroFill, [&] {
        zeroFill->setAttr(kFusedZeroFillAttr, rewriter.getUnitAttr());
      });
  }

  // The likely sizes, if hinted, get a static program of their own: the
  // nests below run for every other size.
  if (std::optional<SmallVector<int64_t>> likely =
          sizeHint(op, kLikelySizesAttr)) {
    Value match;
    bool possible = true;
    for (auto [d, extent] : llvm::enumerate(loopExtents)) {
      if (std::optional<int64_t> size = getConstantIntValue(extent)) {
        possible &= *size == (*likely)[d];
        continue;
      }
      Value is = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, loopExtentValues[d],
          arith::ConstantIndexOp::create(rewriter, loc, (*likely)[d]));
      match = match ? arith::AndIOp::create(rewriter, loc, match, is) : is;
    }
    if (possible && match) {
      auto ifOp = scf::IfOp::create(rewriter, loc, match,
                                    /*withElseRegion=*/true);
      rewriter.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      SmallVector<Value> statics;
      for (auto [operand, map] : llvm::zip(operands, maps)) {
        auto type = cast<MemRefType>(operand.getType());
        SmallVector<int64_t> shape;
        for (AffineExpr result : map.getResults())
          shape.push_back((*likely)[cast<AffineDimExpr>(result).getPosition()]);
        statics.push_back(memref::CastOp::create(
            rewriter, loc,
            MemRefType::get(shape, type.getElementType(), type.getLayout(),
                            type.getMemorySpace()),
            operand));
      }
      SmallVector<Value> views = *viewAllAs(rewriter, loc, statics, maps,
                                            {lhsOrder, rhsOrder, outOrder});
      spec::MatmulOp::create(rewriter, loc, views[0], views[1], views[2],
                             /*accumulate=*/!overwrite);
      rewriter.setInsertionPoint(ifOp.elseBlock()->getTerminator());
    }
  }

  // One loop nest per choice of a segment in each dimension.
  unsigned numLoops = segments.size();
  SmallVector<unsigned> choice(numLoops, 0);
  for (;;) {
    // Block shape of each operand, and whether its blocks may stick out.
    SmallVector<SmallVector<int64_t>> shapes(operands.size());
    SmallVector<bool> mayPad(operands.size(), false);
    for (unsigned i = 0; i < operands.size(); ++i)
      for (AffineExpr result : maps[i].getResults()) {
        unsigned d = cast<AffineDimExpr>(result).getPosition();
        shapes[i].push_back(segments[d][choice[d]].size);
        mayPad[i] = mayPad[i] || segments[d][choice[d]].mayPad;
      }
    SmallVector<Value> scratch(operands.size());

    // Loops over the dimensions of B outermost, so that each block of B
    // stays in cache for every block of A along M. The loops over M run
    // in parallel where no block sticks out: their bodies then hold no
    // control flow (OpenMP's lowering keeps each body a single block).
    SmallVector<unsigned> order;
    for (unsigned d = 0; d < numLoops; ++d)
      if (maps[1].isFunctionOfDim(d))
        order.push_back(d);
    for (unsigned d = 0; d < numLoops; ++d)
      if (!maps[1].isFunctionOfDim(d))
        order.push_back(d);
    OpBuilder b(rewriter);
    // B's scratch serves all its blocks; A's and C's are per row block.
    if (mayPad[1])
      scratch[1] = scratchFor(b, loc, operands[1], shapes[1]);
    Blocks blocks;
    blocks.starts.resize(numLoops);
    blocks.padded.resize(numLoops);
    blocks.extents = loopExtentValues;
    for (unsigned d = 0; d < numLoops; ++d)
      blocks.sizes.push_back(segments[d][choice[d]].size);
    SmallVector<OperandBlock> views(operands.size());
    // Opens the loop over dimension `d`'s blocks at `b`.
    auto openLoop = [&](OpBuilder &b, unsigned d) {
      const Segment &s = segments[d][choice[d]];
      Value step = arith::ConstantIndexOp::create(b, loc, s.size);
      Value iv;
      if (maps[1].isFunctionOfDim(d) || llvm::is_contained(mayPad, true)) {
        auto loop = scf::ForOp::create(b, loc, s.begin, s.end, step);
        b.setInsertionPoint(loop.getBody()->getTerminator());
        iv = loop.getInductionVar();
      } else {
        auto loop = scf::ForallOp::create(
            b, loc, ArrayRef<OpFoldResult>{s.begin},
            ArrayRef<OpFoldResult>{s.end}, ArrayRef<OpFoldResult>{step},
            ValueRange(), std::nullopt);
        b.setInsertionPoint(loop.getBody()->getTerminator());
        iv = loop.getInductionVars()[0];
      }
      blocks.starts[d] = iv;
      if (s.mayPad) {
        Value end = arith::AddIOp::create(b, loc, iv, step);
        blocks.padded[d] = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::ugt, end, loopExtentValues[d]);
      }
    };
    unsigned numB = maps[1].getNumResults();
    for (unsigned d : ArrayRef(order).take_front(numB))
      openLoop(b, d);
    // B's block, once its loops are open.
    views[1] = blockOf(b, loc, operands[1], maps[1], blocks, scratch[1]);

    // The loops over the other dimensions and the block's matmul.
    auto rowBlocks = [&](OpBuilder &b, bool accumulate) {
      OpBuilder::InsertionGuard guard(b);
      for (unsigned d : ArrayRef(order).drop_front(numB))
        openLoop(b, d);
      SmallVector<Value> local(scratch);
      for (unsigned i : {0u, 2u})
        if (mayPad[i])
          local[i] = scratchFor(b, loc, operands[i], shapes[i]);
      views[0] = blockOf(b, loc, operands[0], maps[0], blocks, local[0]);
      views[2] = blockOf(b, loc, operands[2], maps[2], blocks, local[2]);
      IRRewriter viewer(b);
      SmallVector<Value> matrices = *viewAllAs(
          viewer, loc, {views[0].value, views[1].value, views[2].value}, maps,
          {lhsOrder, rhsOrder, outOrder});
      spec::MatmulOp::create(b, loc, matrices[0], matrices[1], matrices[2],
                             accumulate);
      // A padded output block goes back, the part inside only.
      if (Value padded = views[2].padded) {
        scf::IfOp::create(b, loc, padded, [&](OpBuilder &b, Location loc) {
          const OperandBlock &c = views[2];
          SmallVector<OpFoldResult> zeros(c.valid.size(), b.getIndexAttr(0)),
              ones(c.valid.size(), b.getIndexAttr(1));
          Value from =
              memref::SubViewOp::create(b, loc, local[2], zeros, c.valid, ones);
          Value to = memref::SubViewOp::create(b, loc, operands[2], c.offsets,
                                               c.valid, ones);
          copyRegion(b, loc, from, to,
                     getValueOrCreateConstantIndexOp(b, loc, c.valid));
          scf::YieldOp::create(b, loc);
        });
      }
      for (unsigned i : {0u, 2u})
        if (local[i])
          memref::DeallocOp::create(b, loc, local[i]);
    };
    if (!overwrite) {
      rowBlocks(b, /*accumulate=*/true);
    } else {
      // The first block along K starts the sum (no fill to read), the
      // others add to it.
      Value first = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, blocks.starts[kDim],
          arith::ConstantIndexOp::create(b, loc, 0));
      scf::IfOp::create(
          b, loc, first,
          [&](OpBuilder &b, Location loc) {
            rowBlocks(b, /*accumulate=*/false);
            scf::YieldOp::create(b, loc);
          },
          [&](OpBuilder &b, Location loc) {
            rowBlocks(b, /*accumulate=*/true);
            scf::YieldOp::create(b, loc);
          });
    }
    if (scratch[1])
      memref::DeallocOp::create(rewriter, loc, scratch[1]);

    // Next choice, odometer order.
    unsigned d = 0;
    for (; d < numLoops; ++d) {
      if (++choice[d] < segments[d].size())
        break;
      choice[d] = 0;
    }
    if (d == numLoops)
      break;
  }
  rewriter.eraseOp(op);
  return success();
}

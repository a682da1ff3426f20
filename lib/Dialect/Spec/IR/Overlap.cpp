//===- Overlap.cpp - Whether two operand views share memory ---------------===//
//
// Two views overlap only if they are views of one buffer (the same value once
// subviews, casts, transposes and reshapes are looked through). Views of one
// buffer are compared through their static layouts, whose offsets all count
// from that buffer's start; where a layout is dynamic or the views interleave
// in ways the digits below do not capture, the answer is Unknown, and callers
// treat it as an overlap: refusing a program beats computing a wrong one.
// Buffers are told apart only where they come from is known: function
// arguments (distinct arguments are taken not to overlap, a documented
// contract of every Tessel function, as `restrict` in C), fresh allocations
// and distinct globals (a writable global may also be what a caller passed
// as an argument). A buffer chosen at run time by arith.select or scf.if
// may be any of its arms, one carried by scf.for its initial or yielded
// value; one from elsewhere (a call's result) may be any buffer at all.
//
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessel::spec;

/// The buffer `view` is a view of; `exact` turns false when a view on the
/// way has a layout that does not count from that buffer's start.
static Value rootOf(Value view, bool &exact) {
  while (Operation *op = view.getDefiningOp()) {
    Value source =
        llvm::TypeSwitch<Operation *, Value>(op)
            .Case<memref::SubViewOp, memref::CastOp, memref::ReinterpretCastOp,
                  memref::TransposeOp, memref::ExpandShapeOp,
                  memref::CollapseShapeOp, memref::MemorySpaceCastOp,
                  memref::AssumeAlignmentOp>(
                [](auto op) -> Value { return op->getOperand(0); })
            .Case([&](ViewLikeOpInterface op) -> Value {
              exact = false;
              return op.getViewSource();
            })
            .Default([](Operation *) -> Value { return {}; });
    if (!source)
      break;
    view = source;
  }
  return view;
}

/// Whether `root` is a buffer whose origin tells it apart from others: an
/// argument of a function, a fresh allocation or a global.
static bool knownOrigin(Value root) {
  if (auto arg = dyn_cast<BlockArgument>(root)) {
    Block *block = arg.getOwner();
    return block->isEntryBlock() &&
           isa_and_nonnull<FunctionOpInterface>(block->getParentOp());
  }
  Operation *op = root.getDefiningOp();
  return isa<memref::GetGlobalOp>(op) ||
         hasEffect<MemoryEffects::Allocate>(op, root);
}

/// The scf.for that carries `value` (as its result or its iter_arg), and
/// the index of that carried value.
static std::optional<std::pair<scf::ForOp, unsigned>> carriedBy(Value value) {
  if (auto loop = value.getDefiningOp<scf::ForOp>())
    return std::make_pair(loop, cast<OpResult>(value).getResultNumber());
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg)
    return std::nullopt;
  auto loop = dyn_cast_or_null<scf::ForOp>(arg.getOwner()->getParentOp());
  if (!loop || arg.getArgNumber() < loop.getNumInductionVars())
    return std::nullopt;
  return std::make_pair(loop, arg.getArgNumber() - loop.getNumInductionVars());
}

/// The global `get` fetches if it is constant (read-only memory), else null.
static memref::GlobalOp constantGlobal(memref::GetGlobalOp get) {
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      get, get.getNameAttr());
  return global && global.getConstant() ? global : memref::GlobalOp();
}

/// The buffers of known origin `view` may be a view of: rootOf, through
/// each arm of a run-time choice and each value a loop carries. False if a
/// buffer reached is of unknown origin (the first such in `unknown`).
static bool rootsOf(Value view, bool &exact, SmallVectorImpl<Value> &roots,
                    Value *unknown = nullptr) {
  bool known = true;
  SmallVector<Value> work{view};
  llvm::SmallDenseSet<Value> seen;
  while (!work.empty()) {
    Value root = rootOf(work.pop_back_val(), exact);
    if (!seen.insert(root).second)
      continue;
    if (auto select = root.getDefiningOp<arith::SelectOp>()) {
      work.append({select.getTrueValue(), select.getFalseValue()});
    } else if (auto ifOp = root.getDefiningOp<scf::IfOp>()) {
      unsigned i = cast<OpResult>(root).getResultNumber();
      work.append(
          {ifOp.thenYield().getOperand(i), ifOp.elseYield().getOperand(i)});
    } else if (auto carried = carriedBy(root)) {
      auto [loop, i] = *carried;
      work.append({loop.getInitArgs()[i], loop.getYieldedValues()[i]});
    } else if (knownOrigin(root)) {
      roots.push_back(root);
    } else {
      if (known && unknown)
        *unknown = root;
      known = false;
    }
  }
  return known;
}

/// Whether two buffers of known origin may be one: the same value, the same
/// global fetched twice, or a writable global and an argument (a caller may
/// have passed the global).
static bool mayBeOneBuffer(Value a, Value b) {
  if (a == b)
    return true;
  auto ga = a.getDefiningOp<memref::GetGlobalOp>(),
       gb = b.getDefiningOp<memref::GetGlobalOp>();
  if (ga && gb)
    return ga.getNameAttr() == gb.getNameAttr();
  return (ga && isa<BlockArgument>(b) && !constantGlobal(ga)) ||
         (gb && isa<BlockArgument>(a) && !constantGlobal(gb));
}

Value tessel::spec::unknownBufferOf(Value view) {
  bool exact = true;
  SmallVector<Value, 2> roots;
  Value unknown;
  (void)rootsOf(view, exact, roots, &unknown);
  return unknown;
}

memref::GlobalOp tessel::spec::constantGlobalOf(Value view) {
  bool exact = true;
  SmallVector<Value, 2> roots;
  (void)rootsOf(view, exact, roots); // those of known origin
  for (Value root : roots)
    if (auto get = root.getDefiningOp<memref::GetGlobalOp>())
      if (memref::GlobalOp global = constantGlobal(get))
        return global;
  return {};
}

namespace {
/// A static strided view: the element positions offset + sum(i_d * stride_d)
/// for 0 <= i_d < size_d, in the dimensions that are not 1.
struct Footprint {
  int64_t offset = 0;
  SmallVector<std::pair<int64_t, int64_t>>
      dims; // (stride, size), outermost first

  static std::optional<Footprint> of(MemRefType type) {
    SmallVector<int64_t> strides;
    Footprint f;
    if (!type.hasStaticShape() ||
        failed(type.getStridesAndOffset(strides, f.offset)) ||
        ShapedType::isDynamic(f.offset) ||
        llvm::any_of(strides, [](int64_t s) { return s <= 0; }))
      return std::nullopt;
    for (auto [size, stride] : llvm::zip(type.getShape(), strides))
      if (size != 1)
        f.dims.push_back({stride, size});
    llvm::sort(f.dims, std::greater<>());
    return f;
  }
  int64_t last() const {
    int64_t end = offset;
    for (auto [stride, size] : dims)
      end += (size - 1) * stride;
    return end;
  }
  SmallVector<int64_t> strides() const {
    return llvm::map_to_vector(dims, [](auto d) { return d.first; });
  }
  /// The index of the view's first element along each dimension of a
  /// mixed-radix numbering of positions: strides nest (each a multiple of the
  /// next, with room for its extent) and no index runs into the next digit.
  /// Nothing if the strides do not nest that way.
  std::optional<SmallVector<int64_t>> digits() const {
    SmallVector<int64_t> out;
    int64_t rest = offset;
    for (unsigned d = 0; d < dims.size(); ++d) {
      auto [stride, size] = dims[d];
      int64_t digit = rest / stride;
      rest %= stride;
      if (d > 0) {
        int64_t radix = dims[d - 1].first / stride;
        if (dims[d - 1].first % stride || digit + size > radix)
          return std::nullopt;
      }
      out.push_back(digit);
    }
    out.push_back(rest); // the position within the innermost stride
    return out;
  }
};
} // namespace

bool tessel::spec::sharesElements(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return false;
  // Each element its own: along the strides from smallest to largest, each
  // exceeds the span of everything inside it.
  SmallVector<std::pair<int64_t, int64_t>> dims; // (stride, size)
  for (auto [size, stride] : llvm::zip(type.getShape(), strides))
    if (size > 1)
      dims.push_back({stride, size});
  llvm::sort(dims);
  int64_t span = 0; // of the dimensions inside the current one
  for (auto [stride, size] : dims) {
    if (stride <= span)
      return true;
    span += (size - 1) * stride;
  }
  return false;
}

Overlap tessel::spec::getOverlap(Value a, Value b) {
  if (a == b)
    return Overlap::Same;
  bool exact = true;
  SmallVector<Value, 2> rootsA, rootsB;
  if (!rootsOf(a, exact, rootsA) || !rootsOf(b, exact, rootsB))
    return Overlap::Unknown;
  bool shared = llvm::any_of(rootsA, [&](Value ra) {
    return llvm::any_of(rootsB,
                        [&](Value rb) { return mayBeOneBuffer(ra, rb); });
  });
  if (!shared)
    return Overlap::Disjoint;
  // One buffer or another chosen at run time, or a global an argument may
  // be: layouts compare only within one buffer known to be one.
  auto global = [](Value root) {
    return root.getDefiningOp<memref::GetGlobalOp>() != nullptr;
  };
  if (rootsA.size() > 1 || rootsB.size() > 1 ||
      (rootsA[0] != rootsB[0] && !(global(rootsA[0]) && global(rootsB[0]))))
    return Overlap::Unknown;
  Operation *defA = a.getDefiningOp(), *defB = b.getDefiningOp();
  if (defA && defB && defA->getNumResults() == 1 &&
      OperationEquivalence::isEquivalentTo(
          defA, defB, OperationEquivalence::IgnoreLocations))
    return Overlap::Same; // the same view made twice
  auto typeA = cast<MemRefType>(a.getType()),
       typeB = cast<MemRefType>(b.getType());
  std::optional<Footprint> fa = Footprint::of(typeA), fb = Footprint::of(typeB);
  if (!exact || !fa || !fb ||
      typeA.getElementTypeBitWidth() != typeB.getElementTypeBitWidth())
    return Overlap::Unknown;
  if (fa->last() < fb->offset || fb->last() < fa->offset)
    return Overlap::Disjoint;
  if (typeA.getShape() == typeB.getShape() &&
      typeA.getLayout() == typeB.getLayout())
    return Overlap::Same;
  // Views with the same strides interleave as boxes in one mixed-radix
  // numbering of positions: they overlap iff the boxes meet in every digit.
  if (fa->strides() != fb->strides())
    return Overlap::Unknown;
  std::optional<SmallVector<int64_t>> da = fa->digits(), db = fb->digits();
  if (!da || !db)
    return Overlap::Unknown;
  if (da->back() != db->back())
    return Overlap::Disjoint; // different residues modulo the inner stride
  for (unsigned d = 0; d < fa->dims.size(); ++d) {
    int64_t sa = fa->dims[d].second, sb = fb->dims[d].second;
    if ((*da)[d] + sa <= (*db)[d] || (*db)[d] + sb <= (*da)[d])
      return Overlap::Disjoint;
  }
  return Overlap::Partial;
}

//===- Elementwise.cpp - Elementwise linalg ops to spec ops ---------------===//
//
// Any linalg op on memrefs whose loops are all parallel, with one or two
// inputs read through projected permutations (a missing loop is a
// broadcast) and one output, becomes the spec elementwise op its body
// computes. The body is recognised by what it computes, not how it is
// spelled: it is evaluated on sample points and compared with each function
// of the engine's catalog. So `arith.maximumf(x, 0)` and `cmpf` + `select`
// are both a ReLU, `0.5 * x * (1 + erf(x / sqrt 2))` in any arrangement is
// a GELU, and named ops (linalg.add, linalg.exp, ...), linalg.elementwise
// and linalg.map need no cases of their own.
//
//===----------------------------------------------------------------------===//

#include "Views.h"

#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Synthesis/Elementwise.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"
#include <cmath>

using namespace mlir;
using namespace tessel;
using synth::ElementwiseFn;

namespace {} // namespace

std::optional<double> tessel::evaluateBody(Block &body, ArrayRef<double> args) {
  llvm::DenseMap<Value, double> values;
  for (auto [arg, v] : llvm::zip(body.getArguments(), args))
    values[arg] = v;
  auto get = [&](Value v) -> std::optional<double> {
    auto it = values.find(v);
    if (it != values.end())
      return it->second;
    // Constants defined outside the body (captured).
    FloatAttr f;
    if (matchPattern(v, m_Constant(&f)))
      return f.getValueAsDouble();
    return std::nullopt;
  };
  for (Operation &op : body) {
    if (auto yield = dyn_cast<linalg::YieldOp>(op))
      return yield.getNumOperands() == 1 ? get(yield.getOperand(0))
                                         : std::nullopt;
    SmallVector<double, 3> in;
    for (Value operand : op.getOperands()) {
      std::optional<double> v = get(operand);
      if (!v)
        return std::nullopt;
      in.push_back(*v);
    }
    std::optional<double> r =
        llvm::TypeSwitch<Operation *, std::optional<double>>(&op)
            .Case([&](arith::ConstantOp c) -> std::optional<double> {
              if (auto f = dyn_cast<FloatAttr>(c.getValue()))
                return f.getValueAsDouble();
              return std::nullopt;
            })
            .Case([&](arith::AddFOp) { return in[0] + in[1]; })
            .Case([&](arith::SubFOp) { return in[0] - in[1]; })
            .Case([&](arith::MulFOp) { return in[0] * in[1]; })
            .Case([&](arith::DivFOp) { return in[0] / in[1]; })
            .Case<arith::MaximumFOp, arith::MaxNumFOp>(
                [&](auto) { return std::max(in[0], in[1]); })
            .Case<arith::MinimumFOp, arith::MinNumFOp>(
                [&](auto) { return std::min(in[0], in[1]); })
            .Case([&](arith::NegFOp) { return -in[0]; })
            .Case<arith::ExtFOp, arith::TruncFOp>([&](auto) { return in[0]; })
            .Case([&](arith::CmpFOp cmp) -> std::optional<double> {
              using P = arith::CmpFPredicate;
              double a = in[0], b = in[1];
              switch (cmp.getPredicate()) {
              case P::OGT:
              case P::UGT:
                return a > b;
              case P::OGE:
              case P::UGE:
                return a >= b;
              case P::OLT:
              case P::ULT:
                return a < b;
              case P::OLE:
              case P::ULE:
                return a <= b;
              default:
                return std::nullopt;
              }
            })
            .Case([&](arith::SelectOp) { return in[0] ? in[1] : in[2]; })
            .Case([&](math::ExpOp) { return std::exp(in[0]); })
            .Case([&](math::TanhOp) { return std::tanh(in[0]); })
            .Case([&](math::ErfOp) { return std::erf(in[0]); })
            .Case([&](math::AbsFOp) { return std::abs(in[0]); })
            .Case([&](math::SqrtOp) { return std::sqrt(in[0]); })
            .Case([&](math::RsqrtOp) { return 1 / std::sqrt(in[0]); })
            .Case([&](math::FmaOp) { return in[0] * in[1] + in[2]; })
            .Case([&](math::PowFOp) { return std::pow(in[0], in[1]); })
            .Default([](Operation *) { return std::nullopt; });
    if (!r)
      return std::nullopt;
    values[op.getResult(0)] = *r;
  }
  return std::nullopt;
}

namespace {

/// Probe points: both signs, zero, the range where GELU's forms differ
/// (|x| around 2), and values large enough for exp and tanh to saturate.
constexpr double kSamples[] = {-30,  -8,    -3.5, -2.25, -1.7, -1,  -0.6,
                               -0.3, -0.01, 0,    0.02,  0.4,  0.7, 1,
                               1.5,  2.2,   3,    5.5,   9,    30};

/// What an elementwise body computes: a catalog function of its inputs (in
/// the order given by `swapped`: true is f(arg1, arg0)), and for two inputs
/// possibly a unary function of that (`epilogue`: a bias add, then a ReLU).
struct Classified {
  ElementwiseFn fn;
  bool swapped = false;
  std::optional<ElementwiseFn> epilogue;
};

/// Whether `body` computes g(f(...)) of its first `arity` arguments (g:
/// none, or a unary function) on every sample point.
static bool computes(Block &body, unsigned arity, ElementwiseFn f, bool swapped,
                     std::optional<ElementwiseFn> g) {
  static const double unused[] = {0.0};
  for (double x : kSamples) {
    for (double y : arity == 2 ? llvm::ArrayRef<double>(kSamples)
                               : llvm::ArrayRef<double>(unused)) {
      double a = swapped ? y : x, b = swapped ? x : y;
      double want = synth::evaluate(f, x, y);
      if (g)
        want = synth::evaluate(*g, want);
      // Poles (a division by zero) say nothing.
      if (std::isnan(want) || std::isinf(want))
        continue;
      // The output's current value (unused by elementwise bodies) is
      // probed with a NaN so a body that reads it matches nothing.
      SmallVector<double, 3> args = {a};
      if (arity == 2)
        args.push_back(b);
      args.push_back(NAN);
      std::optional<double> got = evaluateBody(body, args);
      if (!got || !closeTo(*got, want))
        return false;
    }
  }
  return true;
}

/// The catalog function `body` computes of its first `arity` arguments, or
/// for two, a binary function then a unary one.
static std::optional<Classified> classify(Block &body, unsigned arity) {
  // (The identity is recognised by structure, isMoveBody: sampled, a body
  // like x * 1.000001 would pass for it.)
  auto ofArity = [&](unsigned n) {
    SmallVector<ElementwiseFn, 16> fns = synth::functionsOfArity(n);
    llvm::erase(fns, ElementwiseFn::Broadcast);
    return fns;
  };
  SmallVector<std::optional<ElementwiseFn>> epilogues = {std::nullopt};
  if (arity == 2)
    for (ElementwiseFn g : ofArity(1))
      if (synth::isEpilogue(uint8_t(g)))
        epilogues.push_back(g);
  for (std::optional<ElementwiseFn> g : epilogues)
    for (ElementwiseFn f : ofArity(arity))
      for (bool swapped : {false, true}) {
        if (swapped && arity == 1)
          continue;
        if (computes(body, arity, f, swapped, g))
          return Classified{f, swapped, g};
      }
  return std::nullopt;
}

/// The names of the catalog's functions of one or two inputs (what a body
/// may compute).
static SmallVector<StringRef> catalogOfOneOrTwoInputs() {
  SmallVector<StringRef> names;
  for (unsigned f = 0; f < synth::kNumElementwiseFns; ++f)
    if (synth::arityOf(f) <= 2 && ElementwiseFn(f) != ElementwiseFn::Broadcast)
      names.push_back(synth::nameOf(ElementwiseFn(f)));
  return names;
}

/// Creates `spec.<fn>` writing `out` from `inputs` (then `epilogue`).
Operation *createSpecOp(RewriterBase &rewriter, Location loc,
                        const Classified &fn, ValueRange inputs, Value out) {
  OperationState state(loc, "spec." + synth::nameOf(fn.fn).str());
  state.addOperands(inputs);
  state.addOperands(out);
  if (fn.epilogue)
    state.addAttribute(
        "epilogue", spec::UnaryFnAttr::get(
                        rewriter.getContext(),
                        *spec::symbolizeUnaryFn(synth::nameOf(*fn.epilogue))));
  if (isa<RankedTensorType>(out.getType()))
    state.addTypes(out.getType());
  return rewriter.create(state);
}

/// Why an operand of `op` could not be viewed in the output's order.
static std::string whyNoView(linalg::LinalgOp op) {
  return op.hasPureTensorSemantics()
             ? "an operand is read transposed (a tensor has no transposed "
               "view; a buffer has, after bufferization)"
             : "an operand cannot be viewed in the output's order";
}

/// The loops a permutation map reads, in its result order: the dimension
/// order `viewAs` takes.
static SmallVector<std::optional<unsigned>> loopsOf(AffineMap permutation) {
  SmallVector<std::optional<unsigned>> loops;
  for (unsigned i = 0, e = permutation.getNumResults(); i < e; ++i)
    loops.push_back(permutation.getDimPosition(i));
  return loops;
}

/// Whether `body` yields its first argument, as it is or cast (extf,
/// truncf, extsi): a copy, transpose or cast, i.e. a spec.move.
static bool isMoveBody(Block &body) {
  Value yielded = body.getTerminator()->getOperand(0);
  if (Operation *cast = yielded.getDefiningOp())
    if (isa<arith::ExtFOp, arith::TruncFOp, arith::ExtSIOp>(cast))
      yielded = cast->getOperand(0);
  return yielded == body.getArgument(0);
}

/// A copy, transpose or cast (linalg.copy, linalg.transpose, generics with
/// such a body and permutation maps) becomes a spec.move.
static LogicalResult importMove(linalg::LinalgOp op,
                                PatternRewriter &rewriter) {
  Value in = op.getDpsInputs()[0], out = op.getDpsInits()[0];
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[0].isPermutation() || !maps[1].isPermutation())
    return rewriter.notifyMatchFailure(
        op, "a copy that broadcasts (spec.move copies equal shapes)");
  if (failed(checkOutputOverlap(op, rewriter, /*inPlace=*/false)))
    return failure();
  Type from = getElementTypeOrSelf(in.getType()),
       to = getElementTypeOrSelf(out.getType());
  if (!spec::synthesizesMove(from, to))
    return rewriter.notifyMatchFailure(
        op, from == to
                ? "synthesis moves f32, bf16, f16, i8, i16 and i32 elements"
                : "a cast synthesis does not make (it widens bf16/f16 to "
                  "f32, i8 to i16 or i32, i16 to i32)");
  SmallVector<std::optional<unsigned>> order = loopsOf(maps[1]);
  Location loc = op.getLoc();
  FailureOr<SmallVector<Value>> views =
      viewAllAs(rewriter, loc, {in, out}, maps, {order, order});
  if (failed(views))
    return rewriter.notifyMatchFailure(op, whyNoView(op));
  replaceWithSpecOp(
      rewriter, op,
      spec::MoveOp::create(rewriter, loc, (*views)[0], (*views)[1]));
  return success();
}

struct ImportElementwise : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    // Fills and contractions have patterns of their own.
    if (isa<linalg::FillOp>(op) || op.getNumParallelLoops() != op.getNumLoops())
      return failure();
    if (!(op.hasPureBufferSemantics() || op.hasPureTensorSemantics()) ||
        op.getNumDpsInits() != 1 || op.getNumDpsInputs() < 1 ||
        op.getNumDpsInputs() > 2)
      return rewriter.notifyMatchFailure(
          op, "not an elementwise op of one or two inputs on memrefs or "
              "tensors");
    SmallVector<Value> inputs = op.getDpsInputs();
    Value out = op.getDpsInits()[0];
    if (failed(checkImportable(op, op->getOperands(), rewriter)))
      return failure();
    // A copy that broadcasts (linalg.broadcast, or a generic whose input
    // map drops loops) is a spec.broadcast, below; other copies are moves.
    if (inputs.size() == 1 && isMoveBody(*op.getBlock()) &&
        op.getIndexingMapsArray().front().isPermutation())
      return importMove(op, rewriter);
    if (failed(checkOutputOverlap(op, rewriter, /*inPlace=*/true)))
      return failure();
    Type inType = getElementTypeOrSelf(inputs[0].getType());
    if (!llvm::all_of(inputs,
                      [&](Value v) {
                        return getElementTypeOrSelf(v.getType()) == inType;
                      }) ||
        !(inType.isF32() || inType.isBF16()) ||
        !getElementTypeOrSelf(out.getType()).isF32())
      return rewriter.notifyMatchFailure(
          op, "synthesis computes elementwise ops on f32 or bf16 inputs of "
              "one type into f32");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    AffineMap outMap = maps.back();
    if (!outMap.isPermutation() ||
        !llvm::all_of(ArrayRef(maps).drop_back(), [](AffineMap m) {
          return m.isProjectedPermutation(/*allowZeroInResults=*/false);
        }))
      return rewriter.notifyMatchFailure(
          op, "indexing maps are not permutations with broadcasts");
    // A copy reaching here broadcasts (moves went above).
    std::optional<Classified> fn =
        inputs.size() == 1 && isMoveBody(*op.getBlock())
            ? std::optional(Classified{ElementwiseFn::Broadcast, false, std::nullopt})
            : classify(*op.getBlock(), inputs.size());
    if (!fn)
      return rewriter.notifyMatchFailure(op, [](Diagnostic &d) {
        d << "the body computes no function of the elementwise catalog (";
        d.appendRange(catalogOfOneOrTwoInputs());
        d << ")";
      });

    // Every operand in the output's dimension order, inputs with unit
    // dimensions where they are broadcast.
    SmallVector<std::optional<unsigned>> order = loopsOf(outMap);
    SmallVector<SmallVector<std::optional<unsigned>>> wanted;
    for (AffineMap map : ArrayRef(maps).drop_back()) {
      wanted.emplace_back();
      for (std::optional<unsigned> dim : order)
        wanted.back().push_back(map.isFunctionOfDim(*dim) ? dim : std::nullopt);
    }
    wanted.push_back(order);
    Location loc = op.getLoc();
    FailureOr<SmallVector<Value>> views = viewAllAs(
        rewriter, loc, op->getOperands(), maps,
        llvm::map_to_vector(wanted, [](auto &w) { return ArrayRef(w); }));
    if (failed(views))
      return rewriter.notifyMatchFailure(op, whyNoView(op));
    Value outView = views->pop_back_val();
    if (fn->fn == ElementwiseFn::Broadcast) {
      // spec.broadcast repeats in the same element type.
      SmallVector<int64_t> added;
      for (auto [d, loop] : llvm::enumerate(wanted.front()))
        if (!loop)
          added.push_back(d);
      if (inType != getElementTypeOrSelf(out.getType()))
        return rewriter.notifyMatchFailure(
            op, "a copy that broadcasts and casts (spec.broadcast repeats in "
                "the same type)");
      replaceWithSpecOp(rewriter, op,
                        spec::BroadcastOp::create(rewriter, loc, (*views)[0],
                                                  outView, added));
      return success();
    }
    if (fn->swapped)
      std::swap((*views)[0], (*views)[1]);
    replaceWithSpecOp(rewriter, op,
                      createSpecOp(rewriter, loc, *fn, *views, outView));
    return success();
  }
};

} // namespace

void tessel::populateElementwiseImportPatterns(RewritePatternSet &patterns) {
  patterns.add<ImportElementwise>(patterns.getContext());
}

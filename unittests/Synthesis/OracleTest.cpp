//===- OracleTest.cpp - The DP against exhaustive enumeration -------------===//
//
// The oracle shares only the action semantics (enumerateActions/applyAction)
// with the search: it collects every spec reachable from the goal, then
// solves them bottom-up in dependency order with its own restatement of the
// cost combination. No memo interface, no recursion, no bounds, no threads.
//
//===----------------------------------------------------------------------===//
#include "RandomSpecs.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Search.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/MathExtras.h"
#include "gtest/gtest.h"

using namespace tessel::synth;
using namespace tessel::synth::testing;

namespace {

struct Best {
  bool sat = false;
  Cost cost;
  Action action;
};

class Oracle {
public:
  explicit Oracle(const Target &t) : target(t) {}

  /// Returns nothing if the reachable set exceeds `cap` specs.
  std::optional<Best> solve(const Spec &goal, size_t cap = 60000) {
    // Iterative post-order: a spec is finished after all its children.
    struct Frame {
      Spec spec;
      bool expanded;
    };
    std::vector<Frame> stack{{goal, false}};
    while (!stack.empty()) {
      Frame f = stack.back();
      if (table.count(f.spec)) {
        stack.pop_back();
        continue;
      }
      if (!f.expanded) {
        stack.back().expanded = true;
        llvm::SmallVector<Action, 64> actions;
        enumerateActions(f.spec, target, actions);
        for (const Action &a : actions)
          if (auto d = applyAction(f.spec, a, target))
            for (const Child &c : d->children)
              if (!table.count(c.spec))
                stack.push_back({c.spec, false});
        continue;
      }
      stack.pop_back();
      table[f.spec] = finish(f.spec);
      if (table.size() > cap)
        return std::nullopt;
    }
    return table[goal];
  }

  size_t size() const { return table.size(); }

  /// The branch-and-bound's premise: no reachable spec's lower bound
  /// exceeds the cost of its best program.
  void expectLowerBoundsHold() const {
    for (const auto &[spec, best] : table)
      if (best.sat)
        EXPECT_LE(lowerBound(spec, target), best.cost.main) << spec.str();
  }

private:
  Best finish(const Spec &s) {
    Best best;
    llvm::SmallVector<Action, 64> actions;
    enumerateActions(s, target, actions);
    for (const Action &a : actions) {
      auto d = applyAction(s, a, target);
      if (!d)
        continue;
      // Restated: time = own cost + sum of weight x child time, where the
      // weight is the iteration count (split over cores when parallel);
      // peak = own allocation + the largest child peak (cache peaks rounded
      // up to powers of two); depth = 1 + deepest child. A serial loop's
      // credit (run starts it continues) comes off the time, down to zero.
      Cost c;
      c.main = d->baseCost;
      bool sat = true;
      for (const Child &ch : d->children) {
        const Best &b = table.find(ch.spec)->second;
        if (!b.sat) {
          sat = false;
          break;
        }
        uint64_t w = d->parallel ? (ch.count + target.cores - 1) / target.cores
                                 : ch.count;
        c.main += w * b.cost.main;
        for (unsigned l = 0; l < kNumLevels; ++l) {
          uint32_t p = b.cost.peak[l];
          if (isCacheLevel(MemoryLevel(l)))
            p = uint32_t(llvm::PowerOf2Ceil(p));
          c.peak[l] = std::max(c.peak[l], p);
        }
        c.depth = std::max(c.depth, b.cost.depth);
      }
      if (!sat)
        continue;
      c.main = c.main > d->credit ? c.main - d->credit : 0;
      c.peak[int(d->allocLevel)] += d->allocUnits;
      c.peak[int(MemoryLevel::VRF)] += d->scratchVectors;
      c.peak[int(MemoryLevel::RF)] += d->scratchScalars;
      c.depth += 1;
      int cmp = best.sat ? Cost::compare(c, best.cost) : -1;
      if (cmp < 0 || (cmp == 0 && Action::compare(a, best.action) < 0)) {
        best.sat = true;
        best.cost = c;
        best.action = a;
      }
    }
    return best;
  }

  const Target &target;
  llvm::DenseMap<Spec, Best> table;
};

void expectSame(const Best &oracle, const std::optional<MemoEntry> &dp,
                const Spec &spec, const Target &t, const char *what) {
  ASSERT_EQ(oracle.sat, dp.has_value()) << what << ": " << spec.str();
  if (!oracle.sat)
    return;
  EXPECT_EQ(oracle.cost.main, dp->cost.main) << what << ": " << spec.str();
  EXPECT_EQ(oracle.cost.peak, dp->cost.peak) << what << ": " << spec.str();
  EXPECT_EQ(oracle.cost.depth, dp->cost.depth) << what << ": " << spec.str();
  EXPECT_TRUE(oracle.action == dp->action)
      << what << ": " << spec.str() << "\n oracle: " << oracle.action.str(spec)
      << "\n dp: " << dp->action.str(spec);
}

TEST(Oracle, AgreesWithSearchOnRandomSpecs) {
  // Sapphire Rapids prices vdpbf16ps above two FMAs: bf16 products then
  // widen to f32, the bound's other branch.
  Target targets[] = {Target::avx512(), Target::avx2(),
                      *Target::byName("sapphire-rapids")};
  RandomSpecs gen(12345);
  unsigned checked = 0, sat = 0, kinds[kNumKinds] = {};
  size_t reachable = 0;
  for (unsigned i = 0; i < 1300; ++i) {
    const Target &t = targets[i % 3];
    Spec spec = gen.next(t);
    ASSERT_TRUE(spec.isValid()) << spec.str();
    Oracle oracle(t);
    std::optional<Best> want = oracle.solve(spec);
    if (!want)
      continue; // too large to enumerate
    ++checked;
    oracle.expectLowerBoundsHold();
    reachable += oracle.size();
    sat += want->sat;
    ++kinds[int(spec.kind)];
    HashMemo pruned, plain;
    SearchOptions withPruning, without;
    without.prune = false;
    expectSame(*want, Search(t, pruned, withPruning).solve(spec), spec, t,
               "pruned");
    expectSame(*want, Search(t, plain, without).solve(spec), spec, t,
               "unpruned");
    if (HasFailure())
      return;
  }
  RecordProperty("checked", checked);
  RecordProperty("reachable", int(reachable));
  EXPECT_GE(checked, 1000u);
  EXPECT_GE(sat, 800u);
  for (unsigned k = 0; k < kNumKinds; ++k)
    EXPECT_GE(kinds[k], 100u) << kindOf(SpecKind(k)).name().str();
}

// A bf16 NCHW convolution whose image is given in channel pairs
// ([n][c/2][y][x][2]) and x a whole vector: vdpbf16ps applies with the
// image as the pair-packed operand, and the bound must allow its rate.
TEST(Oracle, PairPackedChannelsFirstConvolution) {
  Target t = Target::avx512();
  uint32_t x = t.lanes(Dtype::F32);
  for (uint32_t f : {1u, 3u}) {
    TensorSpec img =
        TensorSpec::buffer({1, 1, x, 4}, Dtype::BF16, MemoryLevel::GL,
                           Layout::packed({0, 3, 1, 2}, 3, 2));
    TensorSpec w =
        TensorSpec::buffer({1, 1, 4, f}, Dtype::BF16, MemoryLevel::GL,
                           Layout::permuted({3, 0, 1, 2}));
    TensorSpec out =
        TensorSpec::buffer({1, 1, x, f}, Dtype::F32, MemoryLevel::GL,
                           Layout::permuted({0, 3, 1, 2}));
    Spec spec = Spec::conv2d(img, w, out, {1, 1}, {1, 1}, /*accum=*/true,
                             fullLimits(t));
    ASSERT_TRUE(spec.isValid()) << spec.str();
    Oracle oracle(t);
    std::optional<Best> want = oracle.solve(spec);
    ASSERT_TRUE(want && want->sat) << spec.str();
    oracle.expectLowerBoundsHold();
    HashMemo memo;
    expectSame(*want, Search(t, memo, SearchOptions()).solve(spec), spec, t,
               "pruned");
  }
}

TEST(Oracle, AgreesAcrossThreadCounts) {
  Target t = Target::avx512();
  RandomSpecs gen(777);
  for (unsigned i = 0; i < 60; ++i) {
    Spec spec = gen.matmul(t);
    Oracle oracle(t);
    std::optional<Best> want = oracle.solve(spec);
    if (!want)
      continue;
    HashMemo memo;
    SearchOptions opts;
    opts.threads = 2;
    expectSame(*want, Search(t, memo, opts).solve(spec), spec, t, "2 threads");
  }
}

} // namespace

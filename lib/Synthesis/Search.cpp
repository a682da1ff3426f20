//===- Search.cpp - Dynamic-programming synthesis -------------------------===//
#include "tessel/Synthesis/Search.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include <cmath>
#include <cstring>
#include <functional>
#include <mutex>

namespace tessel::synth {

struct Search::Pool {
  explicit Pool(unsigned threads) : pool(llvm::hardware_concurrency(threads)) {}
  llvm::DefaultThreadPool pool;
};

/// One action applied to the spec being solved, with its lower bound and,
/// once evaluated, its exact cost, a proven bound above the threshold, or
/// unsatisfiability.
struct Search::Candidate {
  Action action;
  Decomposition decomp;
  uint64_t lb = 0;
  llvm::SmallVector<uint64_t, 4> childLB; // weighted
  std::optional<Cost> cost;
  uint64_t proven = 0; // > threshold at the time it was cut, if cut
  bool cut = false;
  bool stub = false; // not built: its bound already exceeds the budget
};

/// A spec's candidates, built in place and visited through `byBound`,
/// cheapest lower bound first (a Candidate holds its children's specs
/// inline: over a kilobyte, too much to move around in a sort).
struct Search::Candidates {
  std::vector<Candidate> all;
  std::vector<Candidate *> byBound;
};

/// Result of solving under a budget: the exact memo entry, or a proven
/// lower bound above the budget.
struct Search::Outcome {
  bool solved = false;
  MemoEntry entry;
  uint64_t bound = 0;
};

/// What a failed (over-budget) expansion proved: a lower bound on the spec,
/// and one per action, so that a retry with a larger budget only rebuilds
/// the actions that may now fit. Proven under some limits, they hold under
/// any smaller ones too (fewer resources are never cheaper, as in the
/// Memo), so specs are keyed without their limits.
struct Search::Bounds {
  struct Entry {
    MemoryLimits limits;
    uint64_t bound = 0;
    std::vector<std::pair<Action, uint64_t>> actions;
  };
  SpecTable<Entry> table;

  /// `fn` of the strongest entry that holds under `spec`'s limits (null if
  /// none), under the table's lock.
  template <typename Fn> auto withStrongest(const Spec &spec, Fn fn) {
    return table.find(spec, [&](const auto *list) {
      const Entry *best = nullptr;
      if (list)
        for (const Entry &e : *list)
          if (spec.limits.within(e.limits) && (!best || e.bound > best->bound))
            best = &e;
      return fn(best);
    });
  }
  Entry get(const Spec &spec) {
    return withStrongest(spec, [](const Entry *e) { return e ? *e : Entry(); });
  }
  uint64_t bound(const Spec &spec) {
    return withStrongest(
        spec, [](const Entry *e) { return e ? e->bound : uint64_t(0); });
  }
  void put(const Spec &spec, Entry e) {
    e.limits = spec.limits;
    table.update(spec, [&](auto &list) {
      for (Entry &old : list)
        if (old.limits == e.limits) {
          if (e.bound >= old.bound)
            old = std::move(e);
          return;
        }
      list.push_back(std::move(e));
    });
  }
  /// Forget what was proven under exactly `spec`'s limits (it is solved).
  void erase(const Spec &spec) {
    table.update(spec, [&](auto &list) {
      llvm::erase_if(list,
                     [&](const Entry &e) { return e.limits == spec.limits; });
    });
  }
};

Search::Search(const Target &target, Memo &memo, SearchOptions options)
    : target(target), memo(memo), options(options),
      bounds(std::make_shared<Bounds>()),
      progress(std::make_shared<ProgressReporter>()) {
  // (The interfaces refuse more than kMaxThreads; a pool of 2^31 threads
  // would never run a task.)
  this->options.threads = std::min(options.threads, kMaxThreads);
  if (this->options.threads > 1)
    pool = std::make_shared<Pool>(this->options.threads);
}

SearchStats Search::stats() const {
  return {specsExpanded.load(), specsSolved.load(), actionsTried.load(),
          actionsPruned.load(), memoHits.load(),    exhausted.load()};
}

SearchProgress Search::progressNow() const {
  SearchProgress p;
  p.specsSolved = specsSolved.load();
  p.specsExpanded = specsExpanded.load();
  p.memoHits = memoHits.load();
  return p;
}

uint64_t Search::childBound(const Spec &child) {
  if (!options.prune)
    return 0; // unused without pruning
  if (std::optional<MemoEntry> known = memo.lookup(child))
    return known->satisfiable() ? known->cost.main : UINT64_MAX;
  return std::max(lowerBound(child, target), bounds->bound(child));
}

Search::Candidates
Search::candidates(const Spec &spec,
                   const std::vector<std::pair<Action, uint64_t>> *previous,
                   uint64_t threshold) {
  llvm::SmallVector<std::pair<Action, uint64_t>, 128> actions;
  if (previous) {
    actions.assign(previous->begin(), previous->end());
  } else {
    llvm::SmallVector<Action, 128> fresh;
    enumerateActions(spec, target, fresh, options.actionSpace);
    for (const Action &a : fresh)
      actions.push_back({a, 0});
  }
  Candidates out;
  out.all.reserve(actions.size()); // never reallocated: byBound points in
  for (const auto &[a, known] : actions) {
    Candidate &c = out.all.emplace_back();
    c.action = a;
    if (known > threshold) {
      // Proven out of reach already: keep the bound, skip the work.
      c.lb = known;
      c.stub = true;
      continue;
    }
    std::optional<Decomposition> d = applyAction(spec, a, target);
    if (!d) {
      out.all.pop_back();
      continue;
    }
    uint64_t gross = d->baseCost;
    for (unsigned i = 0; i < d->children.size(); ++i) {
      uint64_t w =
          satMul(childWeight(*d, i, target), childBound(d->children[i].spec));
      c.childLB.push_back(w);
      gross = satAdd(gross, w);
    }
    c.lb = netOfCredit(gross, d->credit);
    if (known > c.lb && !c.childLB.empty()) {
      // An earlier attempt proved more than the children's bounds say.
      c.childLB.back() = satAdd(c.childLB.back(), known - c.lb);
      c.lb = known;
    }
    c.decomp = std::move(*d);
  }
  // Cheapest bound first finds a good incumbent early; the action order
  // makes the sequence (not just the result) deterministic.
  for (Candidate &c : out.all)
    out.byBound.push_back(&c);
  llvm::sort(out.byBound, [](const Candidate *a, const Candidate *b) {
    if (a->lb != b->lb)
      return a->lb < b->lb;
    return Action::compare(a->action, b->action) < 0;
  });
  return out;
}

void Search::evaluate(const Spec &spec, Candidate &c, unsigned depth,
                      std::atomic<uint64_t> &threshold) {
  ++actionsTried;
  // Children's costs (exact so far, bounds for the rest) less the loop's
  // credit bound the action's cost from below.
  uint64_t credit = c.decomp.credit;
  uint64_t partial = c.decomp.baseCost;
  uint64_t rest = 0;
  for (uint64_t w : c.childLB)
    rest = satAdd(rest, w);
  llvm::SmallVector<Cost, 4> costs;
  for (unsigned i = 0; i < c.decomp.children.size(); ++i) {
    uint64_t thr = options.prune ? threshold.load() : UINT64_MAX;
    uint64_t sofar = netOfCredit(satAdd(partial, rest), credit);
    if (sofar > thr) {
      c.cut = true, c.proven = sofar;
      ++actionsPruned;
      return;
    }
    // The child may cost what the threshold leaves after the others.
    // Everything but this child, before the credit: the action fits when
    // others + w * child - credit <= thr.
    uint64_t w = childWeight(c.decomp, i, target);
    uint64_t others = satAdd(partial, rest) - c.childLB[i];
    uint64_t room = satAdd(thr, credit);
    uint64_t budget = thr == UINT64_MAX ? UINT64_MAX
                      : room > others   ? (room - others) / w
                                        : 0;
    Outcome o = solveRec(c.decomp.children[i].spec, depth + 1, budget);
    if (!o.solved) {
      c.cut = true,
      c.proven = netOfCredit(satAdd(others, satMul(w, o.bound)), credit);
      ++actionsPruned;
      return;
    }
    if (!o.entry.satisfiable())
      return;
    rest -= c.childLB[i];
    partial = satAdd(partial, satMul(w, o.entry.cost.main));
    costs.push_back(o.entry.cost);
  }
  if (options.prune && netOfCredit(partial, credit) > threshold.load()) {
    c.cut = true, c.proven = netOfCredit(partial, credit);
    return;
  }
  c.cost = combineCost(c.decomp, costs, target);
}

static void atomicMin(std::atomic<uint64_t> &a, uint64_t v) {
  uint64_t cur = a.load();
  while (v < cur && !a.compare_exchange_weak(cur, v)) {
  }
}

Search::Outcome Search::solveRec(const Spec &spec, unsigned depth,
                                 uint64_t budget) {
  if (std::optional<MemoEntry> e = memo.lookup(spec)) {
    ++memoHits;
    return {true, *e, 0};
  }
  if (exhausted)
    return {false, MemoEntry(), UINT64_MAX};
  if (!options.prune)
    budget = UINT64_MAX;
  Bounds::Entry previous;
  if (budget != UINT64_MAX) {
    previous = bounds->get(spec);
    if (previous.bound > budget)
      return {false, MemoEntry(), previous.bound};
  }
  Candidates found = candidates(
      spec, previous.actions.empty() ? nullptr : &previous.actions, budget);
  std::vector<Candidate *> &cands = found.byBound;
  if (++specsExpanded > options.budget && options.budget)
    exhausted = true;
  progress->tick([&] { return progressNow(); });
  std::atomic<uint64_t> threshold{budget};
  auto run = [&](Candidate &c) {
    if (c.stub || (options.prune && c.lb > threshold.load())) {
      c.cut = true, c.proven = c.lb;
      ++actionsPruned;
      return;
    }
    evaluate(spec, c, depth, threshold);
    if (c.cost)
      atomicMin(threshold, c.cost->main);
  };
  if (pool && depth < options.parallelDepth && cands.size() > 1) {
    // The most promising actions first, one per thread, so that the others
    // start with a good incumbent to prune against.
    size_t lead = std::min<size_t>(options.threads, cands.size());
    {
      llvm::ThreadPoolTaskGroup group(pool->pool);
      for (size_t i = 0; i < lead; ++i)
        group.async([&run, &cands, i] { run(*cands[i]); });
      group.wait();
    }
    llvm::ThreadPoolTaskGroup group(pool->pool);
    for (size_t i = lead; i < cands.size(); ++i)
      group.async([&run, &cands, i] { run(*cands[i]); });
    group.wait();
  } else {
    for (size_t i = 0; i < cands.size(); ++i) {
      if (options.prune && cands[i]->lb > threshold.load()) {
        // Sorted by bound: this and every later one is out of reach.
        for (size_t r = i; r < cands.size(); ++r)
          cands[r]->cut = true, cands[r]->proven = cands[r]->lb;
        ++actionsPruned;
        break;
      }
      run(*cands[i]);
    }
  }
  // An unfinished child may hide the best action: remember nothing.
  if (exhausted)
    return {false, MemoEntry(), UINT64_MAX};
  // The unique minimum of (cost, action): independent of evaluation order,
  // because every candidate that could tie with it was evaluated.
  MemoEntry best;
  uint64_t proven = UINT64_MAX;
  bool anyCut = false;
  for (const Candidate &c : found.all) {
    if (c.cut) {
      anyCut = true;
      proven = std::min(proven, c.proven);
    }
    if (!c.cost)
      continue;
    int cmp = best.satisfiable() ? Cost::compare(*c.cost, best.cost) : -1;
    if (cmp < 0 || (cmp == 0 && Action::compare(c.action, best.action) < 0)) {
      best.action = c.action;
      best.cost = *c.cost;
    }
  }
  if (!best.satisfiable() && anyCut) {
    // Nothing within budget: remember why, so that a retry returns at once
    // if its budget is below the bound, and otherwise rebuilds only the
    // actions that may fit.
    Bounds::Entry e;
    e.bound = proven;
    for (const Candidate *c : cands)
      e.actions.push_back({c->action, c->cut ? c->proven : UINT64_MAX});
    bounds->put(spec, std::move(e));
    return {false, MemoEntry(), proven};
  }
  if (!previous.actions.empty())
    bounds->erase(spec);
  ++specsSolved;
  memo.insert(spec, best);
  return {true, best, 0};
}

std::optional<MemoEntry> Search::solve(const Spec &spec) {
  if (!spec.isValid())
    return std::nullopt;
  Outcome o = solveRec(spec.canonical(), 0, UINT64_MAX);
  progress->finish([&] { return progressNow(); });
  if (!o.solved || !o.entry.satisfiable())
    return std::nullopt;
  return o.entry;
}

std::optional<Impl> Search::buildWithRoot(const Spec &spec, const Action &a,
                                          const Cost &cost) const {
  std::optional<Decomposition> d = applyAction(spec, a, target);
  if (!d)
    return std::nullopt;
  Impl impl;
  impl.spec = spec;
  impl.action = a;
  impl.cost = cost;
  for (const Child &c : d->children) {
    std::optional<Impl> sub = reconstruct(c.spec);
    if (!sub)
      return std::nullopt;
    impl.childInfo.push_back(c);
    impl.children.push_back(std::move(*sub));
  }
  return impl;
}

std::optional<Impl> Search::reconstruct(const Spec &spec) const {
  std::optional<MemoEntry> e = memo.lookup(spec);
  if (!e || !e->satisfiable())
    return std::nullopt;
  return buildWithRoot(spec, e->action, e->cost);
}

std::optional<Impl> Search::buildPinned(const Spec &spec, const Pin &pin) {
  Action action;
  if (spec == pin.spec) {
    action = pin.action;
  } else {
    std::optional<MemoEntry> e = solve(spec);
    if (!e || !e->satisfiable())
      return std::nullopt;
    action = e->action;
  }
  std::optional<Decomposition> d = applyAction(spec, action, target);
  if (!d)
    return std::nullopt;
  Impl impl;
  impl.spec = spec;
  impl.action = action;
  llvm::SmallVector<Cost, 4> costs;
  for (const Child &c : d->children) {
    std::optional<Impl> sub = buildPinned(c.spec, pin);
    if (!sub)
      return std::nullopt;
    costs.push_back(sub->cost);
    impl.childInfo.push_back(c);
    impl.children.push_back(std::move(*sub));
  }
  // The cost the search would give this tree (the pinned node's ancestors
  // change too).
  impl.cost = combineCost(*d, costs, target);
  return impl;
}

std::optional<Impl> Search::synthesizePinned(const Spec &input,
                                             const Pin &pin) {
  Spec spec = input.canonical();
  if (!spec.isValid() || !solve(spec))
    return std::nullopt;
  return buildPinned(spec, pin);
}

std::vector<Alternative> Search::alternatives(const Spec &input, unsigned k,
                                              double minGap) {
  Spec spec = input.canonical();
  std::vector<Alternative> out;
  std::vector<Impl> best = synthesize(spec);
  if (best.empty() || k == 0)
    return out;
  // Every distinct spec of the best program, in tree order.
  std::vector<const Impl *> nodes;
  std::function<void(const Impl &)> collect = [&](const Impl &n) {
    if (llvm::none_of(nodes, [&](const Impl *o) { return o->spec == n.spec; }))
      nodes.push_back(&n);
    for (const Impl &c : n.children)
      collect(c);
  };
  collect(best.front());
  std::vector<Alternative> found;
  for (const Impl *node : nodes) {
    // An action 50 % slower than the best at its node does not make a
    // top-k program; the bound prunes its search (the root's alternatives
    // would otherwise each be a whole search).
    std::atomic<uint64_t> threshold{
        satAdd(node->cost.main, node->cost.main / 2)};
    Candidates around = candidates(node->spec, nullptr, threshold.load());
    for (Candidate *candidate : around.byBound) {
      Candidate &c = *candidate;
      if (Action::compare(c.action, node->action) == 0 ||
          c.lb > threshold.load())
        continue;
      evaluate(node->spec, c, 1, threshold);
      if (!c.cost)
        continue;
      std::optional<Impl> program = buildPinned(spec, {node->spec, c.action});
      if (program)
        found.push_back({std::move(*program), Pin{node->spec, c.action}});
    }
  }
  auto cheaper = [](const Alternative &a, const Alternative &b) {
    if (int cmp = Cost::compare(a.program.cost, b.program.cost))
      return cmp < 0;
    if (int cmp = Action::compare(a.pin->action, b.pin->action))
      return cmp < 0;
    return std::memcmp(&a.pin->spec, &b.pin->spec, sizeof(Spec)) < 0;
  };
  llvm::sort(found, cheaper);
  out.push_back({std::move(best.front()), std::nullopt});
  auto nearTie = [&](const Alternative &a) {
    return llvm::any_of(out, [&](const Alternative &o) {
      double x = double(a.program.cost.main), y = double(o.program.cost.main);
      return std::abs(x - y) <= minGap * y;
    });
  };
  for (Alternative &a : found) {
    if (out.size() == k)
      break;
    if (!nearTie(a))
      out.push_back(std::move(a));
  }
  return out;
}

namespace {
/// Reads a memo and keeps what is added beside it: programs found in a
/// smaller action space answer this synthesis only.
class OverlayMemo final : public Memo {
public:
  explicit OverlayMemo(const Memo &base) : base(base) {}
  std::optional<MemoEntry> lookup(const Spec &spec) const override {
    if (std::optional<MemoEntry> e = base.lookup(spec))
      return e;
    return added.lookup(spec);
  }
  void insert(const Spec &spec, const MemoEntry &entry) override {
    added.insert(spec, entry);
  }
  size_t size() const override { return base.size() + added.size(); }

private:
  const Memo &base;
  HashMemo added;
};
} // namespace

std::string budgetWarning(const SearchOptions &options) {
  return "the search expanded its budget of " + std::to_string(options.budget) +
         " specs without finishing; this program is the best with every "
         "loop over 256 cut into blocks of 256 (it may be slower than the "
         "best); --search-budget=0 searches without a limit";
}

std::vector<Impl> Search::synthesize(const Spec &input) {
  Spec spec = input.canonical();
  std::vector<Impl> out;
  if (!spec.isValid())
    return out;
  std::optional<MemoEntry> solved = solve(spec);
  if (!solved && exhausted) {
    // Out of budget: the best program among blocks of 256 (what the full
    // search solved meanwhile is in the memo and still used).
    OverlayMemo overlay(memo);
    SearchOptions quick = options;
    quick.actionSpace = ActionSpace::quick();
    quick.budget = 0;
    Search fallback(target, overlay, quick);
    out = fallback.synthesize(spec);
    specsExpanded += fallback.specsExpanded;
    specsSolved += fallback.specsSolved;
    return out;
  }
  if (!solved)
    return out;
  if (options.topK <= 1) {
    if (std::optional<Impl> impl = reconstruct(spec))
      out.push_back(std::move(*impl));
    return out;
  }
  // Alternatives: the best program under each of the k best root actions.
  std::vector<Candidate> cands = candidates(spec, nullptr, UINT64_MAX).all;
  for (Candidate &c : cands) {
    std::atomic<uint64_t> unbounded{UINT64_MAX};
    evaluate(spec, c, 1, unbounded);
  }
  llvm::erase_if(cands, [](const Candidate &c) { return !c.cost; });
  llvm::sort(cands.begin(), cands.end(),
             [](const Candidate &a, const Candidate &b) {
               if (int cmp = Cost::compare(*a.cost, *b.cost))
                 return cmp < 0;
               return Action::compare(a.action, b.action) < 0;
             });
  for (const Candidate &c : cands) {
    if (out.size() == options.topK)
      break;
    if (std::optional<Impl> impl = buildWithRoot(spec, c.action, *c.cost))
      out.push_back(std::move(*impl));
  }
  return out;
}

} // namespace tessel::synth

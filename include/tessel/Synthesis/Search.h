//===- Search.h - Dynamic-programming synthesis -----------------*- C++ -*-===//
//
// Top-down DP over canonical sub-specs: a spec's best program is its cheapest
// action whose children all have programs. Beyond Morello:
//  * branch-and-bound: actions are tried cheapest lower bound first; an
//    action is abandoned as soon as its solved children plus lower bounds of
//    the rest exceed the best found (or the caller's budget), and children
//    are solved under the budget their parent leaves them. A child that
//    cannot meet its budget yields a proven lower bound (kept in a side
//    table), never a memo entry, so the memo holds only true optima and
//    pruning never changes an answer;
//  * several threads: the upper levels fan their actions out to a thread
//    pool sharing the memo. Every memo entry is the unique optimum under the
//    total order (cost, peak, depth, action), so any thread count gives the
//    same program;
//  * top-k alternatives (the best program for each of the k best root
//    actions) and an explanation tree.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_SEARCH_H
#define TESSEL_SYNTHESIS_SEARCH_H

#include "tessel/Synthesis/Actions.h"
#include "tessel/Synthesis/Impl.h"
#include "tessel/Synthesis/Memo.h"
#include "tessel/Synthesis/Progress.h"
#include <atomic>

namespace tessel::synth {

/// The most threads a synthesis takes, of the program (Target::cores) or of
/// the search: the interfaces refuse more.
constexpr unsigned kMaxThreads = 1024;

struct SearchOptions {
  unsigned threads = 1;
  bool prune = true;
  /// Number of alternatives returned (the best first).
  unsigned topK = 1;
  /// Levels of the search tree whose actions are fanned out to threads.
  unsigned parallelDepth = 4;
  /// Which actions the search considers on huge specs.
  ActionSpace actionSpace = ActionSpace::full();
  /// Specs a synthesis may expand (0: no limit). Past it, the search stops
  /// and synthesize() looks again in ActionSpace::quick(), whose programs
  /// are kept out of the memo (they are best only within that space), and
  /// reports it in SearchStats::budgetExceeded.
  uint64_t budget = kDefaultBudget;
  /// About a minute and 2 GB on a 2-core machine (docs/search.md).
  static constexpr uint64_t kDefaultBudget = 3'200'000;
};

/// The warning for a synthesis whose budget ran out (SearchStats).
std::string budgetWarning(const SearchOptions &options);

struct SearchStats {
  /// Specs expanded (candidates built), including budget-limited attempts.
  uint64_t specsExpanded = 0;
  uint64_t specsSolved = 0;
  uint64_t actionsTried = 0;
  uint64_t actionsPruned = 0;
  /// Specs the search found in the memo instead of expanding them.
  uint64_t memoHits = 0;
  /// The budget ran out (synthesize() then took its program from
  /// ActionSpace::quick()).
  bool budgetExceeded = false;
};

/// One of Search::alternatives: a program and the pin that makes it (none
/// for the model's best).
struct Alternative {
  Impl program;
  std::optional<Pin> pin;
};

class Search {
public:
  Search(const Target &target, Memo &memo, SearchOptions options = {});

  /// Best programs for `spec` (canonicalised first), best first; empty when
  /// nothing implements it under its limits.
  std::vector<Impl> synthesize(const Spec &spec);
  /// Cost of the best program only (fills the memo).
  std::optional<MemoEntry> solve(const Spec &spec);

  /// Rebuild a program from the memo (all sub-specs must be solved).
  std::optional<Impl> reconstruct(const Spec &spec) const;

  /// The best program for `spec` with `pin` applied, costs recomputed
  /// bottom-up; nothing if the pin does not apply where its spec occurs or
  /// `spec` has no program.
  std::optional<Impl> synthesizePinned(const Spec &spec, const Pin &pin);
  /// Up to `k` genuinely different programs for `spec`, cheapest first: the
  /// best, then the cheapest of all programs that take another action at
  /// one spec of the best (at the root or any node below), each a different
  /// tree. With `minGap` > 0, a program whose predicted time is within that
  /// fraction of one already taken is passed over (near-ties the model
  /// cannot tell apart, and a timer neither).
  std::vector<Alternative> alternatives(const Spec &spec, unsigned k,
                                        double minGap = 0);

  SearchStats stats() const;

private:
  struct Candidate;
  struct Candidates;
  struct Outcome;
  struct Bounds;
  Outcome solveRec(const Spec &spec, unsigned depth, uint64_t budget);
  void evaluate(const Spec &spec, Candidate &c, unsigned depth,
                std::atomic<uint64_t> &threshold);
  Candidates
  candidates(const Spec &spec,
             const std::vector<std::pair<Action, uint64_t>> *previous,
             uint64_t threshold);
  uint64_t childBound(const Spec &child);
  std::optional<Impl> buildWithRoot(const Spec &spec, const Action &a,
                                    const Cost &cost) const;
  std::optional<Impl> buildPinned(const Spec &spec, const Pin &pin);

  const Target &target;
  Memo &memo;
  SearchOptions options;
  struct Pool;
  std::shared_ptr<Pool> pool;
  /// Proven lower bounds of specs whose optimum exceeded a budget (not
  /// solutions, so they stay out of the Memo).
  std::shared_ptr<Bounds> bounds;
  std::atomic<uint64_t> specsExpanded{0}, specsSolved{0}, actionsTried{0},
      actionsPruned{0}, memoHits{0};
  /// Reports to the progress handler current when the search was made.
  std::shared_ptr<ProgressReporter> progress;
  SearchProgress progressNow() const;
  /// Set once the budget is spent: every unfinished solve then returns
  /// unsolved and stores nothing.
  std::atomic<bool> exhausted{false};
};

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_SEARCH_H

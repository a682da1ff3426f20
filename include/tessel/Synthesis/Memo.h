//===- Memo.h - Solved sub-specifications -----------------------*- C++ -*-===//
//
// The search remembers, per canonical Spec, the chosen Action with its cost
// and peak memory (or that no implementation exists). It never stores an
// enumeration index, so a table survives changes to the action enumeration
// as long as the actions themselves still mean the same thing.
//
// Memo is the seam for the compressed on-disk table (a separate issue): it
// must be safe to call from several search threads at once.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_MEMO_H
#define TESSEL_SYNTHESIS_MEMO_H

#include "tessel/Synthesis/Actions.h"
#include "tessel/Synthesis/Cost.h"
#include "tessel/Synthesis/SpecTable.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <atomic>

namespace tessel::synth {

/// A program that takes `action` at every occurrence of `spec` (a spec of
/// the model's best program) instead of the memo's choice: how `tessel tune`
/// names a measured alternative, and how a database records the one it kept.
struct Pin {
  Spec spec;
  Action action;
};

struct MemoEntry {
  /// kind == ActionKind::None: the spec has no implementation under its
  /// limits.
  Action action;
  Cost cost;
  bool satisfiable() const { return action.kind != ActionKind::None; }
};

class Memo {
public:
  virtual ~Memo();
  virtual std::optional<MemoEntry> lookup(const Spec &spec) const = 0;
  virtual void insert(const Spec &spec, const MemoEntry &entry) = 0;
  virtual size_t size() const = 0;
};

/// An in-memory hash map, sharded by hash so threads rarely contend.
///
/// Keys are specs without their limits; each key holds the limits it was
/// solved under. An optimum found under limits L with peak P is the optimum
/// under every L' with P <= L' <= L (fewer resources cannot make anything
/// cheaper, and the optimum still fits), and "unsatisfiable under L" holds
/// under every L' <= L. One solve thus answers a box of limits.
class HashMemo final : public Memo {
public:
  HashMemo();
  ~HashMemo() override;
  std::optional<MemoEntry> lookup(const Spec &spec) const override;
  void insert(const Spec &spec, const MemoEntry &entry) override;
  size_t size() const override;
  /// Visit every stored (spec under its solved limits, entry).
  void
  forEach(llvm::function_ref<void(const Spec &, const MemoEntry &)> fn) const;

private:
  struct Solved {
    MemoryLimits limits;
    MemoEntry entry;
  };
  SpecTable<Solved> table;
  std::atomic<size_t> entries{0};
};

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_MEMO_H

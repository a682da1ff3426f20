//===- Memo.cpp -----------------------------------------------------------===//
#include "tessel/Synthesis/Memo.h"

namespace tessel::synth {

Memo::~Memo() = default;

HashMemo::HashMemo() = default;
HashMemo::~HashMemo() = default;

static bool peakFits(const Cost &c, const MemoryLimits &l) {
  for (unsigned i = 0; i < kNumLevels; ++i)
    if (c.peak[i] > l.units[i])
      return false;
  return true;
}

std::optional<MemoEntry> HashMemo::lookup(const Spec &spec) const {
  return table.find(spec, [&](const auto *list) -> std::optional<MemoEntry> {
    if (list)
      for (const Solved &e : *list) {
        if (!spec.limits.within(e.limits))
          continue;
        if (!e.entry.satisfiable() || peakFits(e.entry.cost, spec.limits))
          return e.entry;
      }
    return std::nullopt;
  });
}

void HashMemo::insert(const Spec &spec, const MemoEntry &entry) {
  table.update(spec, [&](auto &list) {
    for (const Solved &e : list)
      if (e.limits == spec.limits)
        return; // another thread got there first (with the same answer)
    list.push_back({spec.limits, entry});
    ++entries;
  });
}

void HashMemo::forEach(
    llvm::function_ref<void(const Spec &, const MemoEntry &)> fn) const {
  table.forEach([&](const Spec &key, const auto &list) {
    for (const Solved &e : list) {
      Spec s = key;
      s.limits = e.limits;
      fn(s, e.entry);
    }
  });
}

size_t HashMemo::size() const { return entries.load(); }

} // namespace tessel::synth

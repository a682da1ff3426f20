//===- Memo.cpp -----------------------------------------------------------===//
#include "tessel/Synthesis/Memo.h"

namespace tessel::synth {

Memo::~Memo() = default;

HashMemo::HashMemo() : shards(new Shard[kShards]) {}
HashMemo::~HashMemo() = default;

static bool peakFits(const Cost &c, const MemoryLimits &l) {
  for (unsigned i = 0; i < kNumLevels; ++i)
    if (c.peak[i] > l.units[i])
      return false;
  return true;
}

std::optional<MemoEntry> HashMemo::lookup(const Spec &spec) const {
  HashedSpec key = HashedSpec::ignoringLimits(spec);
  // High bits pick the shard: DenseMap buckets use the low ones.
  Shard &s = shards[key.hash >> 58];
  std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.map.find(key);
  if (it == s.map.end())
    return std::nullopt;
  for (const Solved &e : it->second) {
    if (!spec.limits.within(e.limits))
      continue;
    if (!e.entry.satisfiable() || peakFits(e.entry.cost, spec.limits))
      return e.entry;
  }
  return std::nullopt;
}

void HashMemo::insert(const Spec &spec, const MemoEntry &entry) {
  HashedSpec key = HashedSpec::ignoringLimits(spec);
  Shard &s = shards[key.hash >> 58];
  std::lock_guard<std::mutex> lock(s.mutex);
  auto &list = s.map[key];
  for (const Solved &e : list)
    if (e.limits == spec.limits)
      return; // another thread got there first (with the same answer)
  list.push_back({spec.limits, entry});
  ++s.entries;
}

void HashMemo::forEach(
    llvm::function_ref<void(const Spec &, const MemoEntry &)> fn) const {
  for (unsigned i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards[i].mutex);
    for (const auto &kv : shards[i].map)
      for (const Solved &e : kv.second) {
        Spec s = kv.first.spec;
        s.limits = e.limits;
        fn(s, e.entry);
      }
  }
}

size_t HashMemo::size() const {
  size_t n = 0;
  for (unsigned i = 0; i < kShards; ++i) {
    std::lock_guard<std::mutex> lock(shards[i].mutex);
    n += shards[i].entries;
  }
  return n;
}

} // namespace tessel::synth

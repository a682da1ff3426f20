//===- SpecTable.h - Values per spec, whatever its limits -------*- C++ -*-===//
//
// The memo and the search's proven bounds both keep, per spec without its
// limits, a short list of values each tied to the limits it holds under.
// The search looks such tables up for every child of every action, from
// several threads, so:
//  * shards by hash, each behind its own lock, so threads rarely contend;
//  * buckets hold the 64-bit hash and a node pointer only: a 272-byte spec
//    in the bucket made every probe touch its own cache line and every
//    lookup build two sentinel specs;
//  * nodes never move (a deque per shard), so a found list stays put while
//    its shard is locked.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_SPECTABLE_H
#define TESSEL_SYNTHESIS_SPECTABLE_H

#include "tessel/Synthesis/Spec.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <deque>
#include <memory>
#include <mutex>

namespace tessel::synth {

template <typename Value> class SpecTable {
public:
  using List = llvm::SmallVector<Value, 1>;

  /// `fn(list)` under the shard's lock: the values of `spec` (its limits
  /// ignored), or null when it has none.
  template <typename Fn> auto find(const Spec &spec, Fn fn) const {
    uint64_t h = keyHash(spec);
    const Shard &s = shardOf(h);
    std::lock_guard<std::mutex> lock(s.mutex);
    const Node *n = s.find(h, spec);
    return fn(n ? &n->values : static_cast<const List *>(nullptr));
  }

  /// `fn(list)` under the shard's lock, the list of `spec` (its limits
  /// ignored) created empty when absent.
  template <typename Fn> auto update(const Spec &spec, Fn fn) {
    uint64_t h = keyHash(spec);
    Shard &s = shardOf(h);
    std::lock_guard<std::mutex> lock(s.mutex);
    Node *n = const_cast<Node *>(s.find(h, spec));
    if (!n) {
      Node *&head = s.heads[h];
      n = &s.nodes.emplace_back();
      n->key = spec;
      n->key.limits = MemoryLimits();
      n->next = head;
      head = n;
    }
    return fn(n->values);
  }

  /// `fn(spec without limits, list)` for every spec, a shard at a time
  /// under its lock.
  template <typename Fn> void forEach(Fn fn) const {
    for (unsigned i = 0; i < kShards; ++i) {
      std::lock_guard<std::mutex> lock(shards[i].mutex);
      for (const Node &n : shards[i].nodes)
        fn(n.key, n.values);
    }
  }

private:
  struct Node {
    Spec key;
    Node *next = nullptr;
    List values;
  };
  struct Shard {
    mutable std::mutex mutex;
    llvm::DenseMap<uint64_t, Node *> heads;
    std::deque<Node> nodes;

    const Node *find(uint64_t h, const Spec &spec) const {
      auto it = heads.find(h);
      if (it == heads.end())
        return nullptr;
      for (const Node *n = it->second; n; n = n->next)
        if (n->key.sameIgnoringLimits(spec))
          return n;
      return nullptr;
    }
  };
  static constexpr unsigned kShards = 64;

  /// Never one of DenseMap's two reserved keys (~0 and ~0 - 1).
  static uint64_t keyHash(const Spec &spec) {
    uint64_t h = spec.hashIgnoringLimits();
    return h >= ~uint64_t(1) ? h - 2 : h;
  }
  // High bits pick the shard: DenseMap buckets use the low ones.
  Shard &shardOf(uint64_t h) { return shards[h >> 58]; }
  const Shard &shardOf(uint64_t h) const { return shards[h >> 58]; }

  std::unique_ptr<Shard[]> shards{new Shard[kShards]};
};

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_SPECTABLE_H

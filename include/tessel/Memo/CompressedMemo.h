//===- CompressedMemo.h - The memo as merged boxes of answers ---*- C++ -*-===//
//
// A synth::Memo that stores each answer as a box in Z>=0^n (Coordinates.h):
// an answer found under limits L with peak P holds for every limit between P
// and L (unsatisfiable: between 0 and L), so one insert covers a box, and
// boxes that hold the same answer and touch merge into one. Lookups answer
// every point exactly as HashMemo does (a property test checks it).
//
// Answers are the chosen Action itself with its Cost (time, peak memory,
// depth), never an index into an enumeration.
//
// Thread-safe: tables live in shards, each behind a reader/writer lock.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MEMO_COMPRESSEDMEMO_H
#define TESSEL_MEMO_COMPRESSEDMEMO_H

#include "tessel/Memo/Coordinates.h"
#include "tessel/Synthesis/Memo.h"
#include "llvm/ADT/DenseMap.h"
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace tessel::memo {

/// The boxes of one table key. Not thread-safe by itself.
class BoxTable {
public:
  /// `indexDims`: the leading coordinates (the shape) that boxes are hashed
  /// by; boxes spanning several shapes (rare) are scanned instead.
  BoxTable(unsigned dims, unsigned indexDims)
      : numDims(dims), numIndexDims(indexDims) {}
  unsigned dims() const { return numDims; }

  /// The answer of a box containing `p`, or null.
  const synth::MemoEntry *lookup(llvm::ArrayRef<uint32_t> p) const;

  /// Record that `entry` is the answer everywhere in [lo, hi] (inclusive).
  /// `solves` is how many search results this box stands for (statistics).
  /// Boxes with the same answer that contain, are contained by, or touch
  /// the new one along one dimension merge with it. Where a box with another
  /// answer overlaps (consistent search results never do), the better
  /// answer (compareAnswers) keeps the overlap, so the result does not depend
  /// on insertion order. Returns whether any point gained an answer.
  bool insert(llvm::ArrayRef<uint32_t> lo, llvm::ArrayRef<uint32_t> hi,
              const synth::MemoEntry &entry, uint32_t solves = 1);

  /// Add a box as it is, without merging: for loading files, whose tables
  /// were merged when written.
  void append(llvm::ArrayRef<uint32_t> lo, llvm::ArrayRef<uint32_t> hi,
              const synth::MemoEntry &entry, uint32_t solves);

  size_t numBoxes() const { return live; }
  /// Visit each box: lo, hi (dims() coordinates each), answer, solves.
  void forEach(llvm::function_ref<void(llvm::ArrayRef<uint32_t>,
                                       llvm::ArrayRef<uint32_t>,
                                       const synth::MemoEntry &, uint32_t)>
                   fn) const;

private:
  static constexpr uint32_t kDead = UINT32_MAX;
  struct Box {
    llvm::SmallVector<uint32_t, kMaxDims> lo, hi;
  };
  llvm::ArrayRef<uint32_t> lo(uint32_t id) const {
    return {coords.data() + size_t(id) * 2 * numDims, numDims};
  }
  llvm::ArrayRef<uint32_t> hi(uint32_t id) const {
    return {coords.data() + size_t(id) * 2 * numDims + numDims, numDims};
  }
  bool isPointBox(const Box &b) const;
  uint64_t bucketOf(llvm::ArrayRef<uint32_t> p) const;
  uint32_t intern(const synth::MemoEntry &e);
  void candidates(const Box &b, llvm::SmallVectorImpl<uint32_t> &out) const;
  uint32_t add(const Box &b, uint32_t value, uint32_t solves);
  void remove(uint32_t id);
  Box boxOf(uint32_t id) const;
  bool mergeInsert(Box b, uint32_t value, uint32_t solves);

  unsigned numDims, numIndexDims;
  // Box i: coords[2*dims*i ...] = lo then hi.
  std::vector<uint32_t> coords;
  std::vector<uint32_t> valueOf, solvesOf;
  std::vector<uint32_t> freeIds;
  size_t live = 0;
  std::vector<synth::MemoEntry> values;
  llvm::DenseMap<uint64_t, llvm::SmallVector<uint32_t, 1>> valueIndex;
  // Boxes of one shape (nearly all) by a hash of the shape; the few that
  // span several shapes are scanned. Boxes do widen along contig and
  // strideLog2 (answers often ignore them), so those are not hashed.
  llvm::DenseMap<uint64_t, llvm::SmallVector<uint32_t, 2>> buckets;
  std::vector<uint32_t> wide;
};

/// Total order on answers used where two disagree: satisfiable first, then
/// Cost::compare, then Action::compare, then the bytes.
int compareAnswers(const synth::MemoEntry &a, const synth::MemoEntry &b);

struct MemoStats {
  size_t tables = 0;
  size_t boxes = 0;
  /// Search results recorded (inserts that answered a new point).
  uint64_t solves = 0;
  /// Canonical specs answered: the boxes' volumes summed.
  double specsAnswered = 0;
  /// Specs outside the box mapping, kept exactly.
  size_t sideEntries = 0;
};

class CompressedMemo final : public synth::Memo {
public:
  CompressedMemo();
  ~CompressedMemo() override;

  std::optional<synth::MemoEntry>
  lookup(const synth::Spec &spec) const override;
  void insert(const synth::Spec &spec, const synth::MemoEntry &entry) override;
  /// Boxes plus side entries.
  size_t size() const override;

  /// Box-level access for loading, merging and tools. Returns false (and
  /// stores nothing) if `key` is malformed or the box has the wrong size.
  bool insertBox(const TableKey &key, llvm::ArrayRef<uint32_t> lo,
                 llvm::ArrayRef<uint32_t> hi, const synth::MemoEntry &entry,
                 uint32_t solves);
  /// Like insertBox, without merging (loading a file written by this code).
  bool appendBox(const TableKey &key, llvm::ArrayRef<uint32_t> lo,
                 llvm::ArrayRef<uint32_t> hi, const synth::MemoEntry &entry,
                 uint32_t solves);
  void insertSide(const synth::Spec &spec, const synth::MemoEntry &entry);
  /// Inserts that added an answer so far (to skip saving an unchanged memo).
  uint64_t changes() const { return changeCount.load(); }
  /// Everything `other` knows, added to this table.
  void mergeFrom(const CompressedMemo &other);

  /// Tables in key order (deterministic files).
  void forEachTable(
      llvm::function_ref<void(const TableKey &, const BoxTable &)> fn) const;
  void forEachSide(
      llvm::function_ref<void(const synth::Spec &, const synth::MemoEntry &)>
          fn) const;
  MemoStats stats() const;

  /// The program `tessel tune` measured fastest for a root spec, as the pin
  /// that makes it from the model's best (synth::Search::synthesizePinned);
  /// a later tune of the same spec replaces it.
  void setTuned(const synth::Spec &root, const synth::Pin &pin);
  std::optional<synth::Pin> tuned(const synth::Spec &root) const;
  /// In the order they were set (deterministic files).
  void forEachTuned(
      llvm::function_ref<void(const synth::Spec &, const synth::Pin &)> fn)
      const;

private:
  static constexpr unsigned kShards = 64;
  struct Shard {
    mutable std::shared_mutex mutex;
    std::map<TableKey, std::unique_ptr<BoxTable>> tables;
  };
  Shard &shardOf(const TableKey &k) const { return shards[k.hash() >> 58]; }
  std::unique_ptr<Shard[]> shards;
  synth::HashMemo side;
  mutable std::mutex tunedMutex;
  std::vector<std::pair<synth::Spec, synth::Pin>> tunedChoices;
  std::atomic<size_t> sideCount{0};
  std::atomic<uint64_t> changeCount{0};
  bool addBox(const TableKey &key, llvm::ArrayRef<uint32_t> lo,
              llvm::ArrayRef<uint32_t> hi, const synth::MemoEntry &entry,
              uint32_t solves, bool merge);
};

} // namespace tessel::memo

#endif // TESSEL_MEMO_COMPRESSEDMEMO_H

//===- CompressedMemo.cpp - The memo as merged boxes of answers -----------===//
#include "tessel/Memo/CompressedMemo.h"
#include "llvm/Support/xxhash.h"
#include <cstring>
#include <mutex>
#include <type_traits>

using namespace tessel::synth;

namespace tessel::memo {

// Answers are interned by their bytes.
static_assert(std::has_unique_object_representations_v<MemoEntry>);

static bool sameBytes(const MemoEntry &a, const MemoEntry &b) {
  return std::memcmp(&a, &b, sizeof(MemoEntry)) == 0;
}

int compareAnswers(const MemoEntry &a, const MemoEntry &b) {
  if (a.satisfiable() != b.satisfiable())
    return a.satisfiable() ? -1 : 1;
  if (int c = Cost::compare(a.cost, b.cost))
    return c;
  if (int c = Action::compare(a.action, b.action))
    return c;
  int c = std::memcmp(&a, &b, sizeof(MemoEntry));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

//===----------------------------------------------------------------------===//
// BoxTable
//===----------------------------------------------------------------------===//

namespace {
bool intersects(llvm::ArrayRef<uint32_t> alo, llvm::ArrayRef<uint32_t> ahi,
                llvm::ArrayRef<uint32_t> blo, llvm::ArrayRef<uint32_t> bhi) {
  for (unsigned d = 0; d < alo.size(); ++d)
    if (alo[d] > bhi[d] || blo[d] > ahi[d])
      return false;
  return true;
}
bool contains(llvm::ArrayRef<uint32_t> alo, llvm::ArrayRef<uint32_t> ahi,
              llvm::ArrayRef<uint32_t> blo, llvm::ArrayRef<uint32_t> bhi) {
  for (unsigned d = 0; d < alo.size(); ++d)
    if (blo[d] < alo[d] || bhi[d] > ahi[d])
      return false;
  return true;
}
/// Whether the union of a and b is a box: they overlap or touch in every
/// dimension and are equal in all but at most one.
bool mergeable(llvm::ArrayRef<uint32_t> alo, llvm::ArrayRef<uint32_t> ahi,
               llvm::ArrayRef<uint32_t> blo, llvm::ArrayRef<uint32_t> bhi) {
  unsigned differing = 0;
  for (unsigned d = 0; d < alo.size(); ++d) {
    if (alo[d] == blo[d] && ahi[d] == bhi[d])
      continue;
    if (++differing > 1)
      return false;
    // Touching: b starts right after a ends, or the other way round
    // (64-bit so that UINT32_MAX + 1 does not wrap).
    if (uint64_t(alo[d]) > uint64_t(bhi[d]) + 1 ||
        uint64_t(blo[d]) > uint64_t(ahi[d]) + 1)
      return false;
  }
  return true;
}
} // namespace

bool BoxTable::isPointBox(const Box &b) const {
  for (unsigned d = 0; d < numIndexDims; ++d)
    if (b.lo[d] != b.hi[d])
      return false;
  return true;
}

uint64_t BoxTable::bucketOf(llvm::ArrayRef<uint32_t> p) const {
  return llvm::xxh3_64bits(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(p.data()),
                              numIndexDims * sizeof(uint32_t)));
}

const MemoEntry *BoxTable::lookup(llvm::ArrayRef<uint32_t> p) const {
  if (p.size() != numDims)
    return nullptr;
  auto it = buckets.find(bucketOf(p));
  if (it != buckets.end())
    for (uint32_t id : it->second)
      if (contains(lo(id), hi(id), p, p))
        return &values[valueOf[id]];
  for (uint32_t id : wide)
    if (contains(lo(id), hi(id), p, p))
      return &values[valueOf[id]];
  return nullptr;
}

uint32_t BoxTable::intern(const MemoEntry &e) {
  uint64_t h = llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(&e), sizeof(MemoEntry)));
  auto &ids = valueIndex[h];
  for (uint32_t v : ids)
    if (sameBytes(values[v], e))
      return v;
  values.push_back(e);
  ids.push_back(values.size() - 1);
  return values.size() - 1;
}

BoxTable::Box BoxTable::boxOf(uint32_t id) const {
  Box b;
  b.lo.assign(lo(id).begin(), lo(id).end());
  b.hi.assign(hi(id).begin(), hi(id).end());
  return b;
}

void BoxTable::candidates(const Box &b,
                          llvm::SmallVectorImpl<uint32_t> &out) const {
  if (!isPointBox(b)) {
    // Rare (merged across shapes): scan everything.
    for (uint32_t id = 0; id < valueOf.size(); ++id)
      if (valueOf[id] != kDead)
        out.push_back(id);
    return;
  }
  auto addBucket = [&](llvm::ArrayRef<uint32_t> p) {
    auto it = buckets.find(bucketOf(p));
    if (it != buckets.end())
      out.append(it->second.begin(), it->second.end());
  };
  addBucket(b.lo);
  // Boxes of the neighbouring shapes may merge with it too.
  Point q(b.lo.begin(), b.lo.end());
  for (unsigned d = 0; d < numIndexDims; ++d) {
    uint32_t c = q[d];
    if (c > 0) {
      q[d] = c - 1;
      addBucket(q);
    }
    if (c < UINT32_MAX) {
      q[d] = c + 1;
      addBucket(q);
    }
    q[d] = c;
  }
  out.append(wide.begin(), wide.end());
  llvm::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

uint32_t BoxTable::add(const Box &b, uint32_t value, uint32_t solves) {
  uint32_t id;
  if (!freeIds.empty()) {
    id = freeIds.back();
    freeIds.pop_back();
  } else {
    id = valueOf.size();
    valueOf.push_back(kDead);
    solvesOf.push_back(0);
    coords.resize(coords.size() + 2 * numDims);
  }
  std::copy(b.lo.begin(), b.lo.end(),
            coords.begin() + size_t(id) * 2 * numDims);
  std::copy(b.hi.begin(), b.hi.end(),
            coords.begin() + size_t(id) * 2 * numDims + numDims);
  valueOf[id] = value;
  solvesOf[id] = solves;
  if (isPointBox(b))
    buckets[bucketOf(b.lo)].push_back(id);
  else
    wide.push_back(id);
  ++live;
  return id;
}

void BoxTable::remove(uint32_t id) {
  Box b = boxOf(id);
  if (isPointBox(b)) {
    auto it = buckets.find(bucketOf(b.lo));
    llvm::erase(it->second, id);
    if (it->second.empty())
      buckets.erase(it);
  } else {
    llvm::erase(wide, id);
  }
  valueOf[id] = kDead;
  solvesOf[id] = 0;
  freeIds.push_back(id);
  --live;
}

/// The parts of `a` outside `b` (they intersect), as disjoint boxes.
static void subtract(
    llvm::SmallVector<uint32_t, kMaxDims> alo,
    llvm::SmallVector<uint32_t, kMaxDims> ahi, llvm::ArrayRef<uint32_t> blo,
    llvm::ArrayRef<uint32_t> bhi,
    llvm::function_ref<void(llvm::ArrayRef<uint32_t>, llvm::ArrayRef<uint32_t>)>
        piece) {
  for (unsigned d = 0; d < alo.size(); ++d) {
    if (alo[d] < blo[d]) {
      auto hi = ahi;
      hi[d] = blo[d] - 1;
      piece(alo, hi);
      alo[d] = blo[d];
    }
    if (ahi[d] > bhi[d]) {
      auto lo = alo;
      lo[d] = bhi[d] + 1;
      piece(lo, ahi);
      ahi[d] = bhi[d];
    }
  }
}

bool BoxTable::insert(llvm::ArrayRef<uint32_t> lo0,
                      llvm::ArrayRef<uint32_t> hi0, const MemoEntry &entry,
                      uint32_t solves) {
  if (lo0.size() != numDims || hi0.size() != numDims)
    return false;
  for (unsigned d = 0; d < numDims; ++d)
    if (lo0[d] > hi0[d])
      return false;
  uint32_t v = intern(entry);
  std::vector<Box> pending(1);
  pending[0].lo.assign(lo0.begin(), lo0.end());
  pending[0].hi.assign(hi0.begin(), hi0.end());
  bool changed = false;
  while (!pending.empty()) {
    Box b = std::move(pending.back());
    pending.pop_back();
    // Overlaps with other answers: the better answer keeps the overlap.
    llvm::SmallVector<uint32_t, 16> cands;
    candidates(b, cands);
    bool lost = false;
    for (uint32_t id : cands) {
      uint32_t w = valueOf[id];
      if (w == kDead || w == v || !intersects(lo(id), hi(id), b.lo, b.hi))
        continue;
      if (compareAnswers(entry, values[w]) < 0) {
        Box e = boxOf(id);
        uint32_t es = solvesOf[id];
        remove(id);
        subtract(e.lo, e.hi, b.lo, b.hi,
                 [&](llvm::ArrayRef<uint32_t> l, llvm::ArrayRef<uint32_t> h) {
                   Box p;
                   p.lo.assign(l.begin(), l.end());
                   p.hi.assign(h.begin(), h.end());
                   add(p, w, es);
                   es = 0; // counted once
                 });
      } else {
        subtract(b.lo, b.hi, lo(id), hi(id),
                 [&](llvm::ArrayRef<uint32_t> l, llvm::ArrayRef<uint32_t> h) {
                   Box p;
                   p.lo.assign(l.begin(), l.end());
                   p.hi.assign(h.begin(), h.end());
                   pending.push_back(std::move(p));
                 });
        lost = true;
        break;
      }
    }
    if (lost)
      continue;
    changed |= mergeInsert(std::move(b), v, solves);
    solves = 0;
  }
  return changed;
}

bool BoxTable::mergeInsert(Box b, uint32_t v, uint32_t solves) {
  for (bool grew = true; grew;) {
    grew = false;
    llvm::SmallVector<uint32_t, 16> cands;
    candidates(b, cands);
    for (uint32_t id : cands) {
      if (valueOf[id] != v)
        continue;
      if (contains(lo(id), hi(id), b.lo, b.hi))
        return false; // already known everywhere
      if (contains(b.lo, b.hi, lo(id), hi(id))) {
        solves += solvesOf[id];
        remove(id);
        continue;
      }
      if (mergeable(lo(id), hi(id), b.lo, b.hi)) {
        for (unsigned d = 0; d < numDims; ++d) {
          b.lo[d] = std::min(b.lo[d], lo(id)[d]);
          b.hi[d] = std::max(b.hi[d], hi(id)[d]);
        }
        solves += solvesOf[id];
        remove(id);
        grew = true; // the bigger box may now touch others
        break;
      }
    }
  }
  add(b, v, solves);
  return true;
}

void BoxTable::append(llvm::ArrayRef<uint32_t> l, llvm::ArrayRef<uint32_t> h,
                      const MemoEntry &entry, uint32_t solves) {
  Box b;
  b.lo.assign(l.begin(), l.end());
  b.hi.assign(h.begin(), h.end());
  add(b, intern(entry), solves);
}

void BoxTable::forEach(
    llvm::function_ref<void(llvm::ArrayRef<uint32_t>, llvm::ArrayRef<uint32_t>,
                            const MemoEntry &, uint32_t)>
        fn) const {
  for (uint32_t id = 0; id < valueOf.size(); ++id)
    if (valueOf[id] != kDead)
      fn(lo(id), hi(id), values[valueOf[id]], solvesOf[id]);
}

//===----------------------------------------------------------------------===//
// CompressedMemo
//===----------------------------------------------------------------------===//

CompressedMemo::CompressedMemo() : shards(new Shard[kShards]) {}
CompressedMemo::~CompressedMemo() = default;

static bool peakFits(const Cost &c, const MemoryLimits &l) {
  for (unsigned i = 0; i < kNumLevels; ++i)
    if (c.peak[i] > l.units[i])
      return false;
  return true;
}

std::optional<MemoEntry> CompressedMemo::lookup(const Spec &spec) const {
  if (std::optional<Coordinates> c = encode(spec, /*roundLimitsUp=*/true)) {
    Shard &s = shardOf(c->key);
    std::shared_lock<std::shared_mutex> lock(s.mutex);
    auto it = s.tables.find(c->key);
    if (it != s.tables.end())
      if (const MemoEntry *e = it->second->lookup(c->point))
        // The peak check makes rounded-up lookups exact (Coordinates.cpp),
        // and never lets an answer through that does not fit.
        if (!e->satisfiable() || peakFits(e->cost, spec.limits))
          return *e;
  }
  if (sideCount.load(std::memory_order_relaxed))
    return side.lookup(spec);
  return std::nullopt;
}

void CompressedMemo::insert(const Spec &spec, const MemoEntry &entry) {
  std::optional<Coordinates> c = encode(spec);
  if (!c) {
    insertSide(spec, entry);
    return;
  }
  Point lo = c->point, &hi = c->point;
  unsigned first = limitStart(lo.size());
  for (unsigned l = 0; l < kNumLevels; ++l) {
    uint32_t peak = entry.satisfiable() ? entry.cost.peak[l] : 0;
    lo[first + l] =
        isByteLevel(MemoryLevel(l)) ? byteLimitCodeCeil(peak) : peak;
  }
  if (!insertBox(c->key, lo, hi, entry, 1))
    insertSide(spec, entry); // a peak above its limits: keep it exact
}

bool CompressedMemo::insertBox(const TableKey &key, llvm::ArrayRef<uint32_t> lo,
                               llvm::ArrayRef<uint32_t> hi,
                               const MemoEntry &entry, uint32_t solves) {
  return addBox(key, lo, hi, entry, solves, /*merge=*/true);
}

bool CompressedMemo::appendBox(const TableKey &key, llvm::ArrayRef<uint32_t> lo,
                               llvm::ArrayRef<uint32_t> hi,
                               const MemoEntry &entry, uint32_t solves) {
  return addBox(key, lo, hi, entry, solves, /*merge=*/false);
}

bool CompressedMemo::addBox(const TableKey &key, llvm::ArrayRef<uint32_t> lo,
                            llvm::ArrayRef<uint32_t> hi, const MemoEntry &entry,
                            uint32_t solves, bool merge) {
  unsigned dims = key.dims();
  if (!dims || lo.size() != dims || hi.size() != dims)
    return false;
  for (unsigned d = 0; d < dims; ++d)
    if (lo[d] > hi[d])
      return false;
  Shard &s = shardOf(key);
  std::unique_lock<std::shared_mutex> lock(s.mutex);
  std::unique_ptr<BoxTable> &t = s.tables[key];
  if (!t)
    t = std::make_unique<BoxTable>(dims, key.shapeDims());
  if (!merge)
    t->append(lo, hi, entry, solves);
  else if (t->insert(lo, hi, entry, solves))
    ++changeCount;
  return true;
}

void CompressedMemo::insertSide(const Spec &spec, const MemoEntry &entry) {
  side.insert(spec, entry);
  sideCount.store(side.size());
  ++changeCount;
}

void CompressedMemo::mergeFrom(const CompressedMemo &other) {
  other.forEachTable([&](const TableKey &key, const BoxTable &t) {
    t.forEach([&](llvm::ArrayRef<uint32_t> lo, llvm::ArrayRef<uint32_t> hi,
                  const MemoEntry &e,
                  uint32_t solves) { insertBox(key, lo, hi, e, solves); });
  });
  other.forEachSide(
      [&](const Spec &s, const MemoEntry &e) { insertSide(s, e); });
  // This process's tuning is the newer: keep it where both have one.
  other.forEachTuned([&](const Spec &root, const Pin &pin) {
    if (!tuned(root))
      setTuned(root, pin);
  });
}

void CompressedMemo::setTuned(const Spec &root, const Pin &pin) {
  std::lock_guard<std::mutex> lock(tunedMutex);
  ++changeCount;
  for (auto &[r, p] : tunedChoices)
    if (r == root) {
      p = pin;
      return;
    }
  tunedChoices.push_back({root, pin});
}

std::optional<Pin> CompressedMemo::tuned(const Spec &root) const {
  std::lock_guard<std::mutex> lock(tunedMutex);
  for (const auto &[r, p] : tunedChoices)
    if (r == root)
      return p;
  return std::nullopt;
}

void CompressedMemo::forEachTuned(
    llvm::function_ref<void(const Spec &, const Pin &)> fn) const {
  std::vector<std::pair<Spec, Pin>> all;
  {
    std::lock_guard<std::mutex> lock(tunedMutex);
    all = tunedChoices;
  }
  for (const auto &[r, p] : all)
    fn(r, p);
}

void CompressedMemo::forEachTable(
    llvm::function_ref<void(const TableKey &, const BoxTable &)> fn) const {
  // Gather first: files must list tables in one order whatever the shards.
  std::vector<std::pair<const TableKey *, const BoxTable *>> all;
  for (unsigned i = 0; i < kShards; ++i) {
    std::shared_lock<std::shared_mutex> lock(shards[i].mutex);
    for (const auto &kv : shards[i].tables)
      all.push_back({&kv.first, kv.second.get()});
  }
  llvm::sort(all,
             [](const auto &a, const auto &b) { return *a.first < *b.first; });
  // Tables are never removed, so the pointers stay valid; the caller must not
  // insert concurrently with this walk.
  for (auto [k, t] : all)
    fn(*k, *t);
}

void CompressedMemo::forEachSide(
    llvm::function_ref<void(const Spec &, const MemoEntry &)> fn) const {
  side.forEach(fn);
}

size_t CompressedMemo::size() const {
  size_t n = sideCount.load();
  for (unsigned i = 0; i < kShards; ++i) {
    std::shared_lock<std::shared_mutex> lock(shards[i].mutex);
    for (const auto &kv : shards[i].tables)
      n += kv.second->numBoxes();
  }
  return n;
}

MemoStats CompressedMemo::stats() const {
  MemoStats st;
  forEachTable([&](const TableKey &, const BoxTable &t) {
    ++st.tables;
    st.boxes += t.numBoxes();
    t.forEach([&](llvm::ArrayRef<uint32_t> lo, llvm::ArrayRef<uint32_t> hi,
                  const MemoEntry &, uint32_t solves) {
      st.solves += solves;
      double v = 1;
      for (unsigned d = 0; d < lo.size(); ++d)
        v *= double(hi[d]) - double(lo[d]) + 1;
      st.specsAnswered += v;
    });
  });
  st.sideEntries = sideCount.load();
  st.solves += st.sideEntries;
  st.specsAnswered += double(st.sideEntries);
  return st;
}

} // namespace tessel::memo

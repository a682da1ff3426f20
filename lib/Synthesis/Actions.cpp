//===- Actions.cpp - Enumerating and applying actions ---------------------===//
#include "tessel/Synthesis/Actions.h"
#include "llvm/Support/MathExtras.h"
#include <cassert>
#include <cstring>

namespace tessel::synth {

//===----------------------------------------------------------------------===//
// Action values
//===----------------------------------------------------------------------===//

Action Action::select(KernelId k) {
  Action a;
  a.kind = ActionKind::Select;
  a.kernel = k;
  return a;
}

Action Action::toAccum() {
  Action a;
  a.kind = ActionKind::ToAccum;
  return a;
}

Action Action::tileOut(llvm::ArrayRef<uint32_t> tile, bool parallel) {
  Action a;
  a.kind = ActionKind::TileOut;
  a.parallel = parallel;
  for (unsigned d = 0; d < tile.size(); ++d)
    a.size[d] = tile[d];
  return a;
}

Action Action::split(uint32_t tile, unsigned reduction) {
  Action a;
  a.kind = ActionKind::Split;
  a.size[0] = tile;
  a.reduction = uint8_t(reduction);
  return a;
}

Action Action::move(unsigned operand, MoveKind kind, MemoryLevel level,
                    const Layout &layout, Dtype dtype) {
  Action a;
  a.kind = ActionKind::Move;
  a.operand = operand;
  a.moveKind = kind;
  a.dstLevel = level;
  a.dstLayout = layout;
  a.dstDtype = dtype;
  return a;
}

bool Action::operator==(const Action &o) const {
  return compare(*this, o) == 0;
}

int Action::compare(const Action &a, const Action &b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (int c = cmp(a.kind, b.kind))
    return c;
  switch (a.kind) {
  case ActionKind::None:
  case ActionKind::ToAccum:
    return 0;
  case ActionKind::Select:
    return cmp(a.kernel, b.kernel);
  case ActionKind::Move:
    if (int c = cmp(a.operand, b.operand))
      return c;
    if (int c = cmp(a.dstLevel, b.dstLevel))
      return c;
    if (int c = cmp(a.moveKind, b.moveKind))
      return c;
    if (int c = cmp(a.dstDtype, b.dstDtype))
      return c;
    if (a.dstLayout != b.dstLayout)
      return a.dstLayout < b.dstLayout ? -1 : 1;
    return 0;
  case ActionKind::TileOut:
  case ActionKind::Split:
    if (int c = cmp(a.parallel, b.parallel))
      return c;
    if (int c = cmp(a.reduction, b.reduction))
      return c;
    for (unsigned d = 0; d < kMaxRank; ++d)
      if (int c = cmp(a.size[d], b.size[d]))
        return c;
    return 0;
  }
  return 0;
}

void Action::print(llvm::raw_ostream &os, const Spec &spec) const {
  switch (kind) {
  case ActionKind::None:
    os << "unsatisfiable";
    return;
  case ActionKind::Select:
    os << "kernel " << kernelName(kernel);
    return;
  case ActionKind::ToAccum:
    if (kindOf(spec.kind).accumulatorInit(spec) == FillValue::Zero)
      os << "zero the output, then accumulate";
    else
      os << "fill the output with the identity, then accumulate";
    return;
  case ActionKind::Move:
    os << (moveKind == MoveKind::CacheView ? "view " : "copy ")
       << kindOf(spec.kind).operandName(operand) << " in "
       << levelName(dstLevel);
    if (moveKind == MoveKind::Copy) {
      if (!isRegisterLevel(dstLevel)) {
        // As it applies to this operand (unit dims dropped).
        unsigned contig = dstLayout.size();
        os << " as "
           << dstLayout.canonicalize(spec.operands[operand].dims(), contig)
                  .str();
      }
      if (dstDtype != spec.operands[operand].dtype)
        os << " cast to " << dtypeName(dstDtype);
    }
    return;
  case ActionKind::TileOut:
  case ActionKind::Split: {
    std::optional<IterationSpace> space = iterationSpace(spec);
    if (!space) {
      os << "<loop of a malformed spec>";
      return;
    }
    if (kind == ActionKind::Split) {
      os << "split ";
      space->printLoop(os, loopOf(*space, *this, 0));
      os << " by " << size[0];
      return;
    }
    os << (parallel ? "parallel tile " : "tile ");
    const TensorSpec &out = spec.output();
    bool first = true;
    for (unsigned d = 0; d < out.rank; ++d) {
      if (size[d] == out.shape[d])
        continue;
      os << (first ? "" : ", ");
      first = false;
      space->printLoop(os, loopOf(*space, *this, d));
      os << " by " << size[d];
    }
    return;
  }
  }
}

std::string Action::str(const Spec &spec) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  print(os, spec);
  return s;
}

//===----------------------------------------------------------------------===//
// Candidates
//===----------------------------------------------------------------------===//

void tileSizeCandidates(uint32_t extent, unsigned quantum,
                        llvm::SmallVectorImpl<uint32_t> &out) {
  // Small sizes: every register-block height up to 16 (skipping primes above
  // 10 that no register tile needs); along a vector dim (quantum = lanes)
  // only 1 and whole vectors. Then 2^i and 3*2^i from 16 up: cache blocks.
  static const uint32_t small[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16};
  if (quantum <= 1) {
    for (uint32_t s : small)
      if (s < extent)
        out.push_back(s);
  } else {
    // Single elements always: the scalar kernels are the fallback when no
    // vector kernel applies (e.g. a matmul whose n is not a multiple of the
    // lanes needs k split to 1 even when k is a multiple of them).
    out.push_back(1);
    for (uint32_t j = 1; j <= 4; ++j)
      if (j * quantum < extent)
        out.push_back(j * quantum);
  }
  for (uint64_t p = 16; p < extent; p *= 2) {
    if (p > 16)
      out.push_back(uint32_t(p));
    if (3 * p < extent && 3 * p > 16)
      out.push_back(uint32_t(3 * p));
  }
  llvm::erase_if(out, [&](uint32_t s) { return s >= extent; });
  llvm::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void blockSizeCandidates(uint32_t extent,
                         llvm::SmallVectorImpl<uint32_t> &out) {
  for (uint64_t p = 1; p < extent; p *= 2) {
    out.push_back(uint32_t(p));
    if (3 * p < extent)
      out.push_back(uint32_t(3 * p));
  }
  // Register-tile heights that divide the extent: blocks of whole tiles
  // (14 columns of 56).
  for (uint32_t h = 5; h <= 16; ++h)
    if (h < extent && extent % h == 0)
      out.push_back(h);
  llvm::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

static bool allGlobal(const Spec &s) {
  for (unsigned i = 0; i < s.numOperands(); ++i)
    if (s.operands[i].level != MemoryLevel::GL)
      return false;
  return true;
}

/// The output's dims: the parallel loops an output tiling tiles.
static Shape outputShape(const Spec &s) {
  const TensorSpec &o = s.output();
  return Shape(o.dims().begin(), o.dims().end());
}

unsigned loopOf(const IterationSpace &space, const Action &a, unsigned dim) {
  return a.kind == ActionKind::Split ? space.numParallel + a.reduction : dim;
}

static void enumerateMoves(const Spec &s, const Kind &kind, const Target &t,
                           llvm::SmallVectorImpl<Action> &out) {
  if (!kind.stagesInputs())
    return;
  for (unsigned i = 0; i < s.numOperands(); ++i) {
    const TensorSpec &op = s.operands[i];
    if (isRegisterLevel(op.level))
      continue;
    // Inputs only: the output goes straight to registers (its tile is
    // loaded and stored once per pass, charged at its own level).
    for (MemoryLevel dst : {MemoryLevel::L2, MemoryLevel::L1}) {
      if (s.role(i) != OperandRole::In || !isFaster(dst, op.level))
        continue;
      out.push_back(
          Action::move(i, MoveKind::CacheView, dst, op.layout, op.dtype));
      // Copies (packing, casts) build the L2-resident block, as in BLIS;
      // its pieces then enter L1 as views.
      if (dst != MemoryLevel::L2 || !kind.copiesInput(s, i))
        continue;
      llvm::SmallVector<Dtype, 2> dtypes = {op.dtype};
      if (isWideningCast(op.dtype, Dtype::F32))
        dtypes.push_back(Dtype::F32);
      for (Dtype dt : dtypes) {
        llvm::SmallVector<Layout, 6> layouts = {Layout::rowMajor(op.rank)};
        kind.copyLayouts(s, i, dt, t, layouts);
        for (const Layout &l : layouts)
          out.push_back(Action::move(i, MoveKind::Copy, dst, l, dt));
      }
    }
    // The output tile into vector registers (the register tile).
    if (i == s.outputIndex())
      if (std::optional<Layout> l = kind.registerTile(s, t))
        out.push_back(
            Action::move(i, MoveKind::Copy, MemoryLevel::VRF, *l, op.dtype));
  }
}

/// Tile quantum of output dim `d`: vector lanes along the dim vectors run
/// (a tile of a few elements there can only use scalar code), else 1.
static unsigned quantumOf(const Spec &s, unsigned d, const Target &t) {
  const TensorSpec &o = s.output();
  const Layout &l = o.layout;
  // A blocked innermost entry (e.g. bf16 pairs) is not a vector run.
  if (l.size() == 0 || int(d) != l.innermostDim() || l.block(l.size() - 1))
    return 1;
  return t.lanes(o.dtype);
}

/// Reduction splits: 1 (scalar code), whole cache lines of f32, and cache
/// blocks.
constexpr unsigned kSplitQuantum = 16;

static void enumerateParallelTiles(const Spec &s, const IterationSpace &space,
                                   const Target &t,
                                   llvm::SmallVectorImpl<Action> &out);

static void enumerateTiles(const Spec &s, const IterationSpace &space,
                           const Target &t,
                           llvm::SmallVectorImpl<Action> &out) {
  // Register tensors are used whole: a register tile is not re-tiled (a
  // matmul may still split k around it).
  for (unsigned i = 0; i < s.numOperands(); ++i)
    if (s.operands[i].level == MemoryLevel::VRF)
      return;
  Shape shape = outputShape(s);
  llvm::SmallVector<uint32_t, 32> cands;
  // Serial, one dimension at a time (nesting gives every multi-dim tiling).
  for (unsigned d = 0; d < shape.size(); ++d) {
    if (shape[d] <= 1)
      continue;
    cands.clear();
    if (space.isBatch(d))
      cands.push_back(1); // batches one at a time
    else if (kindOf(s.kind).tilesInBlocks(s, d))
      blockSizeCandidates(shape[d], cands);
    else
      tileSizeCandidates(shape[d], quantumOf(s, d, t), cands);
    for (uint32_t c : cands) {
      Shape tile = shape;
      tile[d] = c;
      out.push_back(Action::tileOut(tile, false));
    }
  }
  enumerateParallelTiles(s, space, t, out);
}

/// Parallel loops over one or two dims, only at the top (all in memory).
static void enumerateParallelTiles(const Spec &s, const IterationSpace &space,
                                   const Target &t,
                                   llvm::SmallVectorImpl<Action> &out) {
  Shape shape = outputShape(s);
  if (!s.serial && t.cores > 1 && allGlobal(s)) {
    auto parallelSizes = [&](unsigned d, uint32_t e,
                             llvm::SmallVectorImpl<uint32_t> &v) {
      llvm::SmallVector<uint32_t, 32> c;
      tileSizeCandidates(e, quantumOf(s, d, t), c);
      for (uint32_t x : c) {
        uint64_t iters = llvm::divideCeil(e, x);
        if (iters >= t.cores && iters <= 8 * t.cores)
          v.push_back(x);
      }
    };
    llvm::SmallVector<uint32_t, 8> sizes[kMaxRank];
    for (unsigned d = 0; d < shape.size(); ++d)
      if (shape[d] > 1)
        parallelSizes(d, shape[d], sizes[d]);
    for (unsigned d = 0; d < shape.size(); ++d)
      for (uint32_t x : sizes[d]) {
        Shape tile = shape;
        tile[d] = x;
        out.push_back(Action::tileOut(tile, true));
      }
    // Blocks of two dims cut a reduction's input traffic (a matmul's m x n
    // blocks); without reductions each element is read once anyway.
    if (space.numReductions())
      for (unsigned d1 = 0; d1 < shape.size(); ++d1)
        for (unsigned d2 = d1 + 1; d2 < shape.size(); ++d2) {
          if (space.isBatch(d1) || space.isBatch(d2))
            continue;
          for (uint32_t x : sizes[d1])
            for (uint32_t y : sizes[d2]) {
              Shape tile = shape;
              tile[d1] = x;
              tile[d2] = y;
              out.push_back(Action::tileOut(tile, true));
            }
        }
  }
}

bool ActionSpace::isCoarse(const IterationSpace &space) const {
  uint64_t volume = 1;
  bool longLoop = false;
  for (unsigned l = 0; l < space.numLoops; ++l) {
    volume = satMul(volume, space.extents[l]);
    longLoop |= space.extents[l] > blockAbove;
  }
  return longLoop && volume > coarseVolume;
}

/// A coarse spec's actions (ActionSpace): its long loops cut into blocks
/// and zeroing the output first. The blocks run their own parallel loops:
/// one family of block sub-specs (not also their serial twins) to search.
static void enumerateBlocks(const Spec &s, const IterationSpace &space,
                            const Target &t, const ActionSpace &actionSpace,
                            llvm::SmallVectorImpl<Action> &out) {
  if (!s.accum && kindOf(s.kind).accumulatorInit(s))
    out.push_back(Action::toAccum());
  Shape shape = outputShape(s);
  for (unsigned l = 0; l < space.numLoops; ++l) {
    uint32_t extent = space.extents[l];
    bool reduction = l >= space.numParallel;
    if (extent <= actionSpace.blockAbove || (reduction && !s.accum))
      continue;
    for (uint32_t b = actionSpace.smallestBlock; b <= actionSpace.blockAbove;
         b *= 2) {
      if (reduction) {
        out.push_back(Action::split(b, l - space.numParallel));
      } else {
        Shape tile = shape;
        tile[l] = b;
        out.push_back(Action::tileOut(tile, false));
      }
    }
  }
}

void enumerateActions(const Spec &s, const Target &t,
                      llvm::SmallVectorImpl<Action> &out,
                      const ActionSpace &actionSpace) {
  std::optional<IterationSpace> space = loopsOf(s);
  if (!space)
    return;
  if (actionSpace.isCoarse(*space))
    return enumerateBlocks(s, *space, t, actionSpace, out);
  const Kind &kind = kindOf(s.kind);
  for (KernelId k : kind.kernels())
    out.push_back(Action::select(k));
  if (!s.accum && kind.accumulatorInit(s))
    out.push_back(Action::toAccum());
  enumerateMoves(s, kind, t, out);
  enumerateTiles(s, *space, t, out);
  if (!s.accum)
    return;
  llvm::SmallVector<uint32_t, 32> cands;
  for (unsigned r = 0; r < space->numReductions(); ++r) {
    uint32_t extent = space->extents[space->numParallel + r];
    if (extent <= 1)
      continue;
    cands.clear();
    tileSizeCandidates(extent, kSplitQuantum, cands);
    for (uint32_t c : cands)
      out.push_back(Action::split(c, r));
  }
}

//===----------------------------------------------------------------------===//
// Application
//===----------------------------------------------------------------------===//

/// `s` with the loops spanning `loops`.
static std::optional<Spec> tiledSpec(const Spec &s, const IterationSpace &space,
                                     llvm::ArrayRef<uint32_t> loops,
                                     bool serial) {
  Spec c = s;
  for (unsigned i = 0; i < s.numOperands(); ++i) {
    auto t =
        s.operands[i].tile(space.operandShape(i, s.operands[i].rank, loops));
    if (!t)
      return std::nullopt;
    c.operands[i] = *t;
  }
  c.serial = serial;
  c.canonicalize();
  return c;
}

/// A loop over `dims` (indices into `extent`) with tile sizes `tile`: one
/// child per region (full tiles, and tiles with remainders on some dims).
/// `extent` lists the loops `firstLoop`, `firstLoop` + 1, ... of `space`.
static bool loopRegions(const Spec &s, const IterationSpace &space,
                        unsigned firstLoop, Shape extent, Shape tile,
                        llvm::ArrayRef<unsigned> dims, bool serial,
                        Decomposition &d) {
  unsigned nd = dims.size();
  for (unsigned mask = 0; mask < (1u << nd); ++mask) {
    Shape region = extent;
    uint64_t count = 1;
    bool ok = true;
    for (unsigned j = 0; j < nd && ok; ++j) {
      unsigned dim = dims[j];
      uint32_t e = extent[dim], t = tile[dim];
      if (mask & (1u << j)) {
        ok = e % t != 0;
        region[dim] = e % t;
      } else {
        region[dim] = t;
        count *= e / t;
      }
    }
    if (!ok)
      continue;
    std::array<uint32_t, kMaxLoops> loops = space.extents;
    for (unsigned j = 0; j < region.size(); ++j)
      loops[firstLoop + j] = region[j];
    std::optional<Spec> c =
        tiledSpec(s, space, {loops.data(), space.numLoops}, serial);
    if (!c)
      return false;
    d.children.push_back({*c, count, ChildRole::Body, uint8_t(mask)});
  }
  return true;
}

/// The prefetch streams a core follows at once (Intel's L2 streamer tracks
/// 32 pages, Zen 4's a similar number); half of that leaves room for the
/// other operands.
constexpr uint64_t kMaxStreams = 16;

/// The run starts a one-dimensional serial loop saves: a main-memory operand
/// whose tile moves only along its contiguous (innermost physical)
/// dimension, in few enough runs for the prefetcher to follow, continues in
/// each iteration the runs the previous one started.
static uint64_t streamCredit(const Spec &s, const Decomposition &d,
                             uint64_t iters, const Target &t) {
  uint32_t runCost = t.level(MemoryLevel::GL).runCost;
  if (d.parallel || iters < 2 || !runCost)
    return 0;
  const Spec &body = d.children.front().spec; // the full tiles
  uint64_t credit = 0;
  for (unsigned i = 0; i < s.numOperands(); ++i) {
    const TensorSpec &whole = s.operands[i], &tile = body.operands[i];
    // Only rows the body reads are streams (a dilated convolution skips
    // image rows).
    if (whole.level != MemoryLevel::GL || tile.prefetched ||
        whole.contig == 0 || tile.rows() > kMaxStreams ||
        !kindOf(body.kind).readsWhole(body, i))
      continue;
    // A blocked dim (say n in [n/16][k][16]) moves along two physical
    // dims: the next tile's runs start new rows, they continue none.
    int inner = whole.layout.innermostDim();
    if (inner < 0 || whole.layout.blockOf(unsigned(inner)))
      continue;
    bool moves = false, onlyInner = true;
    for (unsigned dim = 0; dim < whole.rank; ++dim) {
      if (tile.shape[dim] == whole.shape[dim])
        continue;
      if (int(dim) == inner)
        moves = true;
      else
        onlyInner = false;
    }
    if (moves && onlyInner)
      credit = satAdd(credit, satMul((iters - 1) * tile.rows(), runCost));
  }
  return credit;
}

static MemoryLimits minus(MemoryLimits l, MemoryLevel level, uint32_t units) {
  l[level] -= std::min(units, l[level]);
  l.canonicalize();
  return l;
}

//===----------------------------------------------------------------------===//
// Prefetching
//===----------------------------------------------------------------------===//

/// Kernels walking more rows than kMaxStreams, each this long or longer,
/// are fed by the hardware prefetchers as they go: a software prefetch of
/// the next 64 rows of A (3 KiB each) only slowed 128x768x768. Up to
/// kMaxStreams long rows (a 14x2048 f32 panel of A) gained 2.5 % at 2048^3.
constexpr uint64_t kStreamedRowBytes = 1024;

/// A serial loop over a matmul (any kind whose Kind::prefetchCover counts
/// its arithmetic) waits on memory at the start of every tile it reads from
/// main memory, unless its body fetches the next tile while it
/// computes this one (the body's kernels issue the prefetches). The loop does
/// so for each input it walks along its innermost loop dimension, when
///  - the tile is not one the hardware prefetchers stream anyway (above);
///  - this tile and the next fit the body's L2 budget with as much again to
///    spare (a 768 KiB B block prefetched beside the current one lost 6 % at
///    1024^3; A's two 112 KiB panels beside a 768 KiB B block, 1-2 % at
///    2048^3). The spare room is charged to the loop like the tiles, so the
///    rule depends on the program's peak, not on the budget it was solved
///    under: a memo answer reused under a smaller budget (Memo.h) stays one
///    the search could have found there.
///  - the body's FMAs outlast the lines' trip from memory (else the body
///    streams at memory speed anyway and prefetches only add traffic: they
///    cost a vector-matrix product a third of its speed).
/// The body then reads the tile at L2's cost (TensorSpec::prefetched) with
/// four tiles less of L2; the loop pays for the first tile of each pass of
/// its innermost loop, which nothing fetched ahead.
static void prefetchNextTiles(const Spec &s, const IterationSpace &space,
                              Decomposition &d, unsigned loop,
                              uint64_t innerTrips, const Target &t) {
  const Kind &kind = kindOf(s.kind);
  if (!kind.prefetchesInputs() || d.parallel || innerTrips < 2)
    return;
  Child &body = d.children.front(); // the full tiles
  const LevelInfo &gl = t.level(MemoryLevel::GL),
                  &l2 = t.level(MemoryLevel::L2);
  uint64_t fetchedLines = 0, budget = kind.prefetchCover(body.spec, t);
  uint32_t held = 0;
  for (unsigned o = 0; o < s.numOperands(); ++o) {
    const TensorSpec &whole = s.operands[o];
    TensorSpec &tile = body.spec.operands[o];
    if (s.writes(o) || whole.level != MemoryLevel::GL || whole.prefetched ||
        space.operandDim(o, whole.rank, loop) < 0)
      continue;
    uint64_t lines = tile.lines(), bytes = lines * 64;
    if ((tile.rows() > kMaxStreams &&
         tile.lineBytesPerRow() >= kStreamedRowBytes) ||
        4 * bytes > body.spec.limits[MemoryLevel::L2] ||
        !fitsCacheSets(tile, l2) ||
        (fetchedLines + lines) * gl.lineCost > budget)
      continue;
    fetchedLines += lines;
    held += uint32_t(4 * bytes);
    body.spec.limits = minus(body.spec.limits, MemoryLevel::L2, 4 * bytes);
    uint64_t cold =
        lines * (gl.lineCost - l2.lineCost) + tile.rows() * gl.runCost;
    d.baseCost = satAdd(d.baseCost, satMul(body.count / innerTrips, cold));
    tile.prefetched = 1;
  }
  if (!held)
    return;
  // The fetched tiles stay in L2 for the whole loop: the boundary tiles run
  // beside them too (their peak plus `held` must fit, as for the body).
  for (Child &c : llvm::drop_begin(d.children))
    c.spec.limits = minus(c.spec.limits, MemoryLevel::L2, held);
  for (Child &c : d.children)
    c.spec.canonicalize();
  d.allocLevel = MemoryLevel::L2;
  d.allocUnits = held;
}

static std::optional<Decomposition> applyMove(const Spec &s, const Action &a,
                                              const Target &t) {
  if (!kindOf(s.kind).stagesInputs() || a.operand >= s.numOperands())
    return std::nullopt;
  const TensorSpec &op = s.operands[a.operand];
  if (!isFaster(a.dstLevel, op.level) || isRegisterLevel(op.level))
    return std::nullopt;
  Decomposition d;
  d.allocLevel = a.dstLevel;
  if (a.moveKind == MoveKind::CacheView) {
    if (!isCacheLevel(a.dstLevel) || a.dstLayout != op.layout ||
        a.dstDtype != op.dtype)
      return std::nullopt;
    uint64_t bytes = op.lines() * 64;
    if (bytes > s.limits[a.dstLevel] || !fitsCacheSets(op, t.level(a.dstLevel)))
      return std::nullopt;
    d.allocUnits = uint32_t(bytes);
    // Bring the lines in once (and write them back once if written).
    d.baseCost = accessCost(op, t) *
                 ((s.reads(a.operand) ? 1 : 0) + (s.writes(a.operand) ? 1 : 0));
    Spec body = s;
    body.operands[a.operand].level = a.dstLevel;
    body.limits = minus(s.limits, a.dstLevel, d.allocUnits);
    body.canonicalize();
    d.children.push_back({body, 1, ChildRole::Body, 0});
    return d;
  }
  // A copy into a new buffer.
  if (a.dstDtype != op.dtype && !(s.role(a.operand) == OperandRole::In &&
                                  isWideningCast(op.dtype, a.dstDtype)))
    return std::nullopt;
  if (!a.dstLayout.appliesTo(op.dims()))
    return std::nullopt;
  unsigned lanes = a.dstLevel == MemoryLevel::VRF ? t.lanes(a.dstDtype) : 0;
  TensorSpec buf =
      TensorSpec::buffer(op.dims(), a.dstDtype, a.dstLevel, a.dstLayout, lanes);
  switch (a.dstLevel) {
  case MemoryLevel::VRF: {
    // The output's tile, in the layout its kind gave (Kind::registerTile):
    // rows of vectors along its innermost dim, the last of each row
    // partial when lanes do not divide it. A tile of extent 1 along that
    // dim (its layout canonicalised to another) would run vectors along a
    // dim no kernel takes.
    if (a.operand != s.outputIndex() || buf.layout.size() == 0 ||
        buf.layout.innermostDim() != a.dstLayout.innermostDim())
      return std::nullopt;
    d.allocUnits = uint32_t(buf.vectors(lanes));
    break;
  }
  case MemoryLevel::RF:
    if (buf.volume() != 1)
      return std::nullopt;
    d.allocUnits = 1;
    break;
  case MemoryLevel::L1:
  case MemoryLevel::L2:
    // A copy of a dense run in the same form is a cache view plus work.
    if (buf.dtype == op.dtype && buf.layout == op.layout &&
        op.fullyContiguous())
      return std::nullopt;
    d.allocUnits = uint32_t(llvm::alignTo(buf.bytes(), 64));
    break;
  case MemoryLevel::GL:
    return std::nullopt;
  }
  if (d.allocUnits > s.limits[a.dstLevel])
    return std::nullopt;
  MemoryLimits inner = minus(s.limits, a.dstLevel, d.allocUnits);
  if (s.reads(a.operand))
    d.children.push_back(
        {Spec::move(op, buf, inner, s.serial), 1, ChildRole::Prologue, 0});
  Spec body = s;
  body.operands[a.operand] = buf;
  body.limits = inner;
  body.canonicalize();
  d.children.push_back({body, 1, ChildRole::Body, 0});
  if (s.writes(a.operand))
    d.children.push_back(
        {Spec::move(buf, op, inner, s.serial), 1, ChildRole::Epilogue, 0});
  return d;
}

std::optional<Decomposition> applyAction(const Spec &s, const Action &a,
                                         const Target &t) {
  switch (a.kind) {
  case ActionKind::None:
    return std::nullopt;
  case ActionKind::Select: {
    auto k = applyKernel(a.kernel, s, t);
    if (!k)
      return std::nullopt;
    Decomposition d;
    d.baseCost = k->cost;
    d.scratchVectors = k->scratchVectors;
    d.scratchScalars = k->scratchScalars;
    return d;
  }
  case ActionKind::ToAccum: {
    std::optional<FillValue> init = kindOf(s.kind).accumulatorInit(s);
    if (!init || s.accum)
      return std::nullopt;
    Decomposition d;
    d.children.push_back({Spec::fillOf(s.output(), *init, s.limits, s.serial),
                          1, ChildRole::Init, 0});
    Spec acc = s;
    acc.accum = true;
    acc.canonicalize();
    d.children.push_back({acc, 1, ChildRole::Body, 0});
    return d;
  }
  case ActionKind::Move:
    return applyMove(s, a, t);
  case ActionKind::TileOut: {
    std::optional<IterationSpace> space = loopsOf(s);
    if (!space)
      return std::nullopt;
    Shape shape = outputShape(s);
    Shape tile(a.size.begin(), a.size.begin() + shape.size());
    llvm::SmallVector<unsigned, kMaxRank> dims;
    for (unsigned d = 0; d < shape.size(); ++d) {
      if (tile[d] == 0 || tile[d] > shape[d])
        return std::nullopt;
      if (tile[d] < shape[d])
        dims.push_back(d);
    }
    if (dims.empty())
      return std::nullopt;
    if (a.parallel && (s.serial || t.cores < 2 || !allGlobal(s)))
      return std::nullopt;
    Decomposition d;
    d.parallel = a.parallel;
    if (!loopRegions(s, *space, 0, shape, tile, dims, s.serial || a.parallel,
                     d))
      return std::nullopt;
    uint64_t iters = 0;
    for (unsigned i = 0; i < d.children.size(); ++i)
      iters += childWeight(d, i, t);
    d.baseCost =
        iters * t.loopIterCost + (a.parallel ? t.parallelSetupCost : 0);
    unsigned inner = dims.back();
    prefetchNextTiles(s, *space, d, inner, shape[inner] / tile[inner], t);
    if (dims.size() == 1)
      d.credit = streamCredit(s, d, iters, t);
    return d;
  }
  case ActionKind::Split: {
    std::optional<IterationSpace> space = loopsOf(s);
    if (!space || !s.accum || a.reduction >= space->numReductions())
      return std::nullopt;
    unsigned loop = loopOf(*space, a, 0);
    uint32_t extent = space->extents[loop];
    if (a.size[0] == 0 || a.size[0] >= extent)
      return std::nullopt;
    Decomposition d;
    if (!loopRegions(s, *space, loop, Shape{extent}, Shape{a.size[0]}, {0u},
                     s.serial, d))
      return std::nullopt;
    uint64_t iters = 0;
    for (const Child &c : d.children)
      iters += c.count;
    d.baseCost = iters * t.loopIterCost;
    prefetchNextTiles(s, *space, d, loop, extent / a.size[0], t);
    d.credit = streamCredit(s, d, iters, t);
    return d;
  }
  }
  return std::nullopt;
}

uint64_t childWeight(const Decomposition &d, unsigned i, const Target &t) {
  uint64_t c = d.children[i].count;
  return d.parallel ? llvm::divideCeil(c, t.cores) : c;
}

Cost combineCost(const Decomposition &d, llvm::ArrayRef<Cost> children,
                 const Target &t) {
  Cost c;
  c.main = d.baseCost;
  for (unsigned i = 0; i < children.size(); ++i) {
    c.main = satAdd(c.main, satMul(childWeight(d, i, t), children[i].main));
    for (unsigned l = 0; l < kNumLevels; ++l) {
      // Cache peaks are rounded up to powers of two, like the budgets they
      // are checked against: then a program found under limits L with peak P
      // is also valid under every canonical L' with P <= L' <= L (memo boxes).
      uint32_t p = children[i].peak[l];
      if (isCacheLevel(MemoryLevel(l)))
        p = uint32_t(llvm::PowerOf2Ceil(p));
      c.peak[l] = std::max(c.peak[l], p);
    }
    c.depth = std::max(c.depth, children[i].depth);
  }
  c.main = netOfCredit(c.main, d.credit);
  c.peak[int(d.allocLevel)] += d.allocUnits;
  c.peak[int(MemoryLevel::VRF)] += d.scratchVectors;
  c.peak[int(MemoryLevel::RF)] += d.scratchScalars;
  c.depth += 1;
  return c;
}

} // namespace tessel::synth

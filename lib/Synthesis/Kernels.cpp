//===- Kernels.cpp - Microkernel applicability and costs ------------------===//
//
// Formulas are derived in docs/cost-model.md ("Kernels").
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Kernels.h"
#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Kind.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

namespace tessel::synth {

llvm::StringRef kernelName(KernelId k) {
  switch (k) {
  case KernelId::BroadcastFmaTile:
    return "BroadcastFmaTile";
  case KernelId::DotBf16Tile:
    return "DotBf16Tile";
  case KernelId::ScalarMulAdd:
    return "ScalarMulAdd";
  case KernelId::VectorMove:
    return "VectorMove";
  case KernelId::VectorCvtBf16F32:
    return "VectorCvtBf16F32";
  case KernelId::VectorPackBf16Pairs:
    return "VectorPackBf16Pairs";
  case KernelId::ScalarMove:
    return "ScalarMove";
  case KernelId::VectorFill:
    return "VectorFill";
  case KernelId::ScalarFill:
    return "ScalarFill";
  case KernelId::DotReduceTile:
    return "DotReduceTile";
  case KernelId::VectorElementwise:
    return "VectorElementwise";
  case KernelId::ScalarElementwise:
    return "ScalarElementwise";
  case KernelId::VectorReduce:
    return "VectorReduce";
  case KernelId::ScalarReduce:
    return "ScalarReduce";
  case KernelId::VectorMulAddTile:
    return "VectorMulAddTile";
  }
  llvm_unreachable("bad kernel");
}

bool isScalarKernel(KernelId k) {
  switch (k) {
  case KernelId::ScalarMulAdd:
  case KernelId::ScalarMove:
  case KernelId::ScalarFill:
  case KernelId::ScalarElementwise:
  case KernelId::ScalarReduce:
    return true;
  case KernelId::BroadcastFmaTile:
  case KernelId::DotBf16Tile:
  case KernelId::VectorMove:
  case KernelId::VectorCvtBf16F32:
  case KernelId::VectorPackBf16Pairs:
  case KernelId::VectorFill:
  case KernelId::DotReduceTile:
  case KernelId::VectorElementwise:
  case KernelId::VectorReduce:
  case KernelId::VectorMulAddTile:
    return false;
  }
  llvm_unreachable("bad kernel");
}

uint64_t accessCost(const TensorSpec &t, const Target &target) {
  // A prefetched tile waits in L2 by the time it is read.
  const LevelInfo &l = target.level(t.prefetched ? MemoryLevel::L2 : t.level);
  return t.lines() * l.lineCost + (l.runCost ? t.rows() * l.runCost : 0);
}

/// Whether `rows` rows whose pitch is a multiple of 2^strideLog2 bytes fit
/// a cache's ways: rows that agree modulo its alias period share sets.
static bool rowsFitSets(uint64_t rows, unsigned strideLog2,
                        const LevelInfo &info) {
  if (rows < 2)
    return true;
  unsigned periodLog2 = llvm::Log2_32(info.aliasPeriod);
  uint64_t classes =
      strideLog2 >= periodLog2 ? 1 : uint64_t(1) << (periodLog2 - strideLog2);
  return llvm::divideCeil(rows, std::min(rows, classes)) <= info.ways;
}

bool fitsCacheSets(const TensorSpec &t, const LevelInfo &info) {
  return t.fullyContiguous() || rowsFitSets(t.rows(), t.strideLog2, info);
}

uint64_t rowsInLockstepCost(const TensorSpec &t, unsigned walkedDim,
                            unsigned stepBytes, const Target &target) {
  uint64_t cost = accessCost(t, target);
  // Only plain rows: a blocked walked dim ([k/16][m][k:16]) keeps the rows
  // of one block a line apart.
  if (isRegisterLevel(t.level) || t.layout.size() < 2 ||
      t.layout.innermostDim() != int(walkedDim) ||
      t.layout.blockOf(walkedDim) != 0)
    return cost;
  // The rows' pitch: their own length in one contiguous block, else the
  // view's (a power of two dividing it is what decides the sets).
  auto ext = t.layout.physicalExtents(t.dims());
  uint64_t rows = t.volume() / ext.back();
  uint64_t rowBytes = uint64_t(ext.back()) * dtypeBytes(t.dtype);
  unsigned strideLog2 =
      t.fullyContiguous() ? llvm::countr_zero(rowBytes) : t.strideLog2;
  if (rowsFitSets(rows, strideLog2, target.level(MemoryLevel::L1)))
    return cost;
  // Each row's line is evicted before the next step reads it: every step
  // after a line's first (in a row shorter than a line, fewer) fetches it
  // again from L2 (where it stays).
  uint64_t stepsPerLine =
      std::max<uint64_t>(std::min<uint64_t>(64, rowBytes) / stepBytes, 1);
  uint64_t refetches = t.lines() * (stepsPerLine - 1);
  return cost + refetches * target.level(MemoryLevel::L2).lineCost;
}

uint64_t fmaTicks(const Spec &s, const Target &target) {
  uint64_t macs = uint64_t(s.b()) * s.m() * s.k() * s.n();
  return macs / target.lanes(Dtype::F32) * target.fmaCost;
}

namespace {

/// The logical dim whose entire extent is the tensor's innermost physical
/// entry, held as one run (registers always are), or -1.
int runDim(const TensorSpec &t) {
  if (t.layout.size() == 0 || (!isRegisterLevel(t.level) && t.contig == 0))
    return -1;
  int d = t.layout.innermostDim();
  auto ext = t.layout.physicalExtents(t.dims());
  return ext.back() == t.shape[d] ? d : -1;
}

/// The tensor is rows of whole vectors: runDim, with an extent that is a
/// multiple of `lanes`. Returns that dim, or -1.
int vectorRowDim(const TensorSpec &t, unsigned lanes) {
  int d = runDim(t);
  return d >= 0 && t.shape[d] % lanes == 0 ? d : -1;
}

bool inMemory(const TensorSpec &t) { return !isRegisterLevel(t.level); }

/// C is an f32 register tile [1, mr, n] with vectors along n (the last one
/// partial, masked, when lanes do not divide n).
bool isRegisterTileC(const TensorSpec &c, const Target &target) {
  unsigned lanes = target.lanes(Dtype::F32);
  return c.level == MemoryLevel::VRF && c.dtype == Dtype::F32 &&
         c.vectorLanes == lanes && c.shape[0] == 1 &&
         c.layout.innermostDim() == 2;
}

/// Broadcast-FMA style inner loop: per k step (or k pair), mr*nv vector
/// multiply-adds (`opCost` each: an FMA or a vdpbf16ps) at full rate but no
/// faster than the FMA latency allows, plus the loads that cannot hide
/// behind them.
uint64_t registerTileSteps(uint64_t steps, unsigned mr, unsigned nv,
                           uint32_t opCost, const Target &t) {
  uint64_t fma =
      std::max<uint64_t>(uint64_t(mr) * nv * opCost, t.fmaLatencyFloor);
  return steps * (fma + uint64_t(mr + nv) * t.loadCost);
}

std::optional<KernelApplication> broadcastFma(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::Matmul || !s.accum || s.b() != 1)
    return std::nullopt;
  const TensorSpec &a = s.operands[0], &b = s.operands[1], &c = s.operands[2];
  auto f32OrBf16 = [](Dtype d) { return d == Dtype::F32 || d == Dtype::BF16; };
  if (!f32OrBf16(a.dtype) || !f32OrBf16(b.dtype) || !inMemory(a) ||
      !inMemory(b) || !isRegisterTileC(c, t))
    return std::nullopt;
  // Each B row of the tile is one contiguous run along n; its last vector
  // may be partial (a masked load), like C's.
  if (runDim(b) != 2)
    return std::nullopt;
  unsigned mr = s.m(), nv = llvm::divideCeil(s.n(), t.lanes(Dtype::F32));
  KernelApplication k;
  k.scratchVectors = nv + 1; // one B row + one broadcast
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  // bf16 inputs are widened in registers as they are loaded.
  uint64_t widen =
      (a.dtype == Dtype::BF16 ? mr : 0) + (b.dtype == Dtype::BF16 ? nv : 0);
  k.cost = registerTileSteps(s.k(), mr, nv, t.fmaCost, t) +
           s.k() * widen * t.cvtCost + t.kernelCallCost +
           rowsInLockstepCost(a, 2, dtypeBytes(a.dtype), t) + accessCost(b, t);
  return k;
}

std::optional<KernelApplication> dotBf16(const Spec &s, const Target &t) {
  if (!t.hasBf16Dot || s.kind != SpecKind::Matmul || !s.accum || s.b() != 1 ||
      s.k() % 2 != 0)
    return std::nullopt;
  const TensorSpec &a = s.operands[0], &b = s.operands[1], &c = s.operands[2];
  if (a.dtype != Dtype::BF16 || b.dtype != Dtype::BF16 || !inMemory(a) ||
      !inMemory(b) || !isRegisterTileC(c, t) ||
      s.n() % t.lanes(Dtype::F32) != 0)
    return std::nullopt;
  // Each A row's (k, k+1) pairs are read as one 32-bit word.
  if (vectorRowDim(a, 2) != 2)
    return std::nullopt;
  // B pair-packed: innermost a pair of k, then a contiguous run of n.
  const Layout &l = b.layout;
  if (l.size() < 2 || b.contig < 2 || l.dim(l.size() - 1) != 1 ||
      l.dim(l.size() - 2) != 2)
    return std::nullopt;
  auto ext = l.physicalExtents(b.dims());
  if (ext[l.size() - 1] != 2 || ext[l.size() - 2] != s.n())
    return std::nullopt;
  unsigned mr = s.m(), nv = s.n() / t.lanes(Dtype::F32);
  KernelApplication k;
  k.scratchVectors = nv + 1;
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  k.cost = registerTileSteps(s.k() / 2, mr, nv, t.bf16DotCost, t) +
           t.kernelCallCost + rowsInLockstepCost(a, 2, 4, t) + accessCost(b, t);
  return k;
}

std::optional<KernelApplication> dotReduce(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::Matmul || !s.accum || s.b() != 1)
    return std::nullopt;
  const TensorSpec &a = s.operands[0], &b = s.operands[1], &c = s.operands[2];
  auto f32OrBf16 = [](Dtype d) { return d == Dtype::F32 || d == Dtype::BF16; };
  if (!f32OrBf16(a.dtype) || !f32OrBf16(b.dtype) || c.dtype != Dtype::F32 ||
      !inMemory(a) || !inMemory(b) || !inMemory(c))
    return std::nullopt;
  // Vectors along k: A's rows and B's columns are contiguous runs of k.
  if (runDim(a) != 2 || runDim(b) != 1)
    return std::nullopt;
  unsigned mr = s.m(), nr = s.n();
  KernelApplication k;
  // The accumulators, the mr A vectors of a k step and one B vector.
  k.scratchVectors = mr * nr + mr + 1;
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  unsigned lanes = t.lanes(Dtype::F32);
  uint64_t steps = (s.k() + lanes - 1) / lanes;
  uint64_t widen =
      (a.dtype == Dtype::BF16 ? mr : 0) + (b.dtype == Dtype::BF16 ? nr : 0);
  // Horizontal sum: log2(lanes) halving steps (a shuffle and an add, about
  // one FMA slot) per accumulator, then a scalar load, add and store of C.
  uint64_t reduce = uint64_t(mr) * nr *
                    (llvm::Log2_32(lanes) * t.fmaCost + t.loadCost +
                     t.scalarOpCost + t.storeCost);
  k.cost = registerTileSteps(steps, mr, nr, t.fmaCost, t) +
           steps * widen * t.cvtCost + reduce + t.kernelCallCost +
           accessCost(a, t) + accessCost(b, t) + 2 * accessCost(c, t);
  return k;
}

unsigned castCost(Dtype from, Dtype to, const Target &t) {
  return from == to ? 0 : t.cvtCost;
}

std::optional<KernelApplication> scalarMulAdd(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::Matmul)
    return std::nullopt;
  for (const TensorSpec &o : s.operands)
    if (o.volume() != 1 || o.level == MemoryLevel::VRF)
      return std::nullopt;
  const TensorSpec &a = s.operands[0], &b = s.operands[1], &c = s.operands[2];
  KernelApplication k;
  k.cost = t.scalarOpCost + castCost(a.dtype, c.dtype, t) +
           castCost(b.dtype, c.dtype, t) + accessCost(a, t) + accessCost(b, t) +
           accessCost(c, t) * (s.accum ? 2 : 1);
  return k;
}

std::optional<KernelApplication> vectorMove(const Spec &s, const Target &t,
                                            bool widen) {
  if (s.kind != SpecKind::Move)
    return std::nullopt;
  const TensorSpec &src = s.operands[0], &dst = s.operands[1];
  if (widen ? !(src.dtype == Dtype::BF16 && dst.dtype == Dtype::F32)
            : src.dtype != dst.dtype)
    return std::nullopt;
  if (src.level == MemoryLevel::RF || dst.level == MemoryLevel::RF ||
      (!inMemory(src) && !inMemory(dst)))
    return std::nullopt;
  unsigned lanes = t.lanes(dst.dtype);
  if (src.level == MemoryLevel::VRF && src.vectorLanes != lanes)
    return std::nullopt;
  if (dst.level == MemoryLevel::VRF && dst.vectorLanes != lanes)
    return std::nullopt;
  // Rows of whole vectors; a register tile's rows may end in a partial
  // vector, masked on the memory side.
  bool registers = !inMemory(src) || !inMemory(dst);
  int ds = registers ? runDim(src) : vectorRowDim(src, lanes);
  int dd = registers ? runDim(dst) : vectorRowDim(dst, lanes);
  if (ds < 0 || ds != dd)
    return std::nullopt;
  uint64_t nvec = dst.vectors(lanes);
  KernelApplication k;
  if (inMemory(src) && inMemory(dst))
    k.scratchVectors = 1;
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  uint64_t perVector = (inMemory(src) ? t.loadCost : 0) +
                       (inMemory(dst) ? t.storeCost : 0) +
                       (widen ? t.cvtCost : 0);
  k.cost = nvec * perVector + accessCost(src, t) + accessCost(dst, t);
  return k;
}

std::optional<KernelApplication> packBf16Pairs(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::Move)
    return std::nullopt;
  const TensorSpec &src = s.operands[0], &dst = s.operands[1];
  if (src.dtype != Dtype::BF16 || dst.dtype != Dtype::BF16 || !inMemory(src) ||
      !inMemory(dst) || src.rank < 2)
    return std::nullopt;
  // Two rows along dim r-2 (k) of runs along dim r-1 (n) ...
  unsigned k = src.rank - 2, n = src.rank - 1;
  unsigned lanes = t.lanes(Dtype::BF16);
  if (src.shape[k] != 2 || src.volume() != 2 * src.shape[n] ||
      vectorRowDim(src, lanes / 2) != int(n))
    return std::nullopt;
  // ... into one contiguous run of (n, k) pairs.
  const Layout &l = dst.layout;
  if (!dst.fullyContiguous() || l.size() != 2 || l.dim(1) != k || l.dim(0) != n)
    return std::nullopt;
  KernelApplication a;
  a.scratchVectors = 2;
  if (a.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  uint64_t nvec = dst.volume() / lanes;
  a.cost = nvec * (2 * t.loadCost + t.cvtCost + t.storeCost) +
           accessCost(src, t) + accessCost(dst, t);
  return a;
}

std::optional<KernelApplication> scalarMove(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::Move)
    return std::nullopt;
  const TensorSpec &src = s.operands[0], &dst = s.operands[1];
  if (src.volume() != 1 || src.level == MemoryLevel::VRF ||
      dst.level == MemoryLevel::VRF)
    return std::nullopt;
  KernelApplication k;
  k.cost = t.scalarOpCost + castCost(src.dtype, dst.dtype, t) +
           accessCost(src, t) + accessCost(dst, t);
  return k;
}

std::optional<KernelApplication> vectorFill(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::Fill)
    return std::nullopt;
  const TensorSpec &dst = s.operands[0];
  if (dst.level == MemoryLevel::RF)
    return std::nullopt;
  unsigned lanes = t.lanes(dst.dtype);
  KernelApplication k;
  uint64_t nvec = dst.vectors(lanes);
  if (dst.level == MemoryLevel::VRF) {
    if (dst.vectorLanes != lanes)
      return std::nullopt;
    // vxorps / broadcast of a constant: a cheap register op per vector.
    k.cost = nvec * t.loadCost;
    return k;
  }
  if (vectorRowDim(dst, lanes) < 0)
    return std::nullopt;
  k.scratchVectors = 1;
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  k.cost = t.loadCost + nvec * t.storeCost + accessCost(dst, t);
  return k;
}

std::optional<KernelApplication> scalarFill(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::Fill)
    return std::nullopt;
  const TensorSpec &dst = s.operands[0];
  if (dst.volume() != 1 || dst.level == MemoryLevel::VRF)
    return std::nullopt;
  KernelApplication k;
  k.cost = t.scalarOpCost + accessCost(dst, t);
  return k;
}

bool isElementwise(const Spec &s) {
  return s.kind == SpecKind::Unary || s.kind == SpecKind::Binary;
}

/// Every operand in memory, f32 or bf16 inputs, an f32 output.
bool elementwiseOperandsOk(const Spec &s) {
  for (unsigned i = 0; i < s.numOperands(); ++i) {
    const TensorSpec &o = s.operands[i];
    if (!inMemory(o) ||
        !(o.dtype == Dtype::F32 ||
          (o.dtype == Dtype::BF16 && s.role(i) == OperandRole::In)))
      return false;
  }
  return true;
}

std::optional<KernelApplication> vectorElementwise(const Spec &s,
                                                   const Target &t) {
  if (!isElementwise(s) || !elementwiseOperandsOk(s))
    return std::nullopt;
  const TensorSpec &out = s.output();
  int d = runDim(out);
  if (d < 0)
    return std::nullopt;
  unsigned lanes = t.lanes(Dtype::F32);
  uint64_t perVector = t.storeCost + vectorOpsOf(ElementwiseFn(s.params[0]),
                                                 s.params[kEpilogueParam]) *
                                         t.fmaCost;
  uint64_t access = accessCost(out, t);
  for (unsigned i = 0; i + 1 < s.numOperands(); ++i) {
    const TensorSpec &in = s.operands[i];
    // Runs along the output's, or one element broadcast along them.
    if (in.shape[d] != 1 && runDim(in) != d)
      return std::nullopt;
    perVector += t.loadCost + (in.dtype == Dtype::BF16 ? t.cvtCost : 0);
    access += accessCost(in, t);
  }
  KernelApplication k;
  k.scratchVectors = s.numOperands();
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  k.cost = out.vectors(lanes) * perVector + t.kernelCallCost + access;
  return k;
}

std::optional<KernelApplication> scalarElementwise(const Spec &s,
                                                   const Target &t) {
  if (!isElementwise(s) || !elementwiseOperandsOk(s))
    return std::nullopt;
  // A load per input, the function at one scalar op per vector op, a store.
  uint64_t perElement =
      (s.numOperands() +
       vectorOpsOf(ElementwiseFn(s.params[0]), s.params[kEpilogueParam])) *
      t.scalarOpCost;
  uint64_t access = 0;
  for (unsigned i = 0; i < s.numOperands(); ++i)
    access += accessCost(s.operands[i], t);
  KernelApplication k;
  k.cost = s.output().volume() * perElement + t.kernelCallCost + access;
  return k;
}

/// x f32 or bf16 and out f32, both in memory.
bool reduceOperandsOk(const Spec &s) {
  const TensorSpec &x = s.operands[0], &out = s.operands[1];
  return s.kind == SpecKind::Reduce && s.accum && inMemory(x) &&
         inMemory(out) && (x.dtype == Dtype::F32 || x.dtype == Dtype::BF16) &&
         out.dtype == Dtype::F32;
}

std::optional<KernelApplication> vectorReduce(const Spec &s, const Target &t) {
  if (!reduceOperandsOk(s))
    return std::nullopt;
  const TensorSpec &x = s.operands[0], &out = s.operands[1];
  unsigned lanes = t.lanes(Dtype::F32);
  int v = runDim(x);
  if (v < 0)
    return std::nullopt;
  uint64_t perVector =
      t.loadCost + t.fmaCost + (x.dtype == Dtype::BF16 ? t.cvtCost : 0);
  KernelApplication k;
  k.scratchVectors = 2;
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  uint64_t combine;
  if (unsigned(v) == s.params[1]) {
    // Along the run: a horizontal reduction (log2(lanes) shuffle-and-op
    // steps) and a scalar read-modify-write of out per row.
    combine = out.volume() * (llvm::Log2_32(lanes) * t.fmaCost + t.loadCost +
                              t.scalarOpCost + t.storeCost);
  } else {
    // Across rows: out's run is x's (the same loop), loaded and stored once.
    std::optional<IterationSpace> space = loopsOf(s);
    int loop = space ? space->maps[0][v].loop : -1;
    if (loop < 0 || runDim(out) != space->operandDim(1, out.rank, loop))
      return std::nullopt;
    combine = out.vectors(lanes) * (t.loadCost + t.storeCost);
  }
  k.cost = x.vectors(lanes) * perVector + combine + t.kernelCallCost +
           accessCost(x, t) + 2 * accessCost(out, t);
  return k;
}

std::optional<KernelApplication> scalarReduce(const Spec &s, const Target &t) {
  if (!reduceOperandsOk(s))
    return std::nullopt;
  const TensorSpec &x = s.operands[0], &out = s.operands[1];
  KernelApplication k;
  k.cost = x.volume() * 3 * t.scalarOpCost + t.kernelCallCost +
           accessCost(x, t) + 2 * accessCost(out, t);
  return k;
}

std::optional<KernelApplication> vectorMulAdd(const Spec &s, const Target &t) {
  if (s.kind != SpecKind::DepthwiseConv || !s.accum)
    return std::nullopt;
  const TensorSpec &image = s.operands[0], &w = s.operands[1],
                   &out = s.operands[2];
  auto f32OrBf16 = [](Dtype d) { return d == Dtype::F32 || d == Dtype::BF16; };
  if (w.shape[0] != 1 || w.shape[1] != 1 || !f32OrBf16(image.dtype) ||
      !f32OrBf16(w.dtype) || out.dtype != Dtype::F32 || !inMemory(image) ||
      !inMemory(w))
    return std::nullopt;
  unsigned lanes = t.lanes(Dtype::F32);
  // Vectors along the output's run: its channels (dim 3), which the
  // image's and the filter's runs must be too, or x (dim 2), which the
  // image's run must be too (the filter element is broadcast); at a stride
  // along x the image's vectors are gathered (UkernelToVector.cpp).
  int d = runDim(out);
  if (d < 0 || (out.level == MemoryLevel::VRF && out.vectorLanes != lanes))
    return std::nullopt;
  uint8_t strideW = s.params[1];
  bool imageRuns = image.shape[d] == 1 || runDim(image) == d;
  if (d == 3 ? !imageRuns || (w.shape[2] != 1 && runDim(w) != 2)
             : d != 2 || !imageRuns)
    return std::nullopt;
  bool gathered = d == 2 && out.shape[2] > 1 && strideW != 1;
  KernelApplication k;
  // An image and a filter vector (and the output's, from memory).
  k.scratchVectors = inMemory(out) ? 3 : 2;
  if (k.scratchVectors > s.limits[MemoryLevel::VRF])
    return std::nullopt;
  // Per output vector: the multiply-add, an image and a filter load (and
  // their widening), and for memory rows the output's load and store.
  // (Gathered: at stride 2 two loads and a permute, else one load a lane.)
  uint64_t imageLoads = !gathered ? 1 : strideW == 2 ? 3 : lanes;
  uint64_t perVector = t.fmaCost + (imageLoads + 1) * t.loadCost +
                       (image.dtype == Dtype::BF16 ? t.cvtCost : 0) +
                       (w.dtype == Dtype::BF16 ? t.cvtCost : 0);
  uint64_t access = accessCost(image, t) + accessCost(w, t);
  if (inMemory(out)) {
    perVector += t.loadCost + t.storeCost;
    access += 2 * accessCost(out, t);
  }
  k.cost = out.vectors(lanes) * perVector + t.kernelCallCost + access;
  return k;
}

} // namespace

std::optional<KernelApplication> applyKernel(KernelId k, const Spec &spec,
                                             const Target &target) {
  switch (k) {
  case KernelId::BroadcastFmaTile:
  case KernelId::DotBf16Tile:
  case KernelId::DotReduceTile:
  case KernelId::ScalarMulAdd: {
    // Any kind's matrix products (Kind::matmulForm).
    std::optional<Spec> proxy;
    const Spec *m = &spec;
    if (spec.kind != SpecKind::Matmul) {
      if (!(proxy = asMatmul(spec)))
        return std::nullopt;
      m = &*proxy;
    }
    if (k == KernelId::BroadcastFmaTile)
      return broadcastFma(*m, target);
    if (k == KernelId::DotBf16Tile)
      return dotBf16(*m, target);
    if (k == KernelId::DotReduceTile)
      return dotReduce(*m, target);
    return scalarMulAdd(*m, target);
  }
  case KernelId::VectorMove:
    return vectorMove(spec, target, /*widen=*/false);
  case KernelId::VectorCvtBf16F32:
    return vectorMove(spec, target, /*widen=*/true);
  case KernelId::VectorPackBf16Pairs:
    return packBf16Pairs(spec, target);
  case KernelId::ScalarMove:
    return scalarMove(spec, target);
  case KernelId::VectorFill:
    return vectorFill(spec, target);
  case KernelId::ScalarFill:
    return scalarFill(spec, target);
  case KernelId::VectorElementwise:
    return vectorElementwise(spec, target);
  case KernelId::ScalarElementwise:
    return scalarElementwise(spec, target);
  case KernelId::VectorReduce:
    return vectorReduce(spec, target);
  case KernelId::ScalarReduce:
    return scalarReduce(spec, target);
  case KernelId::VectorMulAddTile:
    return vectorMulAdd(spec, target);
  }
  llvm_unreachable("bad kernel");
}

} // namespace tessel::synth

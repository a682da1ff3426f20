//===- Fingerprint.cpp - What a memo database's answers depend on ---------===//
#include "tessel/Memo/Fingerprint.h"
#include "tessel/Synthesis/Actions.h"
#include "tessel/Synthesis/Elementwise.h"
#include "llvm/Support/xxhash.h"
#include <vector>

using namespace tessel::synth;

namespace tessel::memo {

namespace {
/// Appends plain bytes (all hashed types are padding-free).
struct Hasher {
  std::vector<uint8_t> bytes;
  template <typename T> void add(const T &v) {
    static_assert(std::has_unique_object_representations_v<T>);
    const uint8_t *p = reinterpret_cast<const uint8_t *>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
};

/// Small specs that reach every kind, kernel and move: f32 and bf16 matmuls
/// in memory and registers, loads, stores, widening and packing moves,
/// fills, elementwise functions, reductions and convolutions.
std::vector<Spec> probeSpecs(const Target &t) {
  MemoryLimits full = fullLimits(t);
  unsigned lanes = t.lanes(Dtype::F32);
  std::vector<Spec> out;
  for (Dtype in : {Dtype::F32, Dtype::BF16})
    for (bool accum : {false, true}) {
      out.push_back(Spec::matmul(
          TensorSpec::rowMajor({1, 4, 8}, in),
          TensorSpec::rowMajor({1, 8, 2 * lanes}, in),
          TensorSpec::rowMajor({1, 4, 2 * lanes}, Dtype::F32), accum, full));
      out.push_back(Spec::matmul(
          TensorSpec::rowMajor({1, 2, 2}, in, MemoryLevel::L1),
          TensorSpec::rowMajor({1, 2, lanes}, in, MemoryLevel::L1),
          TensorSpec::buffer({1, 2, lanes}, Dtype::F32, MemoryLevel::VRF,
                             Layout::rowMajor(3), lanes),
          accum, full, /*serial=*/true));
    }
  // A register tile over 24 rows of A 4 KiB apart, more than L1 has ways
  // (rowsInLockstepCost).
  if (std::optional<TensorSpec> rows4K =
          TensorSpec::rowMajor({1, 24, 1024}, Dtype::F32).tile({1, 24, 2}))
    out.push_back(Spec::matmul(
        *rows4K, TensorSpec::rowMajor({1, 2, lanes}, Dtype::F32),
        TensorSpec::buffer({1, 24, lanes}, Dtype::F32, MemoryLevel::VRF,
                           Layout::rowMajor(3), lanes),
        /*accum=*/true, full, /*serial=*/true));
  for (Dtype src : {Dtype::F32, Dtype::BF16}) {
    TensorSpec g = TensorSpec::rowMajor({2, lanes}, src, MemoryLevel::L1);
    TensorSpec v = TensorSpec::buffer({2, lanes}, Dtype::F32, MemoryLevel::VRF,
                                      Layout::rowMajor(2), lanes);
    out.push_back(Spec::move(g, v, full, true));
    out.push_back(
        Spec::move(g,
                   TensorSpec::buffer({2, lanes}, src, MemoryLevel::L1,
                                      Layout::packed({1, 0}, 0, 2)),
                   full, true));
    out.push_back(Spec::move(TensorSpec::rowMajor({3}, src),
                             TensorSpec::rowMajor({3}, Dtype::F32), full));
  }
  out.push_back(
      Spec::move(TensorSpec::buffer({1, lanes}, Dtype::F32, MemoryLevel::VRF,
                                    Layout::rowMajor(2), lanes),
                 TensorSpec::rowMajor({1, lanes}, Dtype::F32, MemoryLevel::L1),
                 full, true));
  for (FillValue f : {FillValue::Zero, FillValue::NegInf})
    out.push_back(
        Spec::fillOf(TensorSpec::rowMajor({3, lanes}, Dtype::F32), f, full));
  // Every elementwise function (vector rows with a broadcast input, and
  // single elements) and every reduction (along the run and across rows).
  TensorSpec rows = TensorSpec::rowMajor({2, lanes + 3}, Dtype::F32);
  for (unsigned f = 0; f < kNumElementwiseFns; ++f) {
    if (arityOf(f) > 2) // no elementwise kind applies it
      continue;
    llvm::SmallVector<TensorSpec, 2> inputs = {
        TensorSpec::rowMajor({2, lanes + 3}, Dtype::BF16)};
    if (arityOf(f) == 2)
      inputs.push_back(TensorSpec::rowMajor({1, lanes + 3}, Dtype::F32));
    out.push_back(Spec::elementwise(f, inputs, rows, full));
  }
  // A binary function with a unary epilogue.
  out.push_back(Spec::elementwise(
      uint8_t(ElementwiseFn::Sub),
      {TensorSpec::rowMajor({2, lanes + 3}, Dtype::F32),
       TensorSpec::rowMajor({2, 1}, Dtype::F32)},
      rows, full, /*serial=*/false, uint8_t(ElementwiseFn::Exp)));
  for (unsigned f = 0; f < kNumReduceFns; ++f)
    for (unsigned dim : {0u, 1u})
      for (bool accum : {false, true})
        out.push_back(Spec::reduce(
            f, dim, /*keepDim=*/true, rows,
            TensorSpec::rowMajor(dim ? Shape{2, 1} : Shape{1, lanes + 3},
                                 Dtype::F32),
            accum, full));
  // Convolutions: a dense one (NHWC, strided), and depthwise ones with
  // the output in registers (NHWC) and in memory (NCHW).
  out.push_back(
      Spec::conv2d(TensorSpec::rowMajor({1, 3, 4, 2}, Dtype::F32),
                   TensorSpec::rowMajor({3, 2, 2, lanes}, Dtype::BF16),
                   TensorSpec::rowMajor({1, 1, 2, lanes}, Dtype::F32), {1, 2},
                   {1, 1}, false, full));
  Layout channelsFirst = Layout::permuted({0, 3, 1, 2});
  out.push_back(Spec::depthwiseConv2d(
      TensorSpec::rowMajor({1, 1, 2, lanes}, Dtype::F32, MemoryLevel::L1),
      TensorSpec::rowMajor({1, 1, lanes}, Dtype::F32, MemoryLevel::L1),
      TensorSpec::buffer({1, 1, 2, lanes}, Dtype::F32, MemoryLevel::VRF,
                         Layout::rowMajor(4), lanes),
      {1, 1}, {1, 1}, true, full, /*serial=*/true));
  out.push_back(Spec::depthwiseConv2d(
      TensorSpec::buffer({1, 4, lanes + 2, 2}, Dtype::BF16, MemoryLevel::GL,
                         channelsFirst),
      TensorSpec::buffer({3, 3, 2}, Dtype::F32, MemoryLevel::GL,
                         Layout::permuted({2, 0, 1})),
      TensorSpec::buffer({1, 2, lanes, 2}, Dtype::F32, MemoryLevel::GL,
                         channelsFirst),
      {1, 1}, {1, 1}, false, full));
  return out;
}
} // namespace

uint64_t engineFingerprint(const Target &target) {
  Hasher h;
  h.add(kEngineRevision);
  h.add(target.fingerprint());
  // The catalogs' sizes: a binary with fewer kinds or kernels cannot read
  // what this one stores.
  h.add(kNumKinds);
  h.add(kNumKernels);
  h.add(kNumElementwiseFns);
  for (const Spec &s : probeSpecs(target)) {
    h.add(s);
    h.add(lowerBound(s, target));
    llvm::SmallVector<Action, 64> actions;
    enumerateActions(s, target, actions);
    for (const Action &a : actions) {
      h.add(a);
      std::optional<Decomposition> d = applyAction(s, a, target);
      if (!d) {
        h.add(uint8_t(0));
        continue;
      }
      h.add(d->baseCost);
      h.add(d->allocLevel);
      h.add(d->allocUnits);
      h.add(d->scratchVectors);
      h.add(d->scratchScalars);
      h.add(d->parallel);
      llvm::SmallVector<Cost, 4> childCosts;
      for (unsigned i = 0; i < d->children.size(); ++i) {
        const Child &c = d->children[i];
        h.add(c.spec);
        h.add(c.count);
        h.add(c.role);
        h.add(c.remainderMask);
        h.add(childWeight(*d, i, target));
        // A made-up child cost: exercises how costs and peaks combine.
        Cost cc;
        cc.main = 1000 + i;
        cc.peak = {0, 3000, 1000, 2, 1};
        cc.depth = i + 1;
        childCosts.push_back(cc);
      }
      h.add(combineCost(*d, childCosts, target));
    }
  }
  return llvm::xxh3_64bits(h.bytes);
}

} // namespace tessel::memo

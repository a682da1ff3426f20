// oneDNN backend: dnnl_sgemm for f32, and the matmul primitive (f32 and
// bf16 x bf16 -> f32), with B as stored or reordered once into the layout
// the primitive prefers ("prepacked": outside the timed region, so not the
// same contract as the others; reported in its own column).
#include "common.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdio>

namespace gemmbench {
namespace {

using dnnl::memory;
using tag = memory::format_tag;

class Sgemm : public Kernel {
public:
  explicit Sgemm(const Workload &w) : w_(w) {}
  void run(const void *a, const void *b, int, float *c) override {
    dnnl_sgemm('N', w_.bTransposed ? 'T' : 'N', w_.m, w_.n, w_.k, 1.0f, static_cast<const float *>(a), w_.k,
               static_cast<const float *>(b), w_.ldb(), 0.0f, c, w_.n);
  }

private:
  Workload w_;
};

dnnl::engine &engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

class Matmul : public Kernel {
public:
  Matmul(const Workload &w, bool prepacked) : w_(w), prepacked_(prepacked), stream_(engine()) {
    memory::data_type dt = w.dtype == DType::F32 ? memory::data_type::f32 : memory::data_type::bf16;
    memory::desc aMd({w.m, w.k}, dt, tag::ab);
    memory::desc bPlain({w.k, w.n}, dt, w.bTransposed ? tag::ba : tag::ab);
    memory::desc bMd = prepacked ? memory::desc({w.k, w.n}, dt, tag::any) : bPlain;
    memory::desc cMd({w.m, w.n}, memory::data_type::f32, tag::ab);
    pd_ = dnnl::matmul::primitive_desc(dnnl::matmul::desc(aMd, bMd, cMd), engine());
    prim_ = dnnl::matmul(pd_);
    bPlainMd_ = bPlain;
    a_ = memory(pd_.src_desc(), engine(), DNNL_MEMORY_NONE);
    c_ = memory(pd_.dst_desc(), engine(), DNNL_MEMORY_NONE);
    info_ = pd_.impl_info_str();
  }
  std::string describe() const override { return info_; }
  void setup(const std::vector<const void *> &bCopies) override {
    bs_.clear();
    for (const void *p : bCopies) {
      memory plain(bPlainMd_, engine(), const_cast<void *>(p));
      if (!prepacked_) {
        bs_.push_back(plain);
        continue;
      }
      memory packed(pd_.weights_desc(), engine());
      dnnl::reorder(plain, packed).execute(stream_, plain, packed);
      stream_.wait();
      bs_.push_back(packed);
    }
  }
  void run(const void *a, const void *, int bIndex, float *c) override {
    a_.set_data_handle(const_cast<void *>(a));
    c_.set_data_handle(c);
    prim_.execute(stream_, {{DNNL_ARG_SRC, a_}, {DNNL_ARG_WEIGHTS, bs_[bIndex]}, {DNNL_ARG_DST, c_}});
    stream_.wait();
  }

private:
  Workload w_;
  bool prepacked_;
  dnnl::stream stream_;
  dnnl::matmul::primitive_desc pd_;
  dnnl::matmul prim_;
  memory::desc bPlainMd_;
  memory a_, c_;
  std::vector<memory> bs_;
  std::string info_;
};

std::unique_ptr<Kernel> makeSgemm(const Workload &w, std::string &why) {
  if (w.dtype != DType::F32) {
    return nullptr;
  }
  return std::make_unique<Sgemm>(w);
}

std::unique_ptr<Kernel> makeMatmul(const Workload &w, bool prepacked, std::string &why) {
  try {
    auto k = std::make_unique<Matmul>(w, prepacked);
    std::fprintf(stderr, "oneDNN: %s matmul%s uses %s\n", w.name.c_str(), prepacked ? " (prepacked B)" : "",
                 k->describe().c_str());
    return k;
  } catch (const dnnl::error &e) {
    why = std::string("matmul primitive unavailable: ") + e.what();
    return nullptr;
  }
}

std::unique_ptr<Kernel> makePlain(const Workload &w, std::string &why) { return makeMatmul(w, false, why); }
std::unique_ptr<Kernel> makePrepacked(const Workload &w, std::string &why) { return makeMatmul(w, true, why); }

const char *isaName(dnnl_cpu_isa_t isa) {
  switch (isa) {
  case dnnl_cpu_isa_avx2: return "avx2";
  case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
  case dnnl_cpu_isa_avx512_core: return "avx512_core";
  case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
  case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
  case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
  default: return "other";
  }
}

}  // namespace

const char *libraryName() { return "oneDNN"; }
std::string libraryInfo() {
  const dnnl_version_t *v = dnnl_version();
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
         "; ISA " + isaName(dnnl_get_effective_cpu_isa());
}
std::vector<Variant> libraryVariants() {
  return {{"sgemm", makeSgemm}, {"matmul", makePlain}, {"matmul prepacked B", makePrepacked}};
}

}  // namespace gemmbench

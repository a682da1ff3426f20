// BLIS backend: the native typed API (bli_sgemm / bli_sgemv take general row
// and column strides, so B stored N x K needs no transpose flag).
#include "common.h"

#include <blis.h>

namespace gemmbench {
namespace {

class Gemm : public Kernel {
public:
  explicit Gemm(const Workload &w) : w_(w) {}
  void run(const void *a, const void *b, int, float *c) override {
    float one = 1.0f, zero = 0.0f;
    // B element (k, n): row stride (over k) and column stride (over n).
    inc_t rsb = w_.bTransposed ? 1 : w_.n, csb = w_.bTransposed ? w_.k : 1;
    bli_sgemm(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, w_.m, w_.n, w_.k, &one,
              const_cast<float *>(static_cast<const float *>(a)), w_.k, 1,
              const_cast<float *>(static_cast<const float *>(b)), rsb, csb, &zero, c, w_.n, 1);
  }

private:
  Workload w_;
};

// y = x * B computed as y^T = B^T x: B^T is N x K with row stride csb and
// column stride rsb.
class Gemv : public Kernel {
public:
  explicit Gemv(const Workload &w) : w_(w) {}
  void run(const void *a, const void *b, int, float *c) override {
    float one = 1.0f, zero = 0.0f;
    inc_t rsb = w_.bTransposed ? 1 : w_.n, csb = w_.bTransposed ? w_.k : 1;
    bli_sgemv(BLIS_NO_TRANSPOSE, BLIS_NO_CONJUGATE, w_.n, w_.k, &one,
              const_cast<float *>(static_cast<const float *>(b)), csb, rsb,
              const_cast<float *>(static_cast<const float *>(a)), 1, &zero, c, 1);
  }

private:
  Workload w_;
};

std::unique_ptr<Kernel> makeGemm(const Workload &w, std::string &why) {
  if (w.dtype != DType::F32) {
    why = "BLIS 0.9.0 has no bf16 GEMM";
    return nullptr;
  }
  return std::make_unique<Gemm>(w);
}

std::unique_ptr<Kernel> makeGemv(const Workload &w, std::string &why) {
  if (w.dtype != DType::F32 || w.m != 1) {
    return nullptr;
  }
  return std::make_unique<Gemv>(w);
}

}  // namespace

const char *libraryName() { return "BLIS"; }
std::string libraryInfo() {
  return std::string("BLIS ") + bli_info_get_version_str() + "; sub-configuration " +
         bli_arch_string(bli_arch_query_id()) + "; threads " + std::to_string(bli_thread_get_num_threads());
}
std::vector<Variant> libraryVariants() { return {{"gemm", makeGemm}, {"gemv", makeGemv}}; }

}  // namespace gemmbench

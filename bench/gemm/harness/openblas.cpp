// OpenBLAS backend: cblas_sgemm, and cblas_sgemv for vector-matrix products.
#include "common.h"

#include <cblas.h>

extern "C" char *openblas_get_config(void);
extern "C" char *openblas_get_corename(void);
extern "C" int openblas_get_num_threads(void);

namespace gemmbench {
namespace {

class Sgemm : public Kernel {
public:
  explicit Sgemm(const Workload &w) : w_(w) {}
  void run(const void *a, const void *b, int, float *c) override {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, w_.bTransposed ? CblasTrans : CblasNoTrans, int(w_.m), int(w_.n),
                int(w_.k), 1.0f, static_cast<const float *>(a), int(w_.k), static_cast<const float *>(b),
                int(w_.ldb()), 0.0f, c, int(w_.n));
  }

private:
  Workload w_;
};

// y[1,N] = x[1,K] * B: for B stored K x N that is B^T x, for N x K it is B x.
class Sgemv : public Kernel {
public:
  explicit Sgemv(const Workload &w) : w_(w) {}
  void run(const void *a, const void *b, int, float *c) override {
    const float *x = static_cast<const float *>(a), *bm = static_cast<const float *>(b);
    if (w_.bTransposed)
      cblas_sgemv(CblasRowMajor, CblasNoTrans, int(w_.n), int(w_.k), 1.0f, bm, int(w_.k), x, 1, 0.0f, c, 1);
    else
      cblas_sgemv(CblasRowMajor, CblasTrans, int(w_.k), int(w_.n), 1.0f, bm, int(w_.n), x, 1, 0.0f, c, 1);
  }

private:
  Workload w_;
};

std::unique_ptr<Kernel> makeSgemm(const Workload &w, std::string &why) {
  if (w.dtype != DType::F32) {
    why = "no bf16 GEMM exported by Debian's OpenBLAS 0.3.21 (sbgemm not built)";
    return nullptr;
  }
  return std::make_unique<Sgemm>(w);
}

std::unique_ptr<Kernel> makeSgemv(const Workload &w, std::string &why) {
  if (w.dtype != DType::F32 || w.m != 1) {
    return nullptr;
  }
  return std::make_unique<Sgemv>(w);
}

}  // namespace

const char *libraryName() { return "OpenBLAS"; }
std::string libraryInfo() {
  return std::string(openblas_get_config()) + "; core " + openblas_get_corename() + "; threads " +
         std::to_string(openblas_get_num_threads());
}
std::vector<Variant> libraryVariants() { return {{"sgemm", makeSgemm}, {"sgemv", makeSgemv}}; }

}  // namespace gemmbench

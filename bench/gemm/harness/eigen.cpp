// Eigen backend: products of mapped matrices (C.noalias() = A * B). Eigen
// picks its GEMV path itself when M is 1; with OpenMP it threads GEMM.
#include "common.h"

#include <Eigen/Core>

namespace gemmbench {
namespace {

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ColMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

class Gemm : public Kernel {
public:
  explicit Gemm(const Workload &w) : w_(w) {}
  void run(const void *a, const void *b, int, float *c) override {
    Eigen::Map<const RowMat> A(static_cast<const float *>(a), w_.m, w_.k);
    Eigen::Map<RowMat> C(c, w_.m, w_.n);
    if (w_.bTransposed)  // N x K row-major is K x N column-major
      C.noalias() = A * Eigen::Map<const ColMat>(static_cast<const float *>(b), w_.k, w_.n);
    else
      C.noalias() = A * Eigen::Map<const RowMat>(static_cast<const float *>(b), w_.k, w_.n);
  }

private:
  Workload w_;
};

std::unique_ptr<Kernel> makeGemm(const Workload &w, std::string &why) {
  if (w.dtype != DType::F32) {
    why = "Eigen's bfloat16 products accumulate in bf16; no bf16 x bf16 -> f32 GEMM";
    return nullptr;
  }
  return std::make_unique<Gemm>(w);
}

}  // namespace

const char *libraryName() { return "Eigen"; }
std::string libraryInfo() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION) + "; SIMD " + Eigen::SimdInstructionSetsInUse() + "; threads " +
         std::to_string(Eigen::nbThreads());
}
std::vector<Variant> libraryVariants() { return {{"gemm", makeGemm}}; }

}  // namespace gemmbench

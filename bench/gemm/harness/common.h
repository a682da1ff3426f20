// Shared part of the GEMM benchmark harnesses (bench/gemm). Each library gets
// its own binary (OpenBLAS and BLIS both export cblas_*), built from this
// driver plus one backend file that defines the functions declared at the end.
//
// The driver owns the data, the reference check and the timing, so every
// library is measured the same way: C = A * B with A row-major M x K, C
// row-major M x N and B either row-major K x N ("kn") or N x K ("nk").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gemmbench {

enum class DType { F32, BF16 };

struct Workload {
  std::string name;
  DType dtype = DType::F32;  // of A and B; C is always f32
  int64_t m = 0, k = 0, n = 0;
  bool bTransposed = false;  // B stored N x K
  double flops() const { return 2.0 * double(m) * double(n) * double(k); }
  size_t elemBytes() const { return dtype == DType::F32 ? 4 : 2; }
  // Leading dimension of B as stored (row-major storage).
  int64_t ldb() const { return bTransposed ? k : n; }
};

// A kernel for one workload. `b` is one of the copies of B handed to setup();
// kernels that preprocess B (oneDNN's reordered weights) do it per copy in
// setup(), outside the timed region, and pick theirs by index in run().
class Kernel {
public:
  virtual ~Kernel() = default;
  virtual void setup(const std::vector<const void *> &bCopies) { (void)bCopies; }
  virtual void run(const void *a, const void *b, int bIndex, float *c) = 0;
  // What the library chose (e.g. oneDNN's implementation), for the CSV.
  virtual std::string describe() const { return {}; }
};

struct Variant {
  std::string name;  // "" for the library's default entry point
  // Returns nullptr when the variant does not apply: with `why` empty when it
  // is not meant for this shape (no row), else with the reason (a "skipped"
  // row, e.g. the library has no bf16 GEMM).
  std::unique_ptr<Kernel> (*make)(const Workload &, std::string &why);
};

// Defined by each backend.
const char *libraryName();
std::string libraryInfo();  // version, detected core, ...
std::vector<Variant> libraryVariants();

}  // namespace gemmbench

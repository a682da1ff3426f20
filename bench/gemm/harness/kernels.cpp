// Backend for kernels compiled ahead of time from MLIR (upstream MLIR's
// plain lowering of linalg.matmul, and `tessel compile`). gen_kernels.py
// writes a C registry that maps each workload to its function, or to the
// reason it has none (e.g. the compiler rejected it).
#include "common.h"

#include <cstring>

extern "C" {
struct gb_kernel {
  const char *workload;
  void (*fn)(const void *a, const void *b, void *c);
  const char *why;  // when fn is null
};
extern const struct gb_kernel gb_kernels[];
extern const int gb_num_kernels;
extern const char *const gb_library_name;
extern const char *const gb_library_info;
extern const char *const gb_variant;
}

namespace gemmbench {
namespace {

class Compiled : public Kernel {
public:
  explicit Compiled(void (*fn)(const void *, const void *, void *)) : fn_(fn) {}
  void run(const void *a, const void *b, int, float *c) override { fn_(a, b, c); }

private:
  void (*fn_)(const void *, const void *, void *);
};

std::unique_ptr<Kernel> make(const Workload &w, std::string &why) {
  for (int i = 0; i < gb_num_kernels; ++i) {
    if (w.name != gb_kernels[i].workload) continue;
    if (gb_kernels[i].fn) return std::make_unique<Compiled>(gb_kernels[i].fn);
    why = gb_kernels[i].why;
    return nullptr;
  }
  why = "not compiled for this workload";
  return nullptr;
}

}  // namespace

const char *libraryName() { return gb_library_name; }
std::string libraryInfo() { return gb_library_info; }
std::vector<Variant> libraryVariants() { return {{gb_variant, make}}; }

}  // namespace gemmbench

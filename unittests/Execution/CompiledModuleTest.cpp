//===- CompiledModuleTest.cpp - Calls on caller buffers of any layout ----===//
//
// What the C API and Python stand on: arguments described as plain data
// (written or only read, through views too), and calls on buffers in any
// strided layout, each checked against plain loops.
//
//===----------------------------------------------------------------------===//

#include "tessel/Execution/CompiledModule.h"

#include "gtest/gtest.h"
#include <numeric>
#include <random>

using namespace tessel;
using namespace tessel::exec;

namespace {

/// A caller's buffer: `shape` elements stored in some order, some dims
/// reversed, with gaps, inside a larger allocation.
struct CallerBuffer {
  std::vector<float> storage;
  std::vector<int64_t> shape, strides; // strides in bytes
  float *origin = nullptr;

  CallerBuffer(std::vector<int64_t> shape, std::mt19937 &rng)
      : shape(shape), strides(shape.size()) {
    std::vector<size_t> order(shape.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    int64_t step = 1 + int64_t(rng() % 2); // every other element, sometimes
    int64_t span = step;
    for (size_t d : order) {
      strides[d] = span;
      span *= shape[d] + int64_t(rng() % 2); // a gap after some dims
    }
    storage.assign(size_t(span) + 8, NAN);
    int64_t start = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      if (rng() % 3 == 0) { // walk this dim backwards
        start += (shape[d] - 1) * strides[d];
        strides[d] = -strides[d];
      }
    origin = storage.data() + start;
    for (int64_t &s : strides)
      s *= int64_t(sizeof(float));
  }
  float &at(std::initializer_list<int64_t> index) {
    int64_t bytes = 0;
    size_t d = 0;
    for (int64_t i : index)
      bytes += i * strides[d++];
    return *reinterpret_cast<float *>(reinterpret_cast<char *>(origin) + bytes);
  }
  BufferRef ref(bool readonly = false) {
    return {origin, DType::F32, shape, strides, readonly};
  }
};

constexpr const char *kBatchedMatmul = R"mlir(
func.func @bmm(%a: memref<3x5x7xf32>, %b: memref<3x7x4xf32, strided<[1, 3, 21]>>,
               %c: memref<3x5x4xf32>) {
  spec.matmul %c = %a * %b : memref<3x5x7xf32> * memref<3x7x4xf32, strided<[1, 3, 21]>>
      -> memref<3x5x4xf32>
  return
}
)mlir";

/// True on success; a failure's message goes to the test's report.
bool succeeded(llvm::Error error) {
  if (!error)
    return true;
  ADD_FAILURE() << llvm::toString(std::move(error));
  return false;
}

std::unique_ptr<CompiledModule> compileOrFail(llvm::StringRef source) {
  ToLLVMOptions options;
  options.threads = 1;
  auto module = CompiledModule::compile(source, "test.mlir", options);
  if (!module) {
    ADD_FAILURE() << llvm::toString(module.takeError());
    return nullptr;
  }
  return std::move(*module);
}

TEST(CompiledModuleTest, BuffersInAnyLayoutGiveTheSameResults) {
  std::unique_ptr<CompiledModule> module = compileOrFail(kBatchedMatmul);
  ASSERT_TRUE(module);
  const Function *bmm = module->lookup("bmm");
  ASSERT_NE(bmm, nullptr);
  EXPECT_EQ(bmm->arguments[1].strides, (llvm::SmallVector<int64_t>{1, 3, 21}));
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> value(-1, 1);
  for (int trial = 0; trial < 40; ++trial) {
    CallerBuffer a({3, 5, 7}, rng), b({3, 7, 4}, rng), c({3, 5, 4}, rng);
    for (int64_t p = 0; p < 3; ++p) {
      for (int64_t i = 0; i < 5; ++i)
        for (int64_t k = 0; k < 7; ++k)
          a.at({p, i, k}) = value(rng);
      for (int64_t k = 0; k < 7; ++k)
        for (int64_t j = 0; j < 4; ++j)
          b.at({p, k, j}) = value(rng);
    }
    std::vector<float> around = c.storage;
    ASSERT_TRUE(succeeded(bmm->call({a.ref(true), b.ref(true), c.ref()})));
    for (int64_t p = 0; p < 3; ++p)
      for (int64_t i = 0; i < 5; ++i)
        for (int64_t j = 0; j < 4; ++j) {
          double want = 0;
          for (int64_t k = 0; k < 7; ++k)
            want += double(a.at({p, i, k})) * b.at({p, k, j});
          ASSERT_NEAR(c.at({p, i, j}), want, 1e-5) << "trial " << trial;
          c.at({p, i, j}) = NAN; // left as it was, below
        }
    // Nothing but the output's elements was written.
    for (size_t e = 0; e < around.size(); ++e)
      ASSERT_TRUE(std::isnan(c.storage[e])) << "element " << e;
  }
}

TEST(CompiledModuleTest, WrittenArgumentsAreFoundThroughViews) {
  std::unique_ptr<CompiledModule> module = compileOrFail(R"mlir(
func.func @half(%x: memref<8xf32>, %y: memref<8xf32>, %unused: memref<2xf32>) {
  %lo = memref.subview %y[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  %xs = memref.subview %x[4] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 4>>
  linalg.copy ins(%xs : memref<4xf32, strided<[1], offset: 4>>)
              outs(%lo : memref<4xf32, strided<[1]>>)
  return
}
)mlir");
  ASSERT_TRUE(module);
  const Function *half = module->lookup("half");
  ASSERT_NE(half, nullptr);
  EXPECT_FALSE(half->arguments[0].written);
  EXPECT_TRUE(half->arguments[1].written);
  EXPECT_FALSE(half->arguments[2].written);
}

TEST(CompiledModuleTest, OverlapsAreCopiedOrRefused) {
  std::unique_ptr<CompiledModule> module = compileOrFail(R"mlir(
func.func @add(%a: memref<6xf32>, %b: memref<6xf32>, %c: memref<6xf32>) {
  spec.add %c = add(%a, %b) : memref<6xf32>, memref<6xf32> -> memref<6xf32>
  return
}
)mlir");
  ASSERT_TRUE(module);
  const Function *add = module->lookup("add");
  ASSERT_NE(add, nullptr);
  // Inputs read backwards over the output's own memory: copied first.
  std::vector<float> x = {0, 1, 2, 3, 4, 5, 6, 7};
  int64_t shape[] = {6}, forward[] = {4}, backward[] = {-4};
  BufferRef reversed{x.data() + 7, DType::F32, shape, backward, true};
  BufferRef out{x.data() + 1, DType::F32, shape, forward, false};
  ASSERT_TRUE(succeeded(add->call({reversed, reversed, out})));
  EXPECT_EQ(x, (std::vector<float>{0, 14, 12, 10, 8, 6, 4, 7}));
  // An output read by another output's function is refused, naming both.
  module = compileOrFail(R"mlir(
func.func @two(%a: memref<6xf32>, %b: memref<6xf32>, %c: memref<6xf32>) {
  spec.relu %b = relu(%a) : memref<6xf32> -> memref<6xf32>
  spec.neg %c = neg(%a) : memref<6xf32> -> memref<6xf32>
  return
}
)mlir");
  ASSERT_TRUE(module);
  BufferRef shifted{x.data() + 2, DType::F32, shape, forward, false};
  llvm::Error error = module->lookup("two")->call({reversed, out, shifted});
  ASSERT_TRUE(bool(error));
  EXPECT_EQ(llvm::toString(std::move(error)),
            "arguments #1 and #2 of 'two' are both written and share memory");
}

TEST(CompiledModuleTest, ModulesWithoutCallableFunctionsAreErrors) {
  ToLLVMOptions options;
  auto module = CompiledModule::compile(
      "func.func @f(%a: memref<?xf32>) {\n  return\n}\n", "dyn.mlir", options);
  ASSERT_FALSE(bool(module));
  std::string message = llvm::toString(module.takeError());
  EXPECT_NE(message.find("dyn.mlir:1:1: error: 'f' cannot be called"),
            std::string::npos)
      << message;
}

} // namespace

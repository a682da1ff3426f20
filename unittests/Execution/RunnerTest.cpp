//===- RunnerTest.cpp - Host buffers, the reference, and the checker ------===//
//
// The differential tests trust checkFunction to notice wrong code; these
// tests make it see some.
//
//===----------------------------------------------------------------------===//

#include "tessel/Execution/Runner.h"
#include "tessel/Execution/Reference.h"
#include "tessel/InitAllTessel.h"

#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "gtest/gtest.h"
#include <cmath>

using namespace mlir;
using namespace tessel;
using namespace tessel::exec;

namespace {

class RunnerTest : public ::testing::Test {
protected:
  RunnerTest() {
    DialectRegistry registry;
    mlir::registerAllDialects(registry);
    tessel::registerAllDialects(registry);
    exec::registerReferenceExternalModels(registry);
    context.appendDialectRegistry(registry);
  }
  OwningOpRef<ModuleOp> parse(StringRef source) {
    return parseSourceString<ModuleOp>(source, &context);
  }
  /// Serial code compiled from `code`, checked against the first function
  /// of `stated`; empty, after a test failure, if either step fails.
  std::vector<OutputCheck> compileAndCheck(ModuleOp code, ModuleOp stated,
                                           unsigned seed) {
    ToLLVMOptions options;
    options.threads = 1;
    auto kernel = Kernel::compile(code, options);
    if (!kernel) {
      ADD_FAILURE() << llvm::toString(kernel.takeError());
      return {};
    }
    auto checks =
        checkFunction(*stated.getOps<func::FuncOp>().begin(), **kernel, seed);
    if (!checks) {
      ADD_FAILURE() << llvm::toString(checks.takeError());
      return {};
    }
    return std::move(*checks);
  }
  MLIRContext context;
};

// Every spec op states its engine spec and its reference through the
// interfaces the registries attach (a new op without a model fails here, not
// with "synthesis does not support" in someone's pipeline). spec.softmax is
// decomposed into other ops before synthesis, so it has no engine spec.
TEST_F(RunnerTest, EverySpecOpHasItsInterfaces) {
  context.getOrLoadDialect<spec::SpecDialect>();
  unsigned ops = 0;
  for (RegisteredOperationName name : context.getRegisteredOperations()) {
    if (name.getDialectNamespace() != "spec")
      continue;
    ++ops;
    EXPECT_TRUE(name.hasInterface<spec::SpecOpInterface>())
        << name.getStringRef().str();
    EXPECT_TRUE(name.hasInterface<ReferenceOpInterface>())
        << name.getStringRef().str();
    EXPECT_EQ(name.hasInterface<spec::EngineSpecOpInterface>(),
              name.getStringRef() != "spec.softmax")
        << name.getStringRef().str();
  }
  EXPECT_GE(ops, 20u);
}

TEST_F(RunnerTest, StridedBuffersAddressTheirElements) {
  auto type = MemRefType::get({3, 4}, Float32Type::get(&context),
                              StridedLayoutAttr::get(&context, 2, {1, 5}));
  auto buffer = HostBuffer::create(type);
  ASSERT_TRUE(buffer);
  buffer->set({2, 3}, 1.5);
  // Element (2, 3) sits at offset 2 + 2 * 1 + 3 * 5 = 19.
  EXPECT_EQ(static_cast<float *>(buffer->data())[19], 1.5f);
  EXPECT_EQ(buffer->get({2, 3}), 1.5);
  // bf16 rounds to nearest even.
  auto bf16 =
      HostBuffer::create(MemRefType::get({1}, BFloat16Type::get(&context)));
  bf16->set({0}, 1.0 + 1.0 / 512);
  EXPECT_EQ(bf16->get({0}), 1.0);
}

TEST_F(RunnerTest, ReferenceMatmulAccumulates) {
  auto module = parse(R"mlir(
    func.func @f(%a: memref<1x2xf32>, %b: memref<2x1xf32>, %c: memref<1x1xf32>) {
      spec.matmul %c += %a * %b : memref<1x2xf32> * memref<2x1xf32> -> memref<1x1xf32>
      return
    })mlir");
  ASSERT_TRUE(module);
  func::FuncOp func = *module->getOps<func::FuncOp>().begin();
  Operation *op = &func.getBody().front().front();
  SmallVector<std::unique_ptr<HostBuffer>> buffers;
  SmallVector<HostBuffer *> ptrs;
  for (Value v : op->getOperands()) {
    buffers.push_back(HostBuffer::create(cast<MemRefType>(v.getType())));
    ptrs.push_back(buffers.back().get());
  }
  ptrs[0]->set({0, 0}, 2);
  ptrs[0]->set({0, 1}, -3);
  ptrs[1]->set({0, 0}, 5);
  ptrs[1]->set({1, 0}, 7);
  ptrs[2]->set({0, 0}, 1);
  ErrorBound bound;
  ASSERT_TRUE(succeeded(runReference(op, ptrs, bound)));
  EXPECT_EQ(ptrs[2]->get({0, 0}), 1 + 2 * 5 - 3 * 7);
  EXPECT_EQ(bound.magnitude->get({0, 0}), 1 + 10 + 21);
  EXPECT_EQ(bound.terms, 3);
}

// Code compiled from one spec, checked against another: the checker must
// report the mismatch, with the element.
TEST_F(RunnerTest, WrongCodeIsCaught) {
  auto compiled = parse(R"mlir(
    func.func @f(%a: memref<4x16xf32>, %b: memref<16x16xf32>, %c: memref<4x16xf32>) {
      spec.matmul %c = %a * %b : memref<4x16xf32> * memref<16x16xf32> -> memref<4x16xf32>
      return
    })mlir");
  auto stated = parse(R"mlir(
    func.func @f(%a: memref<4x16xf32>, %b: memref<16x16xf32>, %c: memref<4x16xf32>) {
      spec.matmul %c += %a * %b : memref<4x16xf32> * memref<16x16xf32> -> memref<4x16xf32>
      return
    })mlir");
  ASSERT_TRUE(compiled && stated);
  std::vector<OutputCheck> good = compileAndCheck(*compiled, *compiled, 3);
  ASSERT_EQ(good.size(), 1u);
  EXPECT_TRUE(good.front().passed) << good.front().firstMismatch;

  std::vector<OutputCheck> bad = compileAndCheck(*compiled, *stated, 3);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_FALSE(bad.front().passed);
  EXPECT_NE(bad.front().firstMismatch.find("expected"), std::string::npos);
  EXPECT_GT(bad.front().maxRelError, bad.front().tolerance);
}

// NaN results where the reference is finite fail: a comparison with NaN is
// false, so a check written as `error > bound` would pass them.
TEST_F(RunnerTest, NonFiniteResultsFail) {
  auto compiled = parse(R"mlir(
    func.func @f(%a: memref<4x4xf32>, %c: memref<4x4xf32>) {
      %nan = arith.constant 0x7FC00000 : f32
      linalg.fill ins(%nan : f32) outs(%c : memref<4x4xf32>)
      return
    })mlir");
  auto stated = parse(R"mlir(
    func.func @f(%a: memref<4x4xf32>, %c: memref<4x4xf32>) {
      spec.relu %c = relu(%a) : memref<4x4xf32> -> memref<4x4xf32>
      return
    })mlir");
  ASSERT_TRUE(compiled && stated);
  std::vector<OutputCheck> checks = compileAndCheck(*compiled, *stated, 1);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks.front().passed);
  EXPECT_EQ(checks.front().maxAbsError, INFINITY);
}

// A chain of products overflows f32 from inputs in [-1, 1]; the checker
// narrows the inputs until the reference is finite, and then compares.
TEST_F(RunnerTest, LongChainsAreCheckedOnFiniteValues) {
  std::string src = "func.func @f(";
  constexpr int kLinks = 70;
  for (int i = 0; i <= kLinks; ++i)
    src += (i ? ", %x" : "%x") + std::to_string(i) + ": memref<64x64xf32>";
  src += ") {\n";
  for (int i = 1; i <= kLinks; ++i)
    src += "  spec.matmul %x" + std::to_string(i) + " = %x" +
           std::to_string(i - 1) +
           " * %x0 : memref<64x64xf32> * "
           "memref<64x64xf32> -> memref<64x64xf32>\n";
  src += "  return\n}\n";
  auto module = parse(src);
  ASSERT_TRUE(module);
  std::vector<OutputCheck> checks = compileAndCheck(*module, *module, 5);
  ASSERT_EQ(checks.size(), size_t(kLinks));
  for (const OutputCheck &c : checks) {
    EXPECT_TRUE(c.passed) << "argument " << c.argument << ": "
                          << c.firstMismatch;
    EXPECT_TRUE(std::isfinite(c.maxAbsError)) << "argument " << c.argument;
  }
}

TEST_F(RunnerTest, OnlySpecFunctionsOnArgumentsRun) {
  auto module = parse(R"mlir(
    func.func @local(%a: memref<4xf32>) {
      %t = memref.alloc() : memref<4xf32>
      spec.fill %t = zero : memref<4xf32>
      return
    })mlir");
  ASSERT_TRUE(module);
  // The diagnostic goes to the context's handler; only the verdict matters.
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  EXPECT_TRUE(failed(verifyRunnable(*module->getOps<func::FuncOp>().begin())));
}

} // namespace

//===- SpecOpsTest.cpp - Building and verifying spec ops from C++ ---------===//

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace tessel::spec;

namespace {
/// Builds `func.func @f(...)` with one spec op over arguments of `types`.
class SpecOpsTest : public ::testing::Test {
protected:
  SpecOpsTest() : builder(&context) {
    context.loadDialect<SpecDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
  }

  Block *makeFunction(ArrayRef<Type> types) {
    builder.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), "f",
                                     builder.getFunctionType(types, {}));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToEnd(body);
    func::ReturnOp::create(builder, builder.getUnknownLoc());
    builder.setInsertionPointToStart(body);
    return body;
  }

  /// Verifies the module, recording the first diagnostic.
  bool verifies() {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (error.empty())
        error = diag.str();
      return success();
    });
    return succeeded(verify(*module));
  }

  MemRefType f32(ArrayRef<int64_t> shape) {
    return MemRefType::get(shape, builder.getF32Type());
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  std::string error;
};
} // namespace

TEST_F(SpecOpsTest, BuildsAMatmul) {
  Block *body = makeFunction({f32({4, 8}), f32({8, 16}), f32({4, 16})});
  auto matmul = MatmulOp::create(builder, builder.getUnknownLoc(),
                                 body->getArgument(0), body->getArgument(1),
                                 body->getArgument(2), /*accumulate=*/true);
  EXPECT_TRUE(verifies()) << error;
  EXPECT_TRUE(matmul.getAccumulate());
  // Destination-passing style: the output is the only init.
  auto dps = cast<DestinationStyleOpInterface>(matmul.getOperation());
  ASSERT_EQ(dps.getNumDpsInits(), 1);
  EXPECT_EQ(dps.getDpsInitOperand(0)->get(), body->getArgument(2));
  EXPECT_TRUE(dps.hasPureBufferSemantics());
}

TEST_F(SpecOpsTest, MismatchedContractionIsNamed) {
  Block *body = makeFunction({f32({4, 8}), f32({9, 16}), f32({4, 16})});
  MatmulOp::create(builder, builder.getUnknownLoc(), body->getArgument(0),
                   body->getArgument(1), body->getArgument(2), false);
  EXPECT_FALSE(verifies());
  EXPECT_EQ(error, "'spec.matmul' op K mismatch: dimension 1 of 'lhs' is 8 "
                   "but dimension 0 of 'rhs' is 9");
}

TEST_F(SpecOpsTest, MatmulReadsItsOutputOnlyWhenAccumulating) {
  Block *body = makeFunction({f32({4, 8}), f32({8, 16}), f32({4, 16})});
  for (bool accumulate : {false, true}) {
    auto matmul = MatmulOp::create(builder, builder.getUnknownLoc(),
                                   body->getArgument(0), body->getArgument(1),
                                   body->getArgument(2), accumulate);
    SmallVector<MemoryEffects::EffectInstance> effects;
    cast<MemoryEffectOpInterface>(matmul.getOperation()).getEffects(effects);
    int reads = 0, writes = 0;
    for (auto &effect : effects) {
      reads += isa<MemoryEffects::Read>(effect.getEffect());
      writes += isa<MemoryEffects::Write>(effect.getEffect());
      if (isa<MemoryEffects::Write>(effect.getEffect()))
        EXPECT_EQ(effect.getValue(), body->getArgument(2));
    }
    EXPECT_EQ(reads, accumulate ? 3 : 2);
    EXPECT_EQ(writes, 1);
  }
}

TEST_F(SpecOpsTest, OnTensorsReturnsTheOutputWithNoEffects) {
  auto tensor = [&](ArrayRef<int64_t> shape) -> Type {
    return RankedTensorType::get(shape, builder.getF32Type());
  };
  Block *body =
      makeFunction({tensor({4, 8}), tensor({8, 16}), tensor({4, 16})});
  auto matmul =
      MatmulOp::create(builder, builder.getUnknownLoc(), body->getArgument(0),
                       body->getArgument(1), body->getArgument(2), true);
  ASSERT_EQ(matmul->getNumResults(), 1u);
  EXPECT_EQ(matmul->getResult(0).getType(), tensor({4, 16}));
  SmallVector<MemoryEffects::EffectInstance> effects;
  cast<MemoryEffectOpInterface>(matmul.getOperation()).getEffects(effects);
  EXPECT_TRUE(effects.empty());
  EXPECT_TRUE(verifies()) << error;
}

TEST_F(SpecOpsTest, ReduceKeepsTheReducedDimension) {
  Block *body = makeFunction({f32({6, 10}), f32({6, 1}), f32({1, 10})});
  ReduceOp::create(builder, builder.getUnknownLoc(), body->getArgument(0),
                   body->getArgument(1), ReductionKind::Max, 1, false);
  EXPECT_TRUE(verifies()) << error;
  ReduceOp::create(builder, builder.getUnknownLoc(), body->getArgument(0),
                   body->getArgument(2), ReductionKind::Sum, 1, false);
  EXPECT_FALSE(verifies());
  EXPECT_NE(error.find("dimension 0 of 'out' is 1; expected 6"),
            std::string::npos)
      << error;
}

TEST_F(SpecOpsTest, CountsWorkAndTrafficThroughTheInterface) {
  Block *body = makeFunction({f32({4, 8}), f32({8, 16}), f32({4, 16})});
  auto matmul = MatmulOp::create(builder, builder.getUnknownLoc(),
                                 body->getArgument(0), body->getArgument(1),
                                 body->getArgument(2), /*accumulate=*/false);
  auto counted = cast<SpecOpInterface>(matmul.getOperation());
  EXPECT_EQ(counted.getFlopCount(), 2.0 * 4 * 16 * 8);
  EXPECT_EQ(counted.getOperandBytes(), 4.0 * (4 * 8 + 8 * 16 + 4 * 16));
  // An op that only moves data does no floating-point work.
  auto move = MoveOp::create(builder, builder.getUnknownLoc(),
                             body->getArgument(2), body->getArgument(2));
  auto moved = cast<SpecOpInterface>(move.getOperation());
  EXPECT_EQ(moved.getFlopCount(), 0.0);
  EXPECT_EQ(moved.getOperandBytes(), 2 * 4.0 * 4 * 16);
}

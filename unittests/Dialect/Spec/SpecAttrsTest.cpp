//===- SpecAttrsTest.cpp - Layout and memory attributes -------------------===//

#include "tessel/Dialect/Spec/IR/SpecAttrs.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace tessel::spec;

namespace {
class SpecAttrsTest : public ::testing::Test {
protected:
  SpecAttrsTest() { context.loadDialect<SpecDialect>(); }

  /// Parses `text`; returns null and records the diagnostic on failure.
  Attribute parse(StringRef text) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      lastError = diag.str();
      return success();
    });
    return parseAttribute(text, &context);
  }

  template <typename T> std::string print(T attr) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << attr;
    return text;
  }

  MLIRContext context;
  std::string lastError;
};
} // namespace

TEST_F(SpecAttrsTest, PackedLayoutIsItsAffineMap) {
  auto layout =
      dyn_cast_or_null<LayoutAttr>(parse("#spec.layout<[d1 floordiv 16, d0, "
                                         "d1 mod 16]>"));
  ASSERT_TRUE(layout) << lastError;
  EXPECT_EQ(layout.getLogicalRank(), 2u);
  EXPECT_FALSE(layout.isPermutation());
  EXPECT_FALSE(layout.isIdentity());
  EXPECT_EQ(print(layout.getAffineMap()),
            "(d0, d1) -> (d1 floordiv 16, d0, d1 mod 16)");
  SmallVector<int64_t> strides;
  int64_t offset;
  EXPECT_TRUE(failed(layout.getStridesAndOffset({64, 32}, strides, offset)));
}

TEST_F(SpecAttrsTest, NestedBlocksPrintAsParsed) {
  StringRef text = "#spec.layout<[d1 floordiv 64, d0, d1 mod 64 floordiv 16, "
                   "d1 mod 16]>";
  auto layout = dyn_cast_or_null<LayoutAttr>(parse(text));
  ASSERT_TRUE(layout) << lastError;
  EXPECT_EQ(print(layout), text);
  EXPECT_EQ(SmallVector<int64_t>(layout.getBlocks()),
            (SmallVector<int64_t>{0, 0, 4, 16}));
  EXPECT_EQ(layout.getInnerBlockProduct(0), 64);
  EXPECT_EQ(layout.getInnerBlockProduct(2), 16);
}

TEST_F(SpecAttrsTest, PermutationHasStrides) {
  auto colMajor = LayoutAttr::getPermutation(&context, {1, 0});
  SmallVector<int64_t> strides;
  int64_t offset = -1;
  ASSERT_TRUE(succeeded(colMajor.getStridesAndOffset({8, 5}, strides, offset)));
  EXPECT_EQ(strides, (SmallVector<int64_t>{1, 8}));
  EXPECT_EQ(offset, 0);
  EXPECT_FALSE(colMajor.isIdentity());
  EXPECT_TRUE(LayoutAttr::getPermutation(&context, {0, 1, 2}).isIdentity());
}

TEST_F(SpecAttrsTest, LayoutMustFitTheShape) {
  auto layout = cast<LayoutAttr>(
      parse("#spec.layout<[d1 floordiv 16, d0, d1 mod 16]>"));
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    lastError = diag.str();
    return success();
  });
  auto type = MemRefType::getChecked(
      [&] { return emitError(UnknownLoc::get(&context)); }, {4, 40},
      Float32Type::get(&context), layout, Attribute());
  EXPECT_FALSE(type);
  EXPECT_EQ(lastError,
            "layout blocks of d1 (16 elements) do not divide its size 40");
  EXPECT_TRUE(MemRefType::get({4, 48}, Float32Type::get(&context), layout));
}

TEST_F(SpecAttrsTest, MalformedLayoutsAreRejected) {
  EXPECT_FALSE(parse("#spec.layout<[d0 mod 4, d1]>"));
  EXPECT_NE(lastError.find("must span the rest"), std::string::npos)
      << lastError;
  EXPECT_FALSE(parse("#spec.layout<[d1]>"));
  EXPECT_NE(lastError.find("d0 is missing"), std::string::npos) << lastError;
  EXPECT_FALSE(parse("#spec.layout<[d1 floordiv 8, d0, d1 mod 16]>"));
  EXPECT_NE(lastError.find("product of its inner blocks (16)"),
            std::string::npos)
      << lastError;
  EXPECT_FALSE(parse("#spec.layout<[x0]>"));
}

TEST_F(SpecAttrsTest, MemoryLevels) {
  auto vrf = dyn_cast_or_null<MemoryAttr>(
      parse("#spec.memory<vrf, vector = 16>"));
  ASSERT_TRUE(vrf) << lastError;
  EXPECT_TRUE(vrf.isRegisterFile());
  EXPECT_EQ(vrf.getVectorSize(), 16);
  EXPECT_EQ(print(vrf), "#spec.memory<vrf, vector = 16>");
  auto l1 = dyn_cast_or_null<MemoryAttr>(parse("#spec.memory<l1>"));
  ASSERT_TRUE(l1);
  EXPECT_FALSE(l1.isRegisterFile());
  EXPECT_EQ(l1, MemoryAttr::get(&context, MemoryLevel::L1));
  EXPECT_FALSE(parse("#spec.memory<vrf>"));
  EXPECT_FALSE(parse("#spec.memory<l1, vector = 8>"));
  EXPECT_FALSE(parse("#spec.memory<l3>"));
  EXPECT_NE(lastError.find("unknown memory level 'l3'"), std::string::npos);
}

// Branches the textual syntax cannot reach, only builders.
TEST_F(SpecAttrsTest, BuilderOnlyLayoutErrors) {
  auto emit = [&] { return emitError(UnknownLoc::get(&context)); };
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    lastError = diag.str();
    return success();
  });
  EXPECT_FALSE(LayoutAttr::getChecked(emit, &context, {1, 0}, {0}));
  EXPECT_EQ(lastError, "a layout needs one block size per dimension");
  EXPECT_FALSE(LayoutAttr::getChecked(emit, &context, {0, -1}, {0, 0}));
  EXPECT_EQ(lastError, "logical dimensions are d0, d1, ...");
  EXPECT_TRUE(LayoutAttr::getChecked(emit, &context, {1, 0, 1}, {0, 0, 8}));
}

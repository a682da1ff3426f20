//===- SpecParserRobustnessTest.cpp - Malformed input never crashes -------===//
//
// Mutates a valid spec program thousands of times (byte flips, deletions,
// duplications, truncations) and parses each mutant: every one must either
// parse and verify, or fail with a diagnostic. A crash fails the test binary;
// under the sanitizer build, so does any memory or undefined-behaviour error.
//
//===----------------------------------------------------------------------===//

#include "tessel/InitAllTessel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlir;

TEST(SpecParserRobustnessTest, MutantsParseOrFailWithADiagnostic) {
  auto file = llvm::MemoryBuffer::getFile(TESSEL_SPEC_TEST_DIR "/ops.mlir");
  ASSERT_TRUE(file) << "cannot read ops.mlir";
  std::string original = (*file)->getBuffer().str();

  DialectRegistry registry;
  registry.insert<func::FuncDialect>();
  tessel::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  // The original parses: the mutants start from a valid program.
  ASSERT_TRUE(parseSourceString<ModuleOp>(original, &context));

  std::mt19937 rng(20261121);
  const char alphabet[] = "%#<>[](){}:,=+*x0123456789dmodfloordivspec.memref"
                          "\"\\ \n\t\xff";
  int parsed = 0, diagnosed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string mutant = original;
    for (int edits = 1 + rng() % 4; edits > 0 && !mutant.empty(); --edits) {
      size_t at = rng() % mutant.size();
      switch (rng() % 4) {
      case 0: // replace a byte
        mutant[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
        break;
      case 1: // delete a run
        mutant.erase(at, 1 + rng() % 12);
        break;
      case 2: // duplicate a run
        mutant.insert(at, mutant.substr(at, 1 + rng() % 24));
        break;
      default: // truncate
        mutant.resize(at);
      }
    }
    bool gotDiagnostic = false;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      gotDiagnostic |= diag.getSeverity() == DiagnosticSeverity::Error;
      return success();
    });
    if (parseSourceString<ModuleOp>(mutant, &context)) {
      ++parsed;
    } else {
      ++diagnosed;
      EXPECT_TRUE(gotDiagnostic) << "failed without an error for:\n" << mutant;
    }
  }
  // Most mutants are rejected; some (e.g. edits in comments) still parse.
  EXPECT_GT(diagnosed, 1000);
  EXPECT_GT(parsed, 0);
}
